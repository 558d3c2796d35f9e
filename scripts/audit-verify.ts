/**
 * `npm run audit:verify`: checks that the request log was not edited,
 * deleted from or added to out of order since it was written.
 *
 * Exit codes: 0 the record is intact, 1 it is not (the first event that does
 * not fit is named), 2 there is nothing to check (no database, or not ours).
 */
import fs from "node:fs";
import type { Db } from "@/db/connection";
import { openDatabaseReadOnly } from "@/db/connection";
import { verifyEventChain } from "@/lib/audit/event-log";
import { databaseSettingsOrExit } from "./lib/settings-or-exit";
import { countOf } from "@/lib/language/plural";

function refuse(message: string): never {
  console.error(message);
  process.exit(2);
}

const settings = databaseSettingsOrExit();
const file = settings.databasePath;

// Opening would create an empty database, and an empty log verifies as intact: a typo in DATABASE_PATH must not pass.
if (!fs.existsSync(file)) {
  refuse(`There is no database at ${file}, so there is no record to check; set DATABASE_PATH to the database file.`);
}

let db: Db;
try {
  db = openDatabaseReadOnly(file);
  const table = db.$client
    .prepare("select 1 from sqlite_master where type = 'table' and name = 'request_events'")
    .get();
  if (!table) {
    db.$client.close();
    refuse(`${file} holds no request log: it is not a Rightsdesk database, or it was never migrated.`);
  }
} catch (error) {
  refuse(`${file} could not be read as a database (${error instanceof Error ? error.message : String(error)}).`);
}

const report = verifyEventChain(db);
db.$client.close();

if (report.problem) {
  console.error(report.problem.message);
  process.exit(1);
}
const events = countOf(report.events, "event");
console.log(`The record is intact: ${events}, last hash ${report.headHash || "none (the log is empty)"}.`);
process.exit(0);
