/**
 * The staff's daily digest: open requests that are overdue or due within 7
 * days. The worker asks on every round; it goes out on the first round at or
 * after the configured hour in the organisation's time zone, once per day.
 */
import { dateFormat } from "@/lib/calendar/date-format";
import { and, asc, count, eq, inArray, lte } from "drizzle-orm";
import { CASEWORK_ROLES } from "@/lib/auth/load-viewer";
import type { Db, Tx } from "@/db/connection";
import { requests, staff, staffDigests, type RequestStatus } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { addDays, calendarDateIn, daysBetween, type CalendarDate } from "@/lib/calendar/dates";
import { enqueueMails } from "@/lib/mail/outbox";
import type { DigestItem } from "@/lib/mail/emails/daily-digest";
import { dailyDigestMail } from "@/lib/mail/emails/daily-digest";
import { countOf } from "@/lib/language/plural";
import type { Job } from "./job";

export const DIGEST_KIND = "daily-digest";
export const DIGEST_HORIZON_DAYS = 7;
/** A digest names at most this many requests; the queue has the rest. */
export const DIGEST_MAX_ITEMS = 50;

/**
 * Open requests the staff can act on. One waiting for the supporter is left
 * out: its clock is stopped, so its due date will move.
 */
const ACTIONABLE: RequestStatus[] = ["received", "in_review", "approved"];

/** The hour (0-23) an instant falls in, in the given time zone. */
export function hourIn(instant: Date, timeZone: string): number {
  const hour = dateFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" })
    .formatToParts(instant)
    .find((p) => p.type === "hour")?.value;
  return Number(hour);
}

/** The day whose digest is due at `now`, or null before the hour. */
export function digestDayAt(now: Date, timeZone: string, hour: number): CalendarDate | null {
  return hourIn(now, timeZone) >= hour ? calendarDateIn(now, timeZone) : null;
}

function dueItems(tx: Tx, day: CalendarDate, appUrl: string): { items: DigestItem[]; total: number } {
  const due = and(inArray(requests.status, ACTIONABLE), lte(requests.dueOn, addDays(day, DIGEST_HORIZON_DAYS)));
  const total = tx.select({ n: count() }).from(requests).where(due).get()?.n ?? 0;
  const rows = tx
    .select({ reference: requests.reference, type: requests.type, dueOn: requests.dueOn, assignee: requests.assigneeEmail })
    .from(requests)
    .where(due)
    .orderBy(asc(requests.dueOn), asc(requests.id))
    .limit(DIGEST_MAX_ITEMS)
    .all();
  const items = rows.map((r) => ({
    ...r,
    daysLeft: daysBetween(day, r.dueOn),
    url: `${appUrl}/staff/requests/${r.reference}`,
  }));
  return { items, total };
}

export type DigestRun = { day: CalendarDate; recipients: number; requests: number };

/**
 * Sends the digest if it is due and nobody sent today's yet. The day's row,
 * the messages and the counts commit together, so a second worker (or a
 * restart) finds the day taken and sends nothing. A day with nothing due is
 * recorded but sends no mail.
 */
export function sendDailyDigestIfDue(
  db: Db,
  input: { now: Date; timeZone: string; hour: number; orgName: string; appUrl: string },
): DigestRun | null {
  const day = digestDayAt(input.now, input.timeZone, input.hour);
  if (day === null) return null;
  // A plain read first: once today's is sent, the rest of the day's beats take no write lock.
  if (db.select({ day: staffDigests.day }).from(staffDigests).where(eq(staffDigests.day, day)).get()) return null;
  return inTransaction(
    db,
    (tx): DigestRun | null => {
      const claimed = tx
        .insert(staffDigests)
        .values({ day, sentAt: input.now, recipients: 0, requests: 0 })
        .onConflictDoNothing()
        .run().changes;
      if (claimed === 0) return null;

      const { items, total } = dueItems(tx, day, input.appUrl);
      // Those who work requests; auditors read the record when they choose and get no daily list.
      const members = total === 0 ? [] : tx.select({ email: staff.email }).from(staff).where(inArray(staff.role, CASEWORK_ROLES)).orderBy(asc(staff.email)).all();
      const overdue = items.filter((i) => i.daysLeft < 0);
      const dueSoon = items.filter((i) => i.daysLeft >= 0);
      const digestFor = (recipient: string) =>
        dailyDigestMail.draft({ orgName: input.orgName, day, recipient, overdue, dueSoon, more: total - items.length, queueUrl: `${input.appUrl}/staff` });
      enqueueMails(
        tx,
        members.map((member) => ({ ...digestFor(member.email), to: member.email, kind: DIGEST_KIND })),
        { now: input.now, appUrl: input.appUrl },
      );
      tx.update(staffDigests).set({ recipients: members.length, requests: total }).where(eq(staffDigests.day, day)).run();
      return { day, recipients: members.length, requests: total };
    },
  );
}

/** The digest to staff once a day at the hour set, in the organisation's time zone. */
export function dailyDigestJob(options: { timeZone: string; hour: number; orgName: string; appUrl: string; log: (line: string) => void }): Job {
  return {
    name: "daily-digest",
    run(db, now) {
      const digest = sendDailyDigestIfDue(db, { now, timeZone: options.timeZone, hour: options.hour, orgName: options.orgName, appUrl: options.appUrl });
      if (digest) options.log(`[mail] daily digest for ${digest.day}: ${countOf(digest.requests, "request")}, ${countOf(digest.recipients, "staff member")}`);
      return (digest?.recipients ?? 0) > 0;
    },
  };
}
