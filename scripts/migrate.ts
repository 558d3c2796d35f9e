/** `npm run db:migrate`: apply pending migrations to DATABASE_PATH, and count the reports in TIME_ZONE. */
import { alignReportTables } from "@/lib/reports/report-tables";
import { migrateOrExit } from "./lib/migrate-or-exit";
import { databaseSettingsOrExit, openDatabaseOrExit } from "./lib/settings-or-exit";
import { keepNewFilesPrivate } from "./lib/private-files";

keepNewFilesPrivate();

const settings = databaseSettingsOrExit();
const db = openDatabaseOrExit(settings.databasePath);
migrateOrExit(db, settings.dataDir, "The migration stopped: ");
if (alignReportTables(db, settings.timeZone)) console.log(`The reports' tables were rebuilt for the time zone ${settings.timeZone}.`);
db.$client.close();
console.log(`Migrations applied to ${settings.databasePath}`);
