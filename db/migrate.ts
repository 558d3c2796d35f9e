import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Db } from "./connection";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Applies every committed migration not yet applied to this database. */
export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder });
}
