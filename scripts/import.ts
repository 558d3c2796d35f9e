/**
 * `npm run import -- FILE.csv`: supporter records from a CSV file, all rows or
 * none. The layout is in the README and on /staff/import.
 */
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { describeReport, importCsv } from "@/lib/supporters/import/import-csv";
import { settingsOrExit } from "./lib/settings-or-exit";

const USAGE = "Usage: npm run import -- FILE.csv";

const args = process.argv.slice(2);
if (args[0] === "--help" || args[0] === "-h") {
  console.log(USAGE);
  process.exit(0);
}
if (args.length !== 1 || !args[0]) {
  console.error(`Give exactly one CSV file to import.\n\n${USAGE}`);
  process.exit(2);
}
const file = args[0];
let text: string;
try {
  text = fs.readFileSync(file, "utf8");
} catch {
  console.error(`Cannot read ${file}: check the path and that the file is readable.`);
  process.exit(2);
}

const settings = settingsOrExit();
const db = openDatabase(settings.databasePath);
migrateDatabase(db);

console.log(`Importing ${file}…`);
const report = importCsv(db, text, {
  source: `import: ${path.basename(file)}`,
  secret: settings.authSecret,
  now: new Date(),
  onProgress: ({ done, total }) => console.log(`  ${done} of ${total} rows written`),
});
db.$client.close();
const lines = describeReport(report);
if (report.ok) {
  console.log(lines.join("\n"));
  process.exit(0);
}
console.error(lines.join("\n"));
process.exit(1);
