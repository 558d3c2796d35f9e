import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { requests, type RequestChannel } from "@/db/schema";
import { appendEvent } from "@/lib/audit/event-log";
import { carryOutUnsubscribe } from "@/lib/fulfilment/unsubscribe";
import { enqueueMail } from "@/lib/mail/outbox";
import { receiptMail } from "@/lib/mail/templates";
import type { PortalContext } from "@/lib/portal/context";
import { calendarDateIn, type CalendarDate } from "@/lib/workflow/dates";
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

/** For a request staff record by hand: how it came, who checked the identity and how. */
export type RecordedOrigin = {
  channel: Exclude<RequestChannel, "web">;
  identityCheck: string;
  receivedOn: CalendarDate;
  staffEmail: string;
};

/**
 * Turns a verified submission into a request: the legal clock starts at
 * receipt. Runs inside the caller's transaction together with the receipt email.
 */
export function fileRequest(
  tx: Tx,
  input: {
    submission: RequestSubmission;
    now: Date;
    ctx: PortalContext;
    recorded?: RecordedOrigin;
    /** Filed by following a signed one-click unsubscribe link: the signature proved the address. */
    viaSignedLink?: boolean;
  },
): { id: number; reference: string } {
  const { submission, now, ctx, recorded, viaSignedLink } = input;
  const reference = unusedReference(tx);
  const today = calendarDateIn(now, ctx.timeZone);
  const receivedOn = recorded?.receivedOn ?? today;
  // A request recorded days after it arrived is placed on the day it arrived (at midday UTC, which is that day almost everywhere).
  const receivedAt = receivedOn === today ? now : new Date(`${receivedOn}T12:00:00Z`);
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
      channel: recorded?.channel ?? "web",
      identityCheck: recorded?.identityCheck ?? (viaSignedLink ? "One-click unsubscribe link signed for this address" : null),
      regime: ctx.regime,
      receivedAt,
      receivedOn,
      dueOn,
      updatedAt: now,
    })
    .returning({ id: requests.id })
    .get();
  appendEvent(tx, {
    requestId: id,
    at: now,
    actorType: recorded ? "staff" : viaSignedLink ? "system" : "supporter",
    // A supporter is not named in the log: the request itself says whose it is.
    actorEmail: recorded ? recorded.staffEmail : null,
    action: recorded ? "recorded" : "filed",
    fromStatus: null,
    toStatus: "received",
    note: recorded
      ? `Arrived by ${recorded.channel} on ${recorded.receivedOn}. Identity checked: ${recorded.identityCheck}`
      : viaSignedLink
        ? "Sent with the one-click unsubscribe link in one of our emails."
        : null,
  });
  if (submission.type === "unsubscribe") {
    // Objection to marketing is honoured at once: no staff step, and one email saying it is done instead of a receipt.
    carryOutUnsubscribe(tx, { requestId: id, now, ctx });
    return { id, reference };
  }
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
