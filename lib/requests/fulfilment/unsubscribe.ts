/**
 * Unsubscribe is carried out the moment it is received: every list the
 * address is on in Rightsdesk's own records ends at once, and the request
 * closes itself; or, when connected systems (a list server, a database
 * whose map says how a subscription ends) must answer too, it waits for
 * them as received, with no staff step, and closes (received → completed,
 * as the system) when the last answers.
 */
import { and, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Tx } from "@/db/connection";
import { requests, requestTasks, subscriptions, supporters } from "@/db/schema";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { enqueueMail } from "@/lib/mail/outbox";
import { withReceipt } from "@/lib/record/receipts";
import { unsubscribedMail } from "@/lib/mail/emails/unsubscribed";
import type { PortalContext } from "@/lib/settings/portal-context";
import { applyChange } from "@/lib/requests/lifecycle/request-change";
import { requestUrl } from "@/lib/requests/lifecycle/links";
import { countOf } from "@/lib/language/plural";
import { orgNameFor } from "@/lib/settings/org-name";
import { createUnsubscribeTasks } from "./tasks";
import { unsubscribesThere } from "@/lib/systems/connectors/system-work";

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
  const tasks = createUnsubscribeTasks(tx, request, input.now, (system) => unsubscribesThere({ kind: system.kind, mapText: system.datasetMap }));
  if (tasks > 0) {
    const waiting = applyChange(tx, request, {
      actor: { type: "system" },
      action: "tasks_created",
      now: input.now,
      note: `Taken off Rightsdesk's own lists at once: ${countOf(ended, "subscription")} ended. ${countOf(tasks, "connected system")} to answer.`,
    });
    if (!waiting.ok) throw new Error(`Could not start unsubscribe ${request.reference}: ${waiting.message}`);
    return;
  }
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
      ...withReceipt(
        tx,
        unsubscribedMail.draft({
          language: request.language,
          orgName: orgNameFor(tx, request.language, input.ctx),
          reference: request.reference,
          lists: ended,
          requestUrl: requestUrl(input.ctx, request),
        }),
        { requestId: request.id, now: input.now, ctx: input.ctx },
      ),
      to: request.subjectEmail,
      kind: "completed",
      requestId: request.id,
    },
    { now: input.now, appUrl: input.ctx.appUrl },
  );
}

/**
 * For the email once connected systems have answered: every list of
 * Rightsdesk's own records the address is now off, and every list the
 * list servers took it off.
 */
export function listsEndedFor(tx: Tx, request: { id: number; subjectEmail: string }): number {
  const ids = tx.select({ id: supporters.id }).from(supporters).where(eq(supporters.email, normalizeEmail(request.subjectEmail))).all().map((r) => r.id);
  const here = ids.length === 0 ? 0 : tx.select({ id: subscriptions.id }).from(subscriptions).where(and(inArray(subscriptions.supporterId, ids), isNotNull(subscriptions.unsubscribedAt))).all().length;
  const there = tx
    .select({ result: requestTasks.result })
    .from(requestTasks)
    .where(eq(requestTasks.requestId, request.id))
    .all()
    .reduce((n, t) => n + (typeof (t.result as { listsEnded?: unknown } | null)?.listsEnded === "number" ? (t.result as { listsEnded: number }).listsEnded : 0), 0);
  return here + there;
}
