/**
 * `npm run audit:anchor`: checks the record now and, if it is intact, signs
 * the log's head with the organisation's key, appends it to ANCHOR_FILE and
 * emails it to every admin (the worker sends it). The worker does the same
 * once a day by itself.
 *
 * Exit codes: 0 anchored, 1 the record failed its check (nothing signed; the
 * admins are alerted), 2 it could not run.
 */
import fs from "node:fs";
import { migrateOrExit } from "./lib/migrate-or-exit";
import { anchorRecord } from "@/lib/record/anchor";
import { countOf } from "@/lib/language/plural";
import { settingsOrExit, openDatabaseOrExit } from "./lib/settings-or-exit";
import { keepNewFilesPrivate } from "./lib/private-files";

keepNewFilesPrivate();

const settings = settingsOrExit();
if (!fs.existsSync(settings.databasePath)) {
  console.error(`There is no database at ${settings.databasePath}, so there is nothing to anchor; set DATABASE_PATH to the database file.`);
  process.exit(2);
}
const db = openDatabaseOrExit(settings.databasePath);
migrateOrExit(db, settings.dataDir);
const outcome = await anchorRecord(
  db,
  { key: settings.signingKey, anchorFile: settings.anchorFile, orgName: settings.orgName, appUrl: settings.appUrl },
  { now: new Date(), reason: "on demand" },
);
db.$client.close();
if (!outcome.ok) {
  console.error(outcome.problem);
  console.error(`Nothing was signed; ${countOf(outcome.admins, "admin")} will be emailed about it.`);
  process.exit(1);
}
console.log(`Signed the log at event ${outcome.anchor.position} and appended it to ${settings.anchorFile}; ${countOf(outcome.admins, "admin")} will be emailed a copy.`);
console.log(outcome.line);
process.exit(0);
