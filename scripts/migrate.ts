/** `npm run db:migrate`: apply pending migrations to DATABASE_PATH. */
import { openDatabase } from "@/db/connection";
import { migrateOrExit } from "./lib/migrate-or-exit";
import { databaseSettingsOrExit } from "./lib/settings-or-exit";

const settings = databaseSettingsOrExit();
const db = openDatabase(settings.databasePath);
migrateOrExit(db, "The migration stopped: ");
db.$client.close();
console.log(`Migrations applied to ${settings.databasePath}`);
