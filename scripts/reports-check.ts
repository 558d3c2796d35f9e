/**
 * `npm run reports:check`: compares the tables /staff/reports reads
 * (kept by triggers on `requests`, see lib/reports/report-tables.ts) with a
 * count over the requests themselves, month by month in TIME_ZONE, from the
 * first request to this month. With `--rebuild`, refills them from the
 * requests first (as a change of TIME_ZONE does at start), in one transaction.
 *
 *   npm run reports:check
 *   npm run reports:check -- --rebuild
 *
 * Exit codes: 0 they agree, 1 they differ (each month that does is named),
 * 2 there is nothing to check or it cannot be checked.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { openDatabase, openDatabaseReadOnly } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { countOf } from "@/lib/language/plural";
import { checkReportTables } from "@/lib/reports/monthly-report";
import { rebuildReportTables, reportTablesZone } from "@/lib/reports/report-tables";
import { databaseSettingsOrExit } from "./lib/settings-or-exit";

function refuse(message: string): never {
  console.error(message);
  process.exit(2);
}

let rebuild = false;
try {
  rebuild = parseArgs({ options: { rebuild: { type: "boolean" } }, allowPositionals: false }).values.rebuild ?? false;
} catch (error) {
  refuse(`${error instanceof Error ? error.message : String(error)}. Use: npm run reports:check [-- --rebuild]`);
}

const settings = databaseSettingsOrExit();
const file = settings.databasePath;
if (!fs.existsSync(file)) refuse(`There is no database at ${file}; set DATABASE_PATH to the database file.`);

const db = rebuild ? openDatabase(file) : openDatabaseReadOnly(file);
try {
  let zone: string | null;
  try {
    zone = reportTablesZone(db);
  } catch {
    refuse(`The database at ${file} has no reports' tables yet: run npm run db:migrate first.`);
  }
  if (rebuild) {
    inTransaction(db, (tx) => rebuildReportTables(tx, settings.timeZone));
    console.log(`The reports' tables were refilled from the requests, in ${settings.timeZone}.`);
  } else if (zone !== settings.timeZone) {
    refuse(
      `The reports' tables count in ${zone ?? "no time zone"}, but TIME_ZONE is ${settings.timeZone}; the next start rebuilds them, or run npm run reports:check -- --rebuild.`,
    );
  }
  const { months, differences } = checkReportTables(db, { now: new Date(), timeZone: settings.timeZone });
  if (differences.length === 0) {
    console.log(`The reports' tables agree with the requests for all ${countOf(months, "month")} (in ${settings.timeZone}).`);
  } else {
    for (const d of differences) console.log(`${d.month}: the tables say ${JSON.stringify(d.tables)}, the requests ${JSON.stringify(d.requests)}`);
    console.log(`The reports' tables differ from the requests in ${countOf(differences.length, "month")} of ${months}. Run npm run reports:check -- --rebuild to refill them.`);
    process.exitCode = 1;
  }
} finally {
  db.$client.close();
}
