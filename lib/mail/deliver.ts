/**
 * Sends what the outbox holds.
 *
 * Claiming: rows are claimed in an IMMEDIATE transaction (SQLite's write
 * lock is taken before the due rows are read), each with a lease and the
 * claim's token, so two workers, in one process or two, never hold the same
 * message at once. Every later write names the token, so a worker whose
 * lease ran out cannot overwrite what another worker did since.
 *
 * Crashes: a worker that dies mid-send leaves its lease to run out; the
 * message is then sent again with the same Message-ID. If the mail server
 * had already accepted it, the recipient's server can tell it is the same
 * message. That is the one way a message can arrive twice.
 *
 * Throttling: each claim also reserves send slots, spaced 1/rate seconds
 * apart, from one shared row, so the rate holds across all workers.
 *
 * Failures: retried with exponential backoff. After `maxAttempts` a message
 * is marked failed (admins are alerted, see failed-mail.ts) but is still
 * retried at the longest interval, so an outage of any length loses nothing;
 * only a message the server refused for good (a 5xx reply to its recipient
 * or content) then stops and waits for an admin's retry.
 */
import { and, asc, eq, isNotNull, isNull, lte, ne, or, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { mailOutbox, mailThrottle, type OutboxMail } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { BASE_LANGUAGE, isLanguage, type Language } from "@/lib/language/languages";
import { ownerIsGone, ownerToken } from "@/lib/process/owner";
import { renderTemplate, type MailBrand, type RenderedParts } from "./render";
import type { FooterChoices } from "./emails/parts";
import { isStaffTemplate, parseTemplateCall, TemplateError } from "@/lib/mail/templates";
import type { MailTransport } from "./transport";

export type MailPolicy = {
  /** Failed tries before a message is marked failed and admins are told. */
  maxAttempts: number;
  firstRetryMs: number;
  maxRetryMs: number;
  /** How long a claim holds a message beyond its send slot; longer than any send can take (see SMTP_TIMEOUTS). */
  leaseMs: number;
  ratePerSecond: number;
};

export const MAIL_POLICY: MailPolicy = {
  maxAttempts: 10,
  firstRetryMs: 30_000,
  maxRetryMs: 60 * 60_000,
  leaseMs: 2 * 60_000,
  ratePerSecond: 5,
};

export const REDACTED_BODY = "[This message held a sign-in link. It was removed after delivery.]";

/** Wait before attempt `attempts + 1`: doubling from the first wait, never above the longest. */
export function retryDelayMs(attempts: number, policy: MailPolicy = MAIL_POLICY): number {
  return Math.min(policy.firstRetryMs * 2 ** Math.max(0, attempts - 1), policy.maxRetryMs);
}

/** About five seconds of sending per claim, so a claim's slots never reach far ahead. */
export function batchSizeFor(ratePerSecond: number): number {
  return Math.max(1, Math.min(20, Math.ceil(ratePerSecond * 5)));
}

export type Clock = { now(): Date; sleep(ms: number): Promise<void> };

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Reserves `count` consecutive send slots from the shared throttle row.
 * Call inside the claim's transaction.
 */
export function reserveSendSlots(tx: Tx, count: number, now: Date, ratePerSecond: number): Date[] {
  const gapMs = 1000 / ratePerSecond;
  const row = tx.select().from(mailThrottle).where(eq(mailThrottle.id, 1)).get();
  let next = Math.max(now.getTime(), row?.nextSlotAt.getTime() ?? 0);
  const slots: Date[] = [];
  for (let i = 0; i < count; i++) {
    slots.push(new Date(Math.round(next)));
    next += gapMs;
  }
  const nextSlotAt = new Date(Math.round(next));
  tx.insert(mailThrottle).values({ id: 1, nextSlotAt }).onConflictDoUpdate({ target: mailThrottle.id, set: { nextSlotAt } }).run();
  return slots;
}

export type ClaimedMail = OutboxMail & { slot: Date };

/** Messages that may be sent now and that no live claim holds. */
function dueCondition(now: Date) {
  return and(
    or(eq(mailOutbox.status, "pending"), and(eq(mailOutbox.status, "failed"), eq(mailOutbox.autoRetry, true))),
    lte(mailOutbox.nextAttemptAt, now),
    or(isNull(mailOutbox.lockedUntil), lte(mailOutbox.lockedUntil, now)),
  );
}

export function claimDueMail(db: Db, input: { now: Date; token: string; policy: MailPolicy }): ClaimedMail[] {
  // A plain read first: a beat with nothing due takes no write lock.
  if (!db.select({ id: mailOutbox.id }).from(mailOutbox).where(dueCondition(input.now)).limit(1).get()) return [];
  return inTransaction(
    db,
    (tx) => {
      const due = tx
        .select()
        .from(mailOutbox)
        .where(dueCondition(input.now))
        .orderBy(asc(mailOutbox.id))
        .limit(batchSizeFor(input.policy.ratePerSecond))
        .all();
      if (due.length === 0) return [];
      const slots = reserveSendSlots(tx, due.length, input.now, input.policy.ratePerSecond);
      return due.map((mail, i) => {
        const slot = slots[i] ?? input.now;
        const lockedUntil = new Date(slot.getTime() + input.policy.leaseMs);
        tx.update(mailOutbox).set({ lockedUntil, claimToken: input.token }).where(eq(mailOutbox.id, mail.id)).run();
        return { ...mail, lockedUntil, claimToken: input.token, slot };
      });
    },
  );
}

/** Gives back every message a claim still holds, e.g. when the worker stops; returns how many. */
export function releaseClaims(db: Db, token: string): number {
  return db
    .update(mailOutbox)
    .set({ lockedUntil: null, claimToken: null })
    .where(and(eq(mailOutbox.claimToken, token), ne(mailOutbox.status, "sent")))
    .run().changes;
}

/**
 * Gives back the messages claimed by workers on this machine that are no
 * longer running (killed, so they could not give them back themselves),
 * for a worker starting up; returns how many. Without this they wait for
 * their leases to run out. `isGone` judges each claim's token (`ownerToken`).
 */
export function releaseClaimsOfGoneWorkers(db: Db, isGone: (token: string) => boolean = ownerIsGone): number {
  const held = db
    .selectDistinct({ token: mailOutbox.claimToken })
    .from(mailOutbox)
    .where(and(isNotNull(mailOutbox.claimToken), ne(mailOutbox.status, "sent")))
    .all();
  let released = 0;
  for (const { token } of held) if (token !== null && isGone(token)) released += releaseClaims(db, token);
  return released;
}

/** The two parts to send: rendered now from the stored template, or as stored for rows queued already rendered. */
export async function partsOf(mail: OutboxMail, brand: MailBrand): Promise<RenderedParts> {
  if (mail.template === null) return { text: mail.textBody, html: mail.htmlBody };
  return renderTemplate(parseTemplateCall(mail.template, mail.props), brand);
}

type SmtpError = { responseCode?: unknown; command?: unknown; code?: unknown };

/**
 * A refusal that is about this message (its recipient or its content) and
 * will not change by waiting. A refused login or a server that is down is
 * not: that is the installation's problem and retrying fixes it.
 */
export function isPermanentFailure(error: unknown): boolean {
  if (error instanceof TemplateError) return true;
  if (typeof error !== "object" || error === null) return false;
  const { responseCode, command, code } = error as SmtpError;
  const refused = typeof responseCode === "number" && responseCode >= 500 && responseCode < 600;
  const aboutThisMessage = command === "RCPT TO" || command === "DATA" || code === "EENVELOPE" || code === "EMESSAGE";
  return refused && aboutThisMessage;
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 500);
}

export type DeliveryReport = {
  sent: number;
  /** Failed this time and will be retried. */
  retrying: number;
  /** Marked failed this time (admins will be told). */
  failed: number;
  /** The last failure's short code (such as ECONNECTION), for the log; never an address. */
  lastErrorCode: string | null;
};

/**
 * Asked before each message goes out. A message it holds is not lost and not
 * counted as a failed attempt: it waits until `until` (e.g. the per-address
 * daily limit in lib/limits). A message it let through that then does not go
 * out is handed to `giveBack`, so only mail that left counts.
 */
export type DeliveryGate = {
  admit(mail: OutboxMail): Promise<{ ok: true } | { ok: false; until: Date; reason: string }>;
  giveBack(mail: OutboxMail): Promise<void>;
};

/**
 * The links a message carries for its recipient, signed as it is sent so no
 * token is ever stored: the one-click unsubscribe address (RFC 8058) for the
 * List-Unsubscribe header, which ends the message's list (or every list for
 * a message about none), and the footer's links. The copy of the message
 * kept afterwards has `keptFooter` in place of the signed footer links.
 */
export type PersonalLinks = { oneClick: string; footer: FooterChoices; keptFooter: FooterChoices };
export type PersonalLinksFor = (mail: { to: string; list: string | null; language: Language | null }, now: Date) => PersonalLinks;

/** The language a queued message is written in, as its props say; null for one queued already rendered or with none (staff mail). */
export function languageOfMail(mail: Pick<OutboxMail, "template" | "props">): Language | null {
  if (mail.template === null || typeof mail.props !== "object" || mail.props === null) return null;
  const { language } = mail.props as { language?: unknown };
  return isLanguage(language) ? language : null;
}

export type DeliveryOptions = {
  brand: MailBrand;
  /** Signs each message's links for its recipient; absent, messages carry none. */
  personalLinks?: PersonalLinksFor;
  gate?: DeliveryGate;
  policy?: MailPolicy;
  clock?: Clock;
  /** Names this worker's claims; one per worker. */
  token?: string;
  /** Checked before each message; once true, the rest of the claim is given back. */
  stopping?: () => boolean;
  log?: (line: string) => void;
};

export async function deliverDueMail(db: Db, transport: MailTransport, options: DeliveryOptions): Promise<DeliveryReport> {
  const policy = options.policy ?? MAIL_POLICY;
  const clock = options.clock ?? systemClock;
  const token = options.token ?? ownerToken();
  const stopping = options.stopping ?? (() => false);
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, lastErrorCode: null };

  while (!stopping()) {
    const claimed = claimDueMail(db, { now: clock.now(), token, policy });
    if (claimed.length === 0) break;
    for (const mail of claimed) {
      if (stopping()) break;
      const wait = mail.slot.getTime() - clock.now().getTime();
      if (wait > 0) await clock.sleep(wait);
      const admitted = options.gate ? await options.gate.admit(mail) : { ok: true as const };
      if (!admitted.ok) {
        db.update(mailOutbox)
          .set({ lockedUntil: null, claimToken: null, nextAttemptAt: admitted.until, lastError: admitted.reason })
          .where(and(eq(mailOutbox.id, mail.id), eq(mailOutbox.claimToken, token)))
          .run();
        continue;
      }
      const sent = await deliverOne(db, transport, mail, {
        policy,
        clock,
        token,
        brand: options.brand,
        personalLinks: options.personalLinks,
        report,
        log: options.log,
      });
      if (!sent) await options.gate?.giveBack(mail);
    }
  }
  if (stopping()) releaseClaims(db, token);
  return report;
}

async function deliverOne(
  db: Db,
  transport: MailTransport,
  mail: ClaimedMail,
  ctx: {
    policy: MailPolicy;
    clock: Clock;
    token: string;
    brand: MailBrand;
    personalLinks?: PersonalLinksFor;
    report: DeliveryReport;
    log?: (line: string) => void;
  },
): Promise<boolean> {
  const mine = and(eq(mailOutbox.id, mail.id), eq(mailOutbox.claimToken, ctx.token));
  try {
    // Staff's own mail about their work carries no supporter's choices: a one-click unsubscribe there would stop nothing they get.
    const toStaff = mail.template !== null && isStaffTemplate(mail.template);
    const links = toStaff ? null : (ctx.personalLinks?.({ to: mail.toAddress, list: mail.list, language: languageOfMail(mail) }, ctx.clock.now()) ?? null);
    const parts = await partsOf(mail, toStaff ? { ...ctx.brand, toStaff } : links ? { ...ctx.brand, choices: links.footer } : ctx.brand);
    // What is kept is the message as sent, with the signed links swapped for the signed-in page's address.
    const kept = links && mail.template !== null ? await partsOf(mail, { ...ctx.brand, choices: links.keptFooter }) : parts;
    await transport.send({
      messageId: mail.messageId,
      to: mail.toAddress,
      subject: mail.subject,
      text: parts.text,
      html: parts.html,
      listUnsubscribe: links?.oneClick ?? null,
      // A template given no language (staff's mail about their work) is written in English; one already rendered is not known.
      language: languageOfMail(mail) ?? (mail.template !== null ? BASE_LANGUAGE : null),
    });
    const changed = db
      .update(mailOutbox)
      .set({
        status: "sent",
        sentAt: ctx.clock.now(),
        attempts: sql`${mailOutbox.attempts} + 1`,
        lockedUntil: null,
        claimToken: null,
        lastError: null,
        // The parts as sent are the record of what was said; a sign-in link is not kept.
        ...(mail.sensitive
          ? { textBody: REDACTED_BODY, htmlBody: REDACTED_BODY, props: null }
          : { textBody: kept.text, htmlBody: kept.html }),
      })
      .where(mine)
      .run().changes;
    if (changed === 0) ctx.log?.(`[mail] message ${mail.id} was sent after its lease ran out; another worker had taken it over`);
    ctx.report.sent++;
    return true;
  } catch (error) {
    const attempts = mail.attempts + 1;
    // A message that cannot be rendered never will be: it fails at once instead of waiting out its tries.
    const reachesLimit = attempts >= ctx.policy.maxAttempts || error instanceof TemplateError;
    const permanent = isPermanentFailure(error);
    db.update(mailOutbox)
      .set({
        status: reachesLimit || mail.status === "failed" ? "failed" : "pending",
        autoRetry: !(reachesLimit && permanent),
        attempts,
        lockedUntil: null,
        claimToken: null,
        lastError: describeError(error),
        nextAttemptAt: new Date(ctx.clock.now().getTime() + retryDelayMs(attempts, ctx.policy)),
      })
      .where(mine)
      .run();
    const code = (error as SmtpError | null)?.code;
    ctx.report.lastErrorCode = typeof code === "string" ? code : error instanceof Error ? error.name : "unknown";
    if (reachesLimit && mail.status !== "failed") ctx.report.failed++;
    else ctx.report.retrying++;
    return false;
  }
}

/** When the next message falls due (its retry time, or its lease's end); null when nothing waits. */
export function nextDueAt(db: Db): Date | null {
  const row = db
    .select({
      at: sql<number | null>`min(max(${mailOutbox.nextAttemptAt}, coalesce(${mailOutbox.lockedUntil}, 0)))`,
    })
    .from(mailOutbox)
    .where(or(eq(mailOutbox.status, "pending"), and(eq(mailOutbox.status, "failed"), eq(mailOutbox.autoRetry, true))))
    .get();
  return row?.at == null ? null : new Date(row.at);
}
