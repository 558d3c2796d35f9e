/**
 * The other places supporter data lives, listed by an admin. A webhook
 * system gets a generated secret, shown once, that signs every call to it;
 * it is kept sealed with the installation's key (webhook-secrets.ts).
 */
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/connection";
import { externalSystems, type SystemKind } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { fieldErrorsOf, oneLineText, type FieldErrors } from "@/lib/forms/fields";
import { checkWebhookTarget, type OutboundPolicy } from "@/lib/http/outbound-address";
import type { CredentialsKey } from "./connectors/credentials";
import { setWebhookSecret } from "./webhook-secrets";

export type SystemInput = { name: string; kind: "webhook" | "manual"; url: string | null };

const nameField = oneLineText("The name", 100);

export function parseSystemForm(input: Record<string, string>): { ok: true; value: SystemInput } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = nameField.safeParse(input.name);
  if (!name.success) errors.name = fieldErrorsOf(name.error).form ?? "Check the name.";
  else if (!name.data) errors.name = "Give the system a name, such as “CRM”.";
  const kind = z.enum(["webhook", "manual"]).safeParse(input.kind);
  if (!kind.success) errors.kind = "Choose webhook or manual.";
  let url: string | null = null;
  if (kind.success && kind.data === "webhook") {
    const raw = (input.url ?? "").trim();
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("scheme");
      url = parsed.toString();
    } catch {
      errors.url = "Enter the webhook's full address, starting with https://.";
    }
  }
  if (Object.keys(errors).length > 0 || !name.success || !name.data || !kind.success) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { name: name.data, kind: kind.data, url } };
}

export type SystemView = { id: number; name: string; kind: SystemKind; url: string | null; active: boolean; createdAt: Date };

export function listSystems(db: Db): SystemView[] {
  return db
    .select({ id: externalSystems.id, name: externalSystems.name, kind: externalSystems.kind, url: externalSystems.url, active: externalSystems.active, createdAt: externalSystems.createdAt })
    .from(externalSystems)
    .orderBy(asc(externalSystems.name))
    .all();
}

/**
 * A webhook's address must lead somewhere Rightsdesk may call (see
 * outbound-address.ts); checked here when it is saved, and again before
 * every call. Null when it may be saved.
 */
export async function webhookAddressProblem(input: SystemInput, policy: OutboundPolicy): Promise<FieldErrors | null> {
  if (input.kind !== "webhook" || input.url === null) return null;
  const target = await checkWebhookTarget(input.url, policy);
  return target.ok ? null : { url: target.message };
}

/** Adds a system; for a webhook, returns the secret, which is never shown again. */
export function addSystem(
  db: Db,
  input: SystemInput,
  options: { key: CredentialsKey; now: Date },
): { ok: true; secret: string | null } | { ok: false; message: string } {
  return inTransaction(db, (tx) => {
    const taken = tx.select({ id: externalSystems.id }).from(externalSystems).where(eq(externalSystems.name, input.name)).get();
    if (taken) return { ok: false, message: `There is already a system called “${input.name}”.` };
    const row = tx
      .insert(externalSystems)
      .values({ name: input.name, kind: input.kind, url: input.url, secret: null, active: true, createdAt: options.now })
      .returning({ id: externalSystems.id })
      .get();
    // Sealed with the row's own id bound in, so it cannot be moved onto another system.
    const secret = input.kind === "webhook" ? setWebhookSecret(tx, options.key, row.id) : null;
    return { ok: true, secret };
  });
}

export function setSystemActive(db: Db, input: { id: number; active: boolean }): boolean {
  return db.update(externalSystems).set({ active: input.active }).where(eq(externalSystems.id, input.id)).run().changes === 1;
}
