/**
 * `npm run backup`: a consistent copy of the database, taken while the portal
 * runs (SQLite's online backup API), verified like the live record before it
 * is kept, into BACKUP_DIR (or data/backups); the last BACKUP_KEEP are kept.
 *
 * Exit codes: 0 backed up and verified, 1 not (nothing kept; the reason is
 * given), 2 it could not run.
 */
import fs from "node:fs";
import path from "node:path";
import { countOf } from "@/lib/language/plural";
import { anchorsForBackup, backupDatabase } from "@/lib/record/backup";
import { settingsOrExit } from "./lib/settings-or-exit";
import { keepNewFilesPrivate } from "./lib/private-files";

keepNewFilesPrivate();

const settings = settingsOrExit();
if (!fs.existsSync(settings.databasePath)) {
  console.error(`There is no database at ${settings.databasePath} to back up; set DATABASE_PATH to the database file.`);
  process.exit(2);
}
const backupDir = settings.backupDir ?? path.join(settings.dataDir, "backups");
const outcome = await backupDatabase({
  databasePath: settings.databasePath,
  backupDir,
  keep: settings.backupKeep,
  now: new Date(),
  anchors: anchorsForBackup(settings.anchorFile),
  publicKey: settings.signingKey.publicKey,
});
if (!outcome.ok) {
  console.error(outcome.problem);
  process.exit(1);
}
const megabytes = (outcome.bytes / 1_048_576).toFixed(1);
console.log(`Backed up to ${outcome.file}: ${countOf(outcome.events, "event")}, verified, ${megabytes} MB.`);
if (outcome.removed.length > 0) console.log(`Kept the last ${settings.backupKeep}; deleted ${outcome.removed.map((f) => path.basename(f)).join(", ")}.`);
if (!settings.backupDir) console.log(`BACKUP_DIR is not set, so this went into ${backupDir}, on the same disk as the database: copy it elsewhere.`);
process.exit(0);
