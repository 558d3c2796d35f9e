/**
 * Erasure: what is deleted, what the retention policy keeps (anonymised),
 * and the reduction of Rightsdesk's own copy of the person once it is done.
 *
 * Policy, decided here once:
 * - Supporter rows and everything hanging off them (memberships,
 *   subscriptions, signatures, correspondence, web visits) are deleted. The
 *   subscriptions go too: the suppression list is what keeps the address off
 *   every list and out of later imports.
 * - Donations within the tax retention period are kept, anonymised: the
 *   link to the supporter and the card's last four digits go (the tax
 *   record needs amount, currency, date and method; the digits would only
 *   help tie it back to a person). Older donations are deleted.
 * - The sign-in account, pending sign-in links and unconfirmed drafts for
 *   the address are deleted; the address is put on the suppression list as
 *   a keyed hash. The person's current choices about emails go; their
 *   history keeps the keyed hash in place of the address, so the counts of
 *   opt-outs stay right.
 * - Once the request is closed, Rightsdesk's own copies (the person's closed
 *   requests, the notes in their history, their access exports, correction
 *   values, sent mail) keep only
 *   what the record needs: type, dates, outcome, and the suppression hash in
 *   place of the address, which identifies the person only to someone who
 *   already holds the address and the installation's secret.
 */
import { keepPeriodStart } from "@/lib/calendar/dates";
import { and, eq, gte, inArray, isNull, like, lt, ne, notLike, or, sql } from "drizzle-orm";
import type { Db, Executor, Tx } from "@/db/connection";
import {
  accessExports,
  consentChanges,
  consents,
  correctionDecisions,
  correspondence,
  donations,
  mailOutbox,
  memberships,
  orgStatement,
  petitionSignatures,
  requestDrafts,
  requests,
  subscriptions,
  supporters,
  users,
  verificationTokens,
  webVisits,
  type RequestRow,
} from "@/db/schema";
import { removeEventContent } from "@/lib/audit/redaction";
import { detailsWithoutWords, isReducedSubject, mailWithoutContent } from "@/lib/record/retention";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { suppress, suppressionHash } from "@/lib/supporters/suppression";
import { forgetChoices } from "@/lib/consent/choices";

export const DEFAULT_DONATION_RETENTION_YEARS = 6;
export const ERASED_PREFIX = "erased:";
export const REDACTED_MAIL = "[Removed: the recipient's data was erased at their request.]";

export function donationRetentionYears(tx: Executor): number {
  return tx.select({ years: orgStatement.donationRetentionYears }).from(orgStatement).get()?.years ?? DEFAULT_DONATION_RETENTION_YEARS;
}

export type ErasurePlan = {
  deleted: Array<{ what: string; count: number }>;
  /** `key` names each kind kept, so the supporter's email can say it in their language. */
  kept: Array<{ key: "donations" | "suppression" | "choices"; what: string; count: number; why: string }>;
  retentionYears: number;
};

function supporterIdsOf(tx: Executor, email: string): number[] {
  return tx.select({ id: supporters.id }).from(supporters).where(eq(supporters.email, normalizeEmail(email))).all().map((r) => r.id);
}

function countIn(tx: Executor, table: typeof memberships | typeof subscriptions | typeof petitionSignatures | typeof correspondence | typeof webVisits, ids: number[]): number {
  if (ids.length === 0) return 0;
  return tx.select({ n: sql<number>`count(*)` }).from(table).where(inArray(table.supporterId, ids)).get()?.n ?? 0;
}

/** What erasing this address would do, for staff to see before they approve. */
/** `timeZone`: the organisation's, whose calendar day the keeping period is counted back from. */
export function planErasure(tx: Executor, input: { email: string; now: Date; timeZone: string }): ErasurePlan {
  const email = normalizeEmail(input.email);
  const ids = supporterIdsOf(tx, email);
  const years = donationRetentionYears(tx);
  const cutoff = keepPeriodStart(input.now, years, input.timeZone);
  const donationCount = (recent: boolean) =>
    ids.length === 0
      ? 0
      : (tx
          .select({ n: sql<number>`count(*)` })
          .from(donations)
          .where(and(inArray(donations.supporterId, ids), recent ? sql`${donations.donatedOn} >= ${cutoff}` : lt(donations.donatedOn, cutoff)))
          .get()?.n ?? 0);
  const signIn = tx.select({ n: sql<number>`count(*)` }).from(users).where(eq(users.email, email)).get()?.n ?? 0;
  return {
    retentionYears: years,
    deleted: [
      { what: "Supporter records (name, email, postal address, phone)", count: ids.length },
      { what: "Memberships", count: countIn(tx, memberships, ids) },
      { what: "Mailing-list subscriptions", count: countIn(tx, subscriptions, ids) },
      { what: "Petition signatures", count: countIn(tx, petitionSignatures, ids) },
      { what: "Correspondence", count: countIn(tx, correspondence, ids) },
      { what: "Web-visit logs", count: countIn(tx, webVisits, ids) },
      { what: `Donations older than ${years} years`, count: donationCount(false) },
      { what: "Sign-in account and sessions", count: signIn },
      { what: "Current choices about emails and about selling and sharing", count: tx.select({ n: sql<number>`count(*)` }).from(consents).where(eq(consents.email, email)).get()?.n ?? 0 },
    ],
    kept: [
      {
        key: "donations",
        what: "Donations (amount, currency, date, method)",
        count: donationCount(true),
        why: `Kept for ${years} years from the donation for tax law, anonymised: no name, email, address or card digits.`,
      },
      {
        key: "suppression",
        what: "The address as a keyed hash on the suppression list",
        count: 1,
        why: "So a later import or mailing cannot add this person back.",
      },
      {
        key: "choices",
        what: "When and how each choice about emails was made, with the keyed hash in place of the address",
        count: tx.select({ n: sql<number>`count(*)` }).from(consentChanges).where(eq(consentChanges.email, email)).get()?.n ?? 0,
        why: "So the counts of opt-outs stay right without naming anyone.",
      },
    ],
  };
}

export type ErasureOutcome = ErasurePlan;

/** Deletes and anonymises the person's records, in the caller's transaction. */
export function eraseSupporterRecords(tx: Tx, input: { email: string; now: Date; timeZone: string; secret: string }): ErasureOutcome {
  const email = normalizeEmail(input.email);
  const plan = planErasure(tx, input);
  const ids = supporterIdsOf(tx, email);
  if (ids.length > 0) {
    const cutoff = keepPeriodStart(input.now, plan.retentionYears, input.timeZone);
    tx.delete(donations).where(and(inArray(donations.supporterId, ids), lt(donations.donatedOn, cutoff))).run();
    tx.update(donations).set({ supporterId: null, cardLast4: null, anonymisedAt: input.now }).where(inArray(donations.supporterId, ids)).run();
    for (const table of [memberships, subscriptions, petitionSignatures, correspondence, webVisits]) {
      tx.delete(table).where(inArray(table.supporterId, ids)).run();
    }
    tx.delete(supporters).where(inArray(supporters.id, ids)).run();
  }
  forgetSignIn(tx, email);
  suppress(tx, { email, secret: input.secret, reason: "erasure", now: input.now });
  forgetChoices(tx, { email, marker: erasedMarker(email, input.secret) });
  return plan;
}

/** The sign-in account (its sessions cascade), pending links and unconfirmed drafts for the address. */
function forgetSignIn(tx: Tx, email: string): void {
  tx.delete(users).where(eq(users.email, email)).run();
  tx.delete(verificationTokens).where(eq(verificationTokens.identifier, email)).run();
  tx.delete(requestDrafts).where(eq(requestDrafts.email, email)).run();
}

/** Whether a request's address was replaced by the erasure marker: the person's data is gone. */
export function isErasedSubject(subjectEmail: string): boolean {
  return subjectEmail.startsWith(ERASED_PREFIX);
}

/**
 * How pages name the requester: their address, "erased" once it was replaced
 * by the erasure marker, or what retention left in its place.
 */
export function subjectAddressLabel(subjectEmail: string): string {
  if (isErasedSubject(subjectEmail)) return "erased";
  if (isReducedSubject(subjectEmail)) return "removed after the retention period";
  return subjectEmail;
}

export function erasedMarker(email: string, secret: string): string {
  return `${ERASED_PREFIX}${suppressionHash(email, secret)}`;
}

const ERASED_CONCERN = "[Removed when the supporter's data was erased.]";

/**
 * Once the erasure request is closed: every closed request of the person
 * keeps its type, dates and outcome, but the address becomes the marker and
 * what they wrote goes. Open requests still need the address to be answered.
 */
export function reduceErasedSubject(tx: Tx, input: { email: string; secret: string; now: Date }): void {
  const email = normalizeEmail(input.email);
  const marker = erasedMarker(email, input.secret);
  const closed = tx
    .select()
    .from(requests)
    .where(and(eq(requests.subjectEmail, email), inArray(requests.status, ["completed", "denied", "canceled"])))
    .all();
  for (const request of closed) {
    tx.update(requests).set({ subjectEmail: marker, subjectName: null, details: detailsWithoutWords(request, ERASED_CONCERN) }).where(eq(requests.id, request.id)).run();
    // What they wrote in the request's history goes too; the log keeps that it was there, and why it went.
    removeEventContent(tx, { requestId: request.id, reason: "erasure", now: input.now });
  }
  const ids = closed.map((r) => r.id);
  if (ids.length > 0) {
    tx.delete(accessExports).where(inArray(accessExports.requestId, ids)).run();
    tx.update(correctionDecisions).set({ currentValue: null, proposedValue: "[removed]", note: null }).where(inArray(correctionDecisions.requestId, ids)).run();
  }
  forgetSignIn(tx, email);
  // Mail already sent to the address: the record keeps that it was sent, not to whom or what it said.
  tx.update(mailOutbox)
    .set(mailWithoutContent(marker, REDACTED_MAIL))
    .where(and(eq(mailOutbox.toAddress, email), ne(mailOutbox.status, "pending")))
    .run();
}

/**
 * Mail still waiting when the request closed (the completion email itself)
 * is sent first, then reduced the same way; the worker calls this.
 */
export function redactMailToErasedSubjects(db: Db, secret: string): number {
  const sentToErased = db
    .select({ id: mailOutbox.id, marker: requests.subjectEmail, to: mailOutbox.toAddress })
    .from(mailOutbox)
    .innerJoin(requests, eq(requests.id, mailOutbox.requestId))
    .where(
      and(
        ne(mailOutbox.status, "pending"),
        like(requests.subjectEmail, `${ERASED_PREFIX}%`),
        notLike(mailOutbox.toAddress, `${ERASED_PREFIX}%`),
        // Mail that had left when the request closed was reduced then (reduceErasedSubject); only what left later is left.
        or(isNull(mailOutbox.sentAt), gte(mailOutbox.sentAt, requests.closedAt)),
      ),
    )
    .all()
    // Only mail to the erased person: staff's notices about the request keep their own addressee.
    .filter((mail) => erasedMarker(mail.to, secret) === mail.marker);
  let changed = 0;
  for (const mail of sentToErased) {
    changed += db.update(mailOutbox).set(mailWithoutContent(mail.marker, REDACTED_MAIL)).where(eq(mailOutbox.id, mail.id)).run().changes;
  }
  return changed;
}
