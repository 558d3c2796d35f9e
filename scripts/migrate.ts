/** `npm run db:migrate`: apply pending migrations to DATABASE_PATH. */
import { openDatabase } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { settingsOrExit } from "./lib/settings-or-exit";

const settings = settingsOrExit();
const db = openDatabase(settings.databasePath);
migrateDatabase(db);
db.$client.close();
console.log(`Migrations applied to ${settings.databasePath}`);
