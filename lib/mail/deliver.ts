/**
 * Sends what the outbox holds. Rows are claimed with a short lease, so two
 * workers never send the same message at once, and a worker that dies
 * mid-send leaves the row to be picked up again when the lease runs out.
 */
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { mailOutbox, type OutboxMail } from "@/db/schema";
import type { MailTransport } from "./transport";

export const MAIL_POLICY = {
  leaseMs: 60_000,
  maxAttempts: 10,
  firstRetryMs: 30_000,
  maxRetryMs: 60 * 60_000,
  batchSize: 20,
} as const;

export const REDACTED_BODY = "[This message held a sign-in link. It was removed after delivery.]";

/** Wait before attempt `attempts + 1`: doubling from 30 seconds, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAIL_POLICY.firstRetryMs * 2 ** Math.max(0, attempts - 1), MAIL_POLICY.maxRetryMs);
}

function claimDueMail(db: Db, now: Date): OutboxMail[] {
  return db.transaction((tx) => {
    const due = tx
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(
        and(
          eq(mailOutbox.status, "pending"),
          lte(mailOutbox.nextAttemptAt, now),
          or(isNull(mailOutbox.lockedUntil), lte(mailOutbox.lockedUntil, now)),
        ),
      )
      .orderBy(asc(mailOutbox.id))
      .limit(MAIL_POLICY.batchSize)
      .all()
      .map((r) => r.id);
    if (due.length === 0) return [];
    return tx
      .update(mailOutbox)
      .set({ lockedUntil: new Date(now.getTime() + MAIL_POLICY.leaseMs) })
      .where(inArray(mailOutbox.id, due))
      .returning()
      .all();
  });
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 500);
}

export type DeliveryReport = { sent: number; retrying: number; failed: number };

/**
 * Asked before each message goes out. A message it holds is not lost and not
 * counted as a failed attempt: it waits until `until` (e.g. the per-address
 * daily limit in lib/limits).
 */
export type DeliveryGate = (mail: OutboxMail) => Promise<{ ok: true } | { ok: false; until: Date; reason: string }>;

export async function deliverDueMail(
  db: Db,
  transport: MailTransport,
  now = new Date(),
  gate?: DeliveryGate,
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
  for (const mail of claimDueMail(db, now)) {
    const admitted = gate ? await gate(mail) : { ok: true as const };
    if (!admitted.ok) {
      db.update(mailOutbox)
        .set({ lockedUntil: null, nextAttemptAt: admitted.until, lastError: admitted.reason })
        .where(eq(mailOutbox.id, mail.id))
        .run();
      continue;
    }
    try {
      await transport.send({
        messageId: mail.messageId,
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.textBody,
        html: mail.htmlBody,
      });
      db.update(mailOutbox)
        .set({
          status: "sent",
          sentAt: new Date(),
          attempts: sql`${mailOutbox.attempts} + 1`,
          lockedUntil: null,
          lastError: null,
          ...(mail.sensitive ? { textBody: REDACTED_BODY, htmlBody: REDACTED_BODY } : {}),
        })
        .where(eq(mailOutbox.id, mail.id))
        .run();
      report.sent++;
    } catch (error) {
      const attempts = mail.attempts + 1;
      const givesUp = attempts >= MAIL_POLICY.maxAttempts;
      db.update(mailOutbox)
        .set({
          status: givesUp ? "failed" : "pending",
          attempts,
          lockedUntil: null,
          lastError: describeError(error),
          nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts)),
        })
        .where(eq(mailOutbox.id, mail.id))
        .run();
      if (givesUp) report.failed++;
      else report.retrying++;
    }
  }
  return report;
}
