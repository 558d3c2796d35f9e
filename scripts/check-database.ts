/**
 * SQLite's own check of a database file, in a process of its own: prints
 * what lib/record/database-damage.ts finds, as one line of JSON (null when
 * the file is whole). The server's daily backup runs it here, so the pages
 * people are waiting for are not held up while SQLite reads every page of
 * the copy.
 *
 *   tsx scripts/check-database.ts FILE quick|full
 */
import { databaseDamage } from "@/lib/record/database-damage";

const [file, check] = process.argv.slice(2);
if (!file || (check !== "quick" && check !== "full")) {
  console.error("Usage: tsx scripts/check-database.ts FILE quick|full");
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(databaseDamage(file, check))}\n`);
