import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { convertLegacyEvents } from "@/lib/audit/legacy-events";
import type { Db } from "./connection";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/**
 * Applies every committed migration not yet applied to this database, then
 * converts a request log written before notes could be removed (a data
 * change SQL alone cannot make: it re-hashes the chain; see
 * lib/audit/legacy-events.ts). Throws LegacyLogError, whose message is the
 * sentence to show, for an old log that no longer verifies.
 */
export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder });
  convertLegacyEvents(db);
}
