/**
 * Mail that could not be delivered: what admins see on the dashboard, their
 * retry, and the alert that tells them to look.
 */
import { and, asc, count, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { mailOutbox, staff } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { enqueueMails } from "@/lib/mail/outbox";
import { failedMailAlertMail } from "@/lib/mail/emails/failed-mail-alert";

export const FAILED_MAIL_ALERT_KIND = "failed-mail-alert";

/** At most one alert an hour, however many messages fail: an outage should not flood the admins. */
export const ALERT_INTERVAL_MS = 60 * 60_000;

/** How many failed messages one alert names; the dashboard has the rest. */
const ALERT_EXAMPLES = 10;

export type UndeliveredMail = {
  id: number;
  queuedAt: Date;
  to: string;
  subject: string;
  attempts: number;
  lastError: string | null;
  /** Null when it waits for an admin (the server refused it for good). */
  nextTryAt: Date | null;
};

export type MailOverview = { waiting: number; failed: UndeliveredMail[] };

/** The admin dashboard's view: how many messages wait to be sent, and every failed one. */
export function mailOverview(db: Db): MailOverview {
  const waiting = db.select({ n: count() }).from(mailOutbox).where(eq(mailOutbox.status, "pending")).get()?.n ?? 0;
  const failed = db
    .select({
      id: mailOutbox.id,
      queuedAt: mailOutbox.createdAt,
      to: mailOutbox.toAddress,
      subject: mailOutbox.subject,
      attempts: mailOutbox.attempts,
      lastError: mailOutbox.lastError,
      nextAttemptAt: mailOutbox.nextAttemptAt,
      autoRetry: mailOutbox.autoRetry,
    })
    .from(mailOutbox)
    .where(eq(mailOutbox.status, "failed"))
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .all()
    .map(({ nextAttemptAt, autoRetry, ...rest }) => ({ ...rest, nextTryAt: autoRetry ? nextAttemptAt : null }));
  return { waiting, failed };
}

/**
 * Makes failed messages due at once (all of them, or those named). Their
 * count of tries is kept; if they fail again they are marked failed again
 * and admins hear of it again.
 */
export function retryFailedMail(db: Db, input: { ids: number[] | "all"; now: Date }): number {
  const which = input.ids === "all" ? eq(mailOutbox.status, "failed") : and(eq(mailOutbox.status, "failed"), inArray(mailOutbox.id, input.ids));
  if (input.ids !== "all" && input.ids.length === 0) return 0;
  return db
    .update(mailOutbox)
    .set({ status: "pending", nextAttemptAt: input.now, autoRetry: true, alertedAt: null })
    .where(which)
    .run().changes;
}

/**
 * Tells every admin about messages newly marked failed, at most once per
 * ALERT_INTERVAL_MS. The alert and the marking of the messages as alerted
 * commit together, so two workers never both send it. A failed alert is not
 * itself alerted about; it shows on the dashboard like any failed message.
 * Returns how many alerts were queued.
 */
export function alertAdminsOfFailedMail(
  db: Db,
  input: { now: Date; orgName: string; appUrl: string; maxAttempts: number },
): number {
  const unreported = and(eq(mailOutbox.status, "failed"), isNull(mailOutbox.alertedAt), ne(mailOutbox.kind, FAILED_MAIL_ALERT_KIND));
  // A plain read first: with nothing to report, the worker's beat takes no write lock.
  if (!db.select({ id: mailOutbox.id }).from(mailOutbox).where(unreported).limit(1).get()) return 0;
  return inTransaction(
    db,
    (tx) => {
      const total = tx.select({ n: count() }).from(mailOutbox).where(unreported).get()?.n ?? 0;
      if (total === 0) return 0;
      const last = tx
        .select({ at: sql<number | null>`max(${mailOutbox.createdAt})` })
        .from(mailOutbox)
        .where(eq(mailOutbox.kind, FAILED_MAIL_ALERT_KIND))
        .get()?.at;
      if (last != null && input.now.getTime() - last < ALERT_INTERVAL_MS) return 0;

      const admins = tx.select({ email: staff.email }).from(staff).where(eq(staff.role, "admin")).orderBy(asc(staff.email)).all();
      // With no admin to tell, the messages stay unreported until there is one.
      if (admins.length === 0) return 0;
      const examples = tx
        .select({ subject: mailOutbox.subject, to: mailOutbox.toAddress, attempts: mailOutbox.attempts, lastError: mailOutbox.lastError })
        .from(mailOutbox)
        .where(unreported)
        .orderBy(asc(mailOutbox.id))
        .limit(ALERT_EXAMPLES)
        .all();
      const alert = failedMailAlertMail.draft({ orgName: input.orgName, count: total, maxAttempts: input.maxAttempts, messages: examples, mailUrl: `${input.appUrl}/staff/mail` });
      enqueueMails(
        tx,
        admins.map((admin) => ({ ...alert, to: admin.email, kind: FAILED_MAIL_ALERT_KIND })),
        { now: input.now, appUrl: input.appUrl },
      );
      tx.update(mailOutbox).set({ alertedAt: input.now }).where(unreported).run();
      return admins.length;
    },
  );
}
