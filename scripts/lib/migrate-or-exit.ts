import type { Db } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { MigrationHistoryError } from "@/db/migration-history";
import { LegacyLogError } from "@/lib/audit/legacy-events";
import { CredentialsKeyError, loadOrCreateCredentialsKey } from "@/lib/systems/connectors/credentials";

/**
 * The sentence for a migration that failed. An old request log that no
 * longer verifies has its own; any other failure names SQLite's reason and
 * the statement it stopped at, never a stack: the migrations run in one
 * transaction, so a failure leaves the database as it was.
 */
export function migrationProblem(error: unknown): string {
  if (error instanceof LegacyLogError || error instanceof CredentialsKeyError || error instanceof MigrationHistoryError) return error.message;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
  const reason = (cause ?? (error instanceof Error ? error : null))?.message ?? String(error);
  const statement = error instanceof Error ? /Failed to run the query '([^]*)'/.exec(error.message)?.[1] : undefined;
  const at = statement ? ` at the step "${statement.replace(/\s+/g, " ").trim().slice(0, 120)}"` : "";
  return (
    `the database could not be brought up to date: SQLite said "${reason}"${at}. Nothing was changed: the migrations run in one transaction. ` +
    "If the database was changed by hand, undo that change (or restore the last backup, see Backups in the README) and start again."
  );
}

/**
 * Migrates, sealing any webhook secret an older version kept in the clear
 * with the credentials key in `dataDir`, or stops with one sentence (see
 * migrationProblem).
 */
export function migrateOrExit(db: Db, dataDir: string, prefix = "Rightsdesk cannot start: "): void {
  try {
    migrateDatabase(db, { credentialsKey: () => loadOrCreateCredentialsKey(dataDir) });
  } catch (error) {
    db.$client.close();
    console.error(`${prefix}${migrationProblem(error)}`);
    process.exit(1);
  }
}
