/**
 * Unsubscribe is carried out the moment it is received: every list the
 * address is on ends at once, and the request closes itself.
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Tx } from "@/db/connection";
import { requests, subscriptions, supporters } from "@/db/schema";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { enqueueMail } from "@/lib/mail/outbox";
import { unsubscribedMail } from "@/lib/mail/emails/unsubscribed";
import type { PortalContext } from "@/lib/settings/portal-context";
import { applyChange } from "@/lib/requests/lifecycle/request-change";
import { requestUrl } from "@/lib/requests/lifecycle/links";
import { countOf } from "@/lib/language/plural";
import { orgNameFor } from "@/lib/settings/org-name";

/** Ends every subscription of every supporter record with this address; returns how many were still running. */
export function endSubscriptions(tx: Tx, email: string, now: Date): number {
  const ids = tx
    .select({ id: supporters.id })
    .from(supporters)
    .where(eq(supporters.email, normalizeEmail(email)))
    .all()
    .map((r) => r.id);
  if (ids.length === 0) return 0;
  return tx
    .update(subscriptions)
    .set({ unsubscribedAt: now })
    .where(and(inArray(subscriptions.supporterId, ids), isNull(subscriptions.unsubscribedAt)))
    .run().changes;
}

/** Carries out a just-filed unsubscribe request and closes it, as the system, in the caller's transaction. */
export function carryOutUnsubscribe(tx: Tx, input: { requestId: number; now: Date; ctx: PortalContext }): void {
  const request = tx.select().from(requests).where(eq(requests.id, input.requestId)).get();
  if (!request || request.type !== "unsubscribe") throw new Error("carryOutUnsubscribe needs an unsubscribe request.");
  const ended = endSubscriptions(tx, request.subjectEmail, input.now);
  const result = applyChange(tx, request, {
    actor: { type: "system" },
    action: "completed",
    to: "completed",
    now: input.now,
    note: `Taken off every mailing list at once: ${countOf(ended, "subscription")} ended.`,
  });
  // The table allows this move to the system; failing here is a programming error, so the whole filing rolls back.
  if (!result.ok) throw new Error(`Could not complete unsubscribe ${request.reference}: ${result.message}`);
  enqueueMail(
    tx,
    {
      ...unsubscribedMail.draft({
        language: request.language,
        orgName: orgNameFor(tx, request.language, input.ctx),
        reference: request.reference,
        lists: ended,
        requestUrl: requestUrl(input.ctx, request),
      }),
      to: request.subjectEmail,
      kind: "completed",
      requestId: request.id,
    },
    { now: input.now, appUrl: input.ctx.appUrl },
  );
}
