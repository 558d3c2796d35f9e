/**
 * Webhook systems' signing secrets, sealed at rest with the installation's
 * credentials key (connectors/credentials.ts), like connected systems'
 * passwords: whoever holds a copy of the database alone cannot sign a call
 * the organisation's systems would believe. The secret itself never
 * changes by being sealed: the outside system already holds it.
 */
import { randomBytes } from "node:crypto";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Db, Executor } from "@/db/connection";
import { externalSystems } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { looksSealed, openSecret, sealSecret, type CredentialsKey } from "./connectors/credentials";

/** A new secret: 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function sealWebhookSecret(key: CredentialsKey, systemId: number, secret: string): string {
  return sealSecret(key, { purpose: "webhook-secret", systemId }, secret);
}

/** The secret to sign with; throws a CredentialsError with a sentence for staff when it cannot be opened. */
export function openWebhookSecret(key: CredentialsKey, systemId: number, stored: string): string {
  return openSecret(key, { purpose: "webhook-secret", systemId }, stored);
}

/** Gives a webhook system a secret, sealed with its own id bound in; returns the secret, to show once. */
export function setWebhookSecret(db: Executor, key: CredentialsKey, systemId: number): string {
  const secret = newWebhookSecret();
  db.update(externalSystems).set({ secret: sealWebhookSecret(key, systemId, secret) }).where(eq(externalSystems.id, systemId)).run();
  return secret;
}

/**
 * A new secret for a webhook system, for when its stored one no longer
 * opens (the key file was lost or replaced) or may have leaked: the old one
 * signs nothing from now on. Returns the secret, to show once; null when
 * there is no such webhook system.
 */
export function renewWebhookSecret(db: Db, key: CredentialsKey, systemId: number): string | null {
  return inTransaction(db, (tx) => {
    const row = tx.select({ kind: externalSystems.kind }).from(externalSystems).where(eq(externalSystems.id, systemId)).get();
    return row?.kind === "webhook" ? setWebhookSecret(tx, key, systemId) : null;
  });
}

/**
 * Seals every secret still kept in the clear (written before secrets were
 * sealed), keeping its value, in one transaction; returns how many. A
 * sealed value has the `v1.` form and is left as it is, so running this
 * again changes nothing. The key is asked for only when there is something
 * to seal, so a database with none never creates one.
 */
export function sealPlaintextWebhookSecrets(db: Db, key: () => CredentialsKey): number {
  return inTransaction(db, (tx) => {
    const plain = tx
      .select({ id: externalSystems.id, secret: externalSystems.secret })
      .from(externalSystems)
      .where(isNotNull(externalSystems.secret))
      .all()
      .filter((row): row is { id: number; secret: string } => row.secret !== null && !looksSealed(row.secret));
    if (plain.length === 0) return 0;
    const sealWith = key();
    for (const row of plain) {
      tx.update(externalSystems)
        .set({ secret: sealWebhookSecret(sealWith, row.id, row.secret) })
        .where(and(eq(externalSystems.id, row.id), eq(externalSystems.secret, row.secret)))
        .run();
    }
    return plain.length;
  });
}
