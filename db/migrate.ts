import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { convertLegacyEvents } from "@/lib/audit/legacy-events";
import { convertLegacySessions } from "@/lib/auth/legacy-sessions";
import type { Db } from "./connection";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/**
 * Applies every committed migration not yet applied to this database, then
 * converts a request log written before notes could be removed (a data
 * change SQL alone cannot make: it re-hashes the chain; see
 * lib/audit/legacy-events.ts). Throws LegacyLogError, whose message is the
 * sentence to show, for an old log that no longer verifies. Session tokens
 * stored as they are (before they were kept hashed) are hashed, so those
 * signed in stay signed in (lib/auth/legacy-sessions.ts).
 */
export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder });
  convertLegacyEvents(db);
  convertLegacySessions(db);
}
