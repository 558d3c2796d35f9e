import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { convertLegacyEvents } from "@/lib/audit/legacy-events";
import { convertLegacySessions } from "@/lib/auth/legacy-sessions";
import type { CredentialsKey } from "@/lib/systems/connectors/credentials";
import { sealPlaintextWebhookSecrets } from "@/lib/systems/webhook-secrets";
import type { Db } from "./connection";
import { reconcileMigrationHistory } from "./migration-history";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

export type MigrateOptions = {
  /**
   * The installation's credentials key (`<dataDir>/credentials-key`), asked
   * for only when a webhook secret is still kept in the clear. The commands
   * that start Rightsdesk or bring its database up to date (`npm start`,
   * `npm run db:migrate`, the mail worker) pass it; without it such secrets
   * stay as they are until one of those runs.
   */
  credentialsKey?: () => CredentialsKey;
};

/**
 * Checks the database's list of applied migrations first (a newer or unknown
 * version's is refused with MigrationHistoryError, one made on the first day
 * is brought to today's first migrations; see ./migration-history.ts), then
 * applies every committed migration not yet applied to this database, then
 * converts a request log written before notes could be removed (a data
 * change SQL alone cannot make: it re-hashes the chain; see
 * lib/audit/legacy-events.ts); hashes session tokens stored as they are
 * (before they were kept hashed), so those signed in stay signed in
 * (lib/auth/legacy-sessions.ts); and seals webhook secrets written in the
 * clear by older versions (a change that needs the key kept outside the
 * database; see lib/systems/webhook-secrets.ts). Throws LegacyLogError,
 * whose message is the sentence to show, for an old log that no longer
 * verifies.
 */
export function migrateDatabase(db: Db, options: MigrateOptions = {}): void {
  reconcileMigrationHistory(db.$client, migrationsFolder);
  migrate(db, { migrationsFolder });
  convertLegacyEvents(db);
  convertLegacySessions(db);
  if (options.credentialsKey) sealPlaintextWebhookSecrets(db, options.credentialsKey);
}
