import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { requests } from "@/db/schema";
import { appendEvent } from "@/lib/audit/event-log";
import { enqueueMail } from "@/lib/mail/outbox";
import { receiptMail } from "@/lib/mail/templates";
import type { PortalContext } from "@/lib/portal/context";
import { calendarDateIn } from "@/lib/workflow/dates";
import { dueDateFor } from "@/lib/workflow/deadlines";
import { newReference } from "./reference";
import type { RequestSubmission } from "./request-form";

function unusedReference(tx: Tx): string {
  // 40 random bits make a clash vanishingly rare; checking costs one lookup.
  for (let attempt = 0; attempt < 5; attempt++) {
    const reference = newReference();
    const taken = tx.select({ id: requests.id }).from(requests).where(eq(requests.reference, reference)).get();
    if (!taken) return reference;
  }
  throw new Error("Could not find an unused request reference.");
}

/**
 * Turns a verified submission into a request: the legal clock starts now.
 * Runs inside the caller's transaction together with the receipt email.
 */
export function fileRequest(
  tx: Tx,
  input: { submission: RequestSubmission; now: Date; ctx: PortalContext },
): { id: number; reference: string } {
  const { submission, now, ctx } = input;
  const reference = unusedReference(tx);
  const receivedOn = calendarDateIn(now, ctx.timeZone);
  const dueOn = dueDateFor(receivedOn, ctx.regime);
  const { id } = tx
    .insert(requests)
    .values({
      reference,
      type: submission.type,
      status: "received",
      subjectEmail: submission.email,
      subjectName: submission.name ?? null,
      details: submission.details,
      channel: "web",
      regime: ctx.regime,
      receivedAt: now,
      receivedOn,
      dueOn,
      updatedAt: now,
    })
    .returning({ id: requests.id })
    .get();
  appendEvent(tx, {
    requestId: id,
    at: now,
    actorType: "supporter",
    actorEmail: submission.email,
    action: "filed",
    fromStatus: null,
    toStatus: "received",
    note: null,
  });
  enqueueMail(
    tx,
    {
      ...receiptMail({
        orgName: ctx.orgName,
        reference,
        type: submission.type,
        receivedOn,
        dueOn,
        requestUrl: `${ctx.appUrl}/requests/${reference}`,
        regime: ctx.regime,
      }),
      to: submission.email,
      kind: "receipt",
      requestId: id,
    },
    { now, appUrl: ctx.appUrl },
  );
  return { id, reference };
}

/** Files a request for a supporter who is already signed in: no link needed. */
export function fileVerifiedRequest(
  db: Db,
  input: { submission: RequestSubmission; now: Date; ctx: PortalContext },
): { reference: string } {
  return db.transaction((tx) => ({ reference: fileRequest(tx, input).reference }));
}
