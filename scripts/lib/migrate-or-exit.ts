import type { Db } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { LegacyLogError } from "@/lib/audit/legacy-events";

/** Migrates, or stops with one sentence when an old request log cannot be converted (it no longer verifies). */
export function migrateOrExit(db: Db, prefix = "Rightsdesk cannot start: "): void {
  try {
    migrateDatabase(db);
  } catch (error) {
    if (!(error instanceof LegacyLogError)) throw error;
    db.$client.close();
    console.error(`${prefix}${error.message}`);
    process.exit(1);
  }
}
