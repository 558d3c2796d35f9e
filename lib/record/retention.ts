/**
 * Retention of the requests themselves. REQUEST_RETENTION_MONTHS after it
 * closed, a request keeps only what the statistics need (type, channel,
 * regime, the dates, the outcome, who worked it) and loses everything that
 * identifies or quotes the person: the address and name, what they and staff
 * wrote (its details, the notes in its history, the identity check, the
 * extension's reason, outside systems' answers), its access export, the
 * values of a correction, and the bodies and addressee of its mail. It is
 * done on the record: the request's history gains a removal event, and the
 * log still verifies. Once the person has no request left that is not
 * reduced, their sign-in account, links and drafts go too, and mail sent to
 * the address outside any request is reduced the same way.
 *
 * Supporter records imported from the organisation's other systems are
 * theirs, kept by their own rules; this touches only Rightsdesk's requests.
 */
import { and, asc, eq, isNotNull, isNull, lt, ne } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import {
  accessExports,
  correctionDecisions,
  mailOutbox,
  requestDrafts,
  requests,
  requestTasks,
  staff,
  users,
  verificationTokens,
  type RequestRow,
} from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { removeEventContent } from "@/lib/audit/redaction";
import { addCalendarMonths, addDays, calendarDateIn } from "@/lib/calendar/dates";
import { startOfDayIn } from "@/lib/calendar/months";

/** How a reduced request's address reads: no address, and no keyed hash of one either. */
export const REDUCED_PREFIX = "removed:";
export const REDUCED_MAIL = "[Removed: the request passed its retention period.]";

/** Whether the request was reduced for retention. */
export function isReducedSubject(subjectEmail: string): boolean {
  return subjectEmail.startsWith(REDUCED_PREFIX);
}

/**
 * The first instant of the earliest closing still kept at `now`: a request closed on a day (in the organisation's
 * time zone) keeps its details through the day `months` later (that month's last day where the date does not
 * exist), the day its receipt names, and is reduced on the first run after it, whatever the time of day the run
 * comes and whichever way the clocks changed in between.
 */
export function retentionCutoff(now: Date, months: number, timeZone: string): Date {
  const today = calendarDateIn(now, timeZone);
  const back = addCalendarMonths(today, -months);
  // Where `back` is a month's last day only because today's date does not exist in that month (31 March back to
  // 28 February), that day's requests were due to go on 28 March already; the 1st of the next month is kept.
  const firstKept = addCalendarMonths(back, months) >= today ? back : addDays(back, 1);
  return startOfDayIn(firstKept, timeZone);
}

/**
 * The details a request keeps once its words are removed (after the retention period here, or when the person's
 * data is erased): the shape each type's pages expect, with nothing anyone wrote; a concern says why instead.
 */
export function detailsWithoutWords(request: Pick<RequestRow, "type">, concernNote: string): unknown {
  switch (request.type) {
    case "erasure":
      return { type: "erasure", confirmed: true };
    case "correction":
      return { type: "correction", changes: {} };
    case "concern":
      return { type: "concern", message: concernNote };
    default:
      return { type: request.type };
  }
}

/** What an outbox row keeps of a message once its content is removed: that it was sent, not to whom or what it said. */
export function mailWithoutContent(marker: string, note: string) {
  return { toAddress: marker, textBody: note, htmlBody: note, template: null, props: null };
}

const REDUCED_CONCERN = "[Removed after the retention period.]";

/** Reduces one closed request, in the caller's transaction. */
export function reduceRequest(tx: Tx, request: RequestRow, now: Date): void {
  const marker = `${REDUCED_PREFIX}${request.reference}`;
  const address = request.subjectEmail;
  tx.update(requests)
    .set({ subjectEmail: marker, subjectName: null, details: detailsWithoutWords(request, REDUCED_CONCERN), identityCheck: null, extensionReason: null, reducedAt: now })
    .where(eq(requests.id, request.id))
    .run();
  removeEventContent(tx, { requestId: request.id, reason: "retention", now });
  tx.delete(accessExports).where(eq(accessExports.requestId, request.id)).run();
  tx.update(correctionDecisions).set({ currentValue: null, proposedValue: "[removed]", note: null }).where(eq(correctionDecisions.requestId, request.id)).run();
  tx.update(requestTasks).set({ lastResponse: null }).where(eq(requestTasks.requestId, request.id)).run();
  tx.delete(requestDrafts).where(eq(requestDrafts.requestId, request.id)).run();
  // Mail about the request: the record keeps that it was sent, and to which staff member, but not what it said or to whom among the public.
  tx.delete(mailOutbox).where(and(eq(mailOutbox.requestId, request.id), eq(mailOutbox.status, "pending"))).run();
  tx.update(mailOutbox).set(mailWithoutContent(marker, REDUCED_MAIL)).where(and(eq(mailOutbox.requestId, request.id), eq(mailOutbox.toAddress, address))).run();
  tx.update(mailOutbox)
    .set({ textBody: REDUCED_MAIL, htmlBody: REDUCED_MAIL, template: null, props: null })
    .where(and(eq(mailOutbox.requestId, request.id), ne(mailOutbox.toAddress, marker)))
    .run();
  if (address.includes("@")) forgetIfNoneLeft(tx, address, marker);
}

/**
 * With no request of theirs left unreduced, and not on the staff list, the
 * person's sign-in account (its sessions go with it), links, drafts and
 * mail outside any request go as well. Mail still waiting is left to be
 * sent: it was asked for just now (a sign-in link), by someone active.
 */
function forgetIfNoneLeft(tx: Tx, address: string, marker: string): void {
  const left = tx.select({ id: requests.id }).from(requests).where(eq(requests.subjectEmail, address)).limit(1).get();
  if (left) return;
  if (tx.select({ id: staff.id }).from(staff).where(eq(staff.email, address)).get()) return;
  tx.delete(users).where(eq(users.email, address)).run();
  tx.delete(verificationTokens).where(eq(verificationTokens.identifier, address)).run();
  tx.delete(requestDrafts).where(eq(requestDrafts.email, address)).run();
  tx.update(mailOutbox)
    .set(mailWithoutContent(marker, REDUCED_MAIL))
    .where(and(eq(mailOutbox.toAddress, address), ne(mailOutbox.status, "pending")))
    .run();
}

export type RetentionOutcome = { reduced: number; cutoff: Date };

/**
 * Reduces every request whose retention ran out before today (see retentionCutoff) and not yet
 * reduced, oldest first, a batch per transaction, giving way to other work
 * between batches.
 */
export async function applyRetention(db: Db, input: { now: Date; months: number; timeZone: string; batchSize?: number }): Promise<RetentionOutcome> {
  const cutoff = retentionCutoff(input.now, input.months, input.timeZone);
  const batchSize = input.batchSize ?? 200;
  let reduced = 0;
  for (;;) {
    const done = inTransaction(db, (tx) => {
      const due = tx
        .select()
        .from(requests)
        .where(and(isNotNull(requests.closedAt), isNull(requests.reducedAt), lt(requests.closedAt, cutoff)))
        .orderBy(asc(requests.closedAt))
        .limit(batchSize)
        .all();
      for (const request of due) reduceRequest(tx, request, input.now);
      return due.length;
    });
    reduced += done;
    if (done < batchSize) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { reduced, cutoff };
}
