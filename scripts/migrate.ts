/** `npm run db:migrate`: apply pending migrations to DATABASE_PATH. */
import { openDatabase } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { databaseSettingsOrExit } from "./lib/settings-or-exit";

const settings = databaseSettingsOrExit();
const db = openDatabase(settings.databasePath);
migrateDatabase(db);
db.$client.close();
console.log(`Migrations applied to ${settings.databasePath}`);
