/**
 * An admin's look at one address in one connected system, before a real
 * request uses it: what an access export would hold and what an erasure
 * would do (both read-only there). Every look is on the record, with who,
 * when, which system, and the address as a keyed hash only.
 */
import { createHmac } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { externalSystems, systemPreviews } from "@/db/schema";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import { loadConnectedSystem } from "./connected-systems";
import type { CredentialsKey } from "./credentials";
import type { ExportedTable, TableErasureCount } from "./database-work";
import { describeFailure } from "./failures";
import { carryOutWork, type ListMembership } from "./system-work";

export type Preview =
  | { ok: true; system: string; found: string; wouldErase: string; tables?: ExportedTable[]; lists?: ListMembership[]; counts?: TableErasureCount[] }
  | { ok: false; system: string; reason: string };

/** The address as the record keeps it: a keyed hash, for a distinct purpose from the suppression list's. */
export function previewAddressHash(email: string, secret: string): string {
  return createHmac("sha256", secret).update(`system-preview:${normalizeEmail(email)}`).digest("hex");
}

export async function previewAddress(
  db: Db,
  input: { systemId: number; email: string; staffEmail: string; now: Date; timeZone: string; secret: string },
  options: { outbound: OutboundPolicy; credentials: CredentialsKey },
): Promise<Preview | null> {
  const named = db.select({ name: externalSystems.name }).from(externalSystems).where(eq(externalSystems.id, input.systemId)).get();
  if (!named) return null;
  const email = normalizeEmail(input.email);
  let preview: Preview;
  try {
    const system = loadConnectedSystem(db, input.systemId, options.credentials);
    if (!system) return null;
    const found = await carryOutWork(system, { type: "access", email }, options.outbound);
    const erase = await carryOutWork(system, { type: "dry-run", email, now: input.now, timeZone: input.timeZone }, options.outbound);
    preview = { ok: true, system: system.name, found: found.summary, wouldErase: erase.summary, tables: found.tables, lists: found.lists, counts: erase.counts };
  } catch (error) {
    const sentence = describeFailure(error).sentence;
    preview = { ok: false, system: named.name, reason: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1).replace(/\.$/, "")}.` };
  }
  db.insert(systemPreviews)
    .values({
      systemId: input.systemId,
      staffEmail: input.staffEmail,
      addressHash: previewAddressHash(email, input.secret),
      at: input.now,
      outcome: preview.ok ? `${preview.found} Erasure would do: ${preview.wouldErase}` : `Could not look: ${preview.reason}`,
    })
    .run();
  return preview;
}

export type PreviewRecord = { at: Date; staffEmail: string; outcome: string };

/** The latest looks at a system, for its page. */
export function recentPreviews(db: Db, systemId: number, limit = 10): PreviewRecord[] {
  return db
    .select({ at: systemPreviews.at, staffEmail: systemPreviews.staffEmail, outcome: systemPreviews.outcome })
    .from(systemPreviews)
    .where(eq(systemPreviews.systemId, systemId))
    .orderBy(desc(systemPreviews.at), desc(systemPreviews.id))
    .limit(limit)
    .all();
}
