import os from "node:os";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "@/db/connection";
import { mailOutbox, type OutboxMail } from "@/db/schema";
import { TEST_BRAND } from "@/lib/testing/outbox";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import {
  batchSizeFor,
  claimDueMail,
  deliverDueMail,
  isPermanentFailure,
  MAIL_POLICY,
  languageOfMail,
  nextDueAt,
  REDACTED_BODY,
  releaseClaims,
  releaseClaimsOfGoneWorkers,
  retryDelayMs,
  type Clock,
  type DeliveryReport,
  type MailPolicy,
} from "./deliver";
import { retryFailedMail } from "@/lib/mail/failed-mail";
import { ownerIsGone, ownerToken } from "@/lib/process/owner";
import { enqueueMail } from "./outbox";
import { TemplateError } from "@/lib/mail/templates";
import { receiptMail } from "@/lib/mail/emails/receipt";
import { signInMail } from "@/lib/mail/emails/sign-in";
import { dailyDigestMail } from "@/lib/mail/emails/daily-digest";
import { recordAlertMail } from "@/lib/mail/emails/record-alert";
import type { MailTransport, OutgoingMail } from "./transport";

const START = new Date("2026-11-22T09:00:00Z").getTime();
const APP = "http://127.0.0.1:3999";
const LINK = `${APP}/signin/link?token=secret-token&email=ann%40example.org&next=%2Frequests`;

/** A clock tests move by hand; sleeping moves it at once. */
class ManualClock implements Clock {
  constructor(public t: number = START) {}
  now = () => new Date(this.t);
  sleep = async (ms: number) => {
    this.t += ms;
  };
  advance(ms: number) {
    this.t += ms;
  }
}

type Sent = OutgoingMail & { at: number };

/** An in-test stand-in for the mail server: records what it is given and when, or fails. */
class FakeTransport implements MailTransport {
  describe = "fake transport";
  sent: Sent[] = [];
  failure: unknown = null;
  /** When set, each send waits for this before finishing. */
  gate: Promise<void> | null = null;
  constructor(private clock: Clock) {}

  async send(mail: OutgoingMail): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failure !== null) throw this.failure;
    this.sent.push({ ...mail, at: this.clock.now().getTime() });
  }

  close(): void {}
}

const NO_REPORT: DeliveryReport = { sent: 0, retrying: 0, failed: 0, lastErrorCode: null };

function queue(db: Db, input: { sensitive?: boolean; at?: number; kind?: string; to?: string } = {}): number {
  const draft =
    input.kind === "receipt"
      ? receiptMail.draft({ orgName: "Test Org", reference: "RD-7K3Q-9XWM", type: "access", receivedOn: "2026-11-22", dueOn: "2026-12-22", requestUrl: `${APP}/requests/RD-7K3Q-9XWM`, regime: "gdpr" })
      : signInMail.draft({ orgName: "Test Org", link: LINK, linkMinutes: 30 });
  return enqueueMail(
    db,
    { ...draft, to: input.to ?? "ann@example.org", kind: input.kind ?? "sign-in", sensitive: input.sensitive ?? false },
    { now: new Date(input.at ?? START), appUrl: APP },
  );
}

function rowOf(db: Db, id: number): OutboxMail {
  const found = db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).get();
  if (!found) throw new Error(`no outbox row ${id}`);
  return found;
}

describe("retryDelayMs", () => {
  it.each([
    [0, 30_000],
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [7, 1_920_000],
    [8, 3_600_000],
    [50, 3_600_000],
  ])("by default, after %i attempt(s) waits %i ms", (attempts, ms) => {
    expect(retryDelayMs(attempts)).toBe(ms);
  });

  const quick: MailPolicy = { ...MAIL_POLICY, firstRetryMs: 1000, maxRetryMs: 4000 };
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 4000],
  ])("with MAIL_RETRY_SECONDS=1 and MAIL_RETRY_MAX_SECONDS=4, after %i attempt(s) waits %i ms", (attempts, ms) => {
    expect(retryDelayMs(attempts, quick)).toBe(ms);
  });
});

describe("batchSizeFor", () => {
  it.each([
    [0.1, 1],
    [1, 5],
    [2.5, 13],
    [5, 20],
    [100, 20],
  ])("at %d messages a second claims %i at a time", (rate, size) => {
    expect(batchSizeFor(rate)).toBe(size);
  });
});

describe("isPermanentFailure", () => {
  it.each<[string, unknown, boolean]>([
    ["a refused recipient", Object.assign(new Error("550 no such user"), { responseCode: 550, command: "RCPT TO", code: "EENVELOPE" }), true],
    ["refused content", Object.assign(new Error("554 spam"), { responseCode: 554, command: "DATA", code: "EMESSAGE" }), true],
    ["a message that cannot be rendered", new TemplateError("bad props"), true],
    ["a refused login (the installation's problem)", Object.assign(new Error("535 auth"), { responseCode: 535, command: "AUTH PLAIN", code: "EAUTH" }), false],
    ["a busy recipient server", Object.assign(new Error("451 try later"), { responseCode: 451, command: "RCPT TO" }), false],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNECTION", command: "CONN" }), false],
    ["a timeout", Object.assign(new Error("timeout"), { code: "ETIMEDOUT" }), false],
    ["something odd", "not an Error object", false],
  ])("%s: %s", (_what, error, permanent) => {
    expect(isPermanentFailure(error)).toBe(permanent);
  });
});

describe("deliverDueMail", () => {
  let t: TempDatabase;
  let clock: ManualClock;
  let transport: FakeTransport;
  const deliver = (policy: MailPolicy = MAIL_POLICY, db: Db = t.db, via: MailTransport = transport) =>
    deliverDueMail(db, via, { brand: TEST_BRAND, policy, clock });
  const row = (id: number) => rowOf(t.db, id);

  beforeEach(() => {
    t = openTempDatabase();
    clock = new ManualClock();
    transport = new FakeTransport(clock);
  });
  afterEach(() => t.close());

  it("renders both parts when sending, keeps them as the record, and blanks a sign-in link once delivered", async () => {
    const sensitive = queue(t.db, { sensitive: true });
    const ordinary = queue(t.db, { kind: "receipt" });
    // Until sent, only the template and its props are stored.
    expect(row(ordinary)).toMatchObject({ template: "receipt", textBody: "", htmlBody: "" });

    expect(await deliver()).toEqual({ ...NO_REPORT, sent: 2 });

    expect(transport.sent).toHaveLength(2);
    const [signIn, receipt] = transport.sent;
    expect(signIn).toMatchObject({ to: "ann@example.org", messageId: row(sensitive).messageId, subject: "Your sign-in link for Test Org" });
    expect(signIn!.text).toContain(LINK);
    expect(signIn!.html).toContain(LINK.replace(/&/g, "&amp;"));
    expect(row(sensitive)).toMatchObject({ status: "sent", attempts: 1, lockedUntil: null, claimToken: null, lastError: null, props: null });
    expect(row(sensitive).textBody).toBe(REDACTED_BODY);
    expect(row(sensitive).htmlBody).toBe(REDACTED_BODY);
    expect(row(sensitive).sentAt).toEqual(new Date(START));

    expect(row(ordinary)).toMatchObject({ status: "sent", textBody: receipt!.text, htmlBody: receipt!.html });
    expect(receipt!.text).toContain("We will answer by: 22 December 2026");

    // Nothing is sent twice.
    clock.advance(10 * 60 * 60_000);
    expect(await deliver()).toEqual(NO_REPORT);
    expect(transport.sent).toHaveLength(2);
  });

  it("sends a message queued already rendered (before templates were stored) exactly as stored", async () => {
    const id = queue(t.db);
    t.db.update(mailOutbox).set({ template: null, props: null, textBody: "Plain words.", htmlBody: "<p>Plain words.</p>" }).where(eq(mailOutbox.id, id)).run();
    await deliver();
    expect(transport.sent[0]).toMatchObject({ text: "Plain words.", html: "<p>Plain words.</p>" });
  });

  it("signs each recipient's links as it sends: the header ends the message's list (or every list), the footer offers the choices; none is stored", async () => {
    const ann = queue(t.db, { kind: "receipt" });
    const bob = queue(t.db, { to: "bob@example.org", kind: "receipt" });
    t.db.update(mailOutbox).set({ list: "newsletter" }).where(eq(mailOutbox.id, bob)).run();
    await deliverDueMail(t.db, transport, {
      brand: TEST_BRAND,
      clock,
      personalLinks: ({ to, list }) => ({
        oneClick: `${APP}/unsubscribe/signed-for-${to}${list ? `-${list}` : ""}`,
        footer: { preferencesUrl: `${APP}/preferences/signed-for-${to}`, unsubscribeAllUrl: `${APP}/unsubscribe/all-for-${to}` },
        keptFooter: { preferencesUrl: `${APP}/requests/preferences`, unsubscribeAllUrl: `${APP}/requests/preferences` },
      }),
    });
    expect(transport.sent.map((m) => [m.to, m.listUnsubscribe])).toEqual([
      ["ann@example.org", `${APP}/unsubscribe/signed-for-ann@example.org`],
      ["bob@example.org", `${APP}/unsubscribe/signed-for-bob@example.org-newsletter`],
    ]);
    expect(transport.sent[0]!.text).toContain(`${APP}/preferences/signed-for-ann@example.org`);
    expect(transport.sent[0]!.html).toContain(`href="${APP}/unsubscribe/all-for-ann@example.org"`);
    for (const id of [ann, bob]) {
      const stored = JSON.stringify(row(id));
      expect(stored).not.toContain("signed-for");
      expect(stored).not.toContain("all-for");
      // The kept copy is the message as sent, with the signed-in page in place of the signed links.
      expect(row(id).textBody).toContain(`${APP}/requests/preferences`);
    }
  });

  it.each([
    ["the daily digest", () => dailyDigestMail.draft({ orgName: "Test Org", day: "2026-11-22", recipient: "lead@example.org", overdue: [], dueSoon: [], more: 0, queueUrl: `${APP}/staff` })],
    ["an alert about the record", () => recordAlertMail.draft({ orgName: "Test Org", job: "The daily backup", problem: "The disk is full." })],
  ])("mail to staff about their work carries no supporter's choices: %s", async (_what, draft) => {
    const staff = enqueueMail(t.db, { ...draft(), to: "lead@example.org", kind: "staff" }, { now: new Date(START), appUrl: APP });
    const supporter = queue(t.db, { kind: "receipt" });
    await deliverDueMail(t.db, transport, {
      brand: TEST_BRAND,
      clock,
      personalLinks: ({ to }) => ({
        oneClick: `${APP}/unsubscribe/signed-for-${to}`,
        footer: { preferencesUrl: `${APP}/preferences/signed-for-${to}`, unsubscribeAllUrl: `${APP}/unsubscribe/all-for-${to}` },
        keptFooter: { preferencesUrl: `${APP}/requests/preferences`, unsubscribeAllUrl: `${APP}/requests/preferences` },
      }),
    });
    const sent = new Map(transport.sent.map((m) => [m.to, m]));
    expect(sent.get("ann@example.org")?.listUnsubscribe).toBe(`${APP}/unsubscribe/signed-for-ann@example.org`);
    expect(sent.get("lead@example.org")?.listUnsubscribe).toBeNull();
    expect(sent.get("lead@example.org")?.text).not.toContain("signed-for");
    expect(sent.get("lead@example.org")?.html).not.toContain("preferences");
    // Nor the supporter's "Questions? Write to us at…": the address is the organisation's own.
    expect(sent.get("ann@example.org")?.text).toContain("privacy@test.example");
    for (const part of ["text", "html"] as const) expect(sent.get("lead@example.org")?.[part]).not.toContain("privacy@test.example");
    expect([row(staff).status, row(supporter).status]).toEqual(["sent", "sent"]);
    // Staff's mail is written in English.
    expect(sent.get("lead@example.org")?.language).toBe("en");
  });

  it("hands the links the language each message is written in, so a mail program's one-click post is answered in it", async () => {
    const spanish = queue(t.db, { kind: "receipt" });
    t.db.update(mailOutbox).set({ props: { ...(row(spanish).props as object), language: "es" } }).where(eq(mailOutbox.id, spanish)).run();
    const english = queue(t.db, { kind: "receipt", to: "bob@example.org" });
    const asked: Array<[string, string | null]> = [];
    await deliverDueMail(t.db, transport, {
      brand: TEST_BRAND,
      clock,
      personalLinks: ({ to, language }) => {
        asked.push([to, language]);
        return { oneClick: `${APP}/unsubscribe/x`, footer: { preferencesUrl: `${APP}/p`, unsubscribeAllUrl: `${APP}/u` }, keptFooter: { preferencesUrl: `${APP}/p`, unsubscribeAllUrl: `${APP}/u` } };
      },
    });
    expect(asked).toEqual([
      ["ann@example.org", "es"],
      ["bob@example.org", "en"],
    ]);
    expect(row(english).status).toBe("sent");
    // And the message says so itself (its Content-Language).
    expect(transport.sent.map((m) => [m.to, m.language])).toEqual([
      ["ann@example.org", "es"],
      ["bob@example.org", "en"],
    ]);
  });

  it.each<[string, Pick<OutboxMail, "template" | "props">, string | null]>([
    ["a message to a supporter in Spanish", { template: "receipt", props: { language: "es" } }, "es"],
    ["a message queued before there were languages", { template: "receipt", props: {} }, null],
    ["a language with no catalogue", { template: "receipt", props: { language: "xx" } }, null],
    ["a message queued already rendered", { template: null, props: null }, null],
    ["props that are not an object", { template: "receipt", props: "es" }, null],
  ])("languageOfMail: %s", (_what, mail, expected) => {
    expect(languageOfMail(mail)).toBe(expected);
  });

  it("does not send a message before its time", async () => {
    const id = queue(t.db, { at: START + 60_000 });
    expect(await deliver()).toEqual(NO_REPORT);
    expect(row(id).status).toBe("pending");
    expect(nextDueAt(t.db)).toEqual(new Date(START + 60_000));
  });

  it("keeps only the first 500 characters of an error, and reports its code, never an address", async () => {
    const id = queue(t.db);
    transport.failure = Object.assign(new Error("e".repeat(2000)), { code: "ECONNECTION" });
    expect(await deliver()).toEqual({ ...NO_REPORT, retrying: 1, lastErrorCode: "ECONNECTION" });
    expect(row(id).lastError).toBe("e".repeat(500));
  });

  describe("retries", () => {
    const policy: MailPolicy = { ...MAIL_POLICY, maxAttempts: 3, firstRetryMs: 1000, maxRetryMs: 4000 };
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:2525"), { code: "ECONNECTION" });
    const rejected = Object.assign(new Error("550 5.1.1 no such user"), { responseCode: 550, command: "RCPT TO", code: "EENVELOPE" });

    it.each<[number, Partial<OutboxMail>, Partial<DeliveryReport>]>([
      [1, { status: "pending", autoRetry: true }, { retrying: 1 }],
      [2, { status: "pending", autoRetry: true }, { retrying: 1 }],
      [3, { status: "failed", autoRetry: true }, { failed: 1 }],
      // Still failed, still retried at the longest interval: an outage of any length loses nothing.
      [4, { status: "failed", autoRetry: true }, { retrying: 1 }],
      [9, { status: "failed", autoRetry: true }, { retrying: 1 }],
    ])("while the server refuses connections, try %i leaves the message %j", async (tries, expected, report) => {
      const id = queue(t.db);
      transport.failure = refused;
      let last: DeliveryReport = NO_REPORT;
      for (let i = 1; i <= tries; i++) {
        const before = clock.t;
        last = await deliver(policy);
        expect(row(id).nextAttemptAt.getTime()).toBe(before + retryDelayMs(i, policy));
        clock.t = row(id).nextAttemptAt.getTime();
      }
      expect(row(id)).toMatchObject({ ...expected, attempts: tries, lockedUntil: null, sentAt: null, lastError: refused.message });
      expect(last).toEqual({ ...NO_REPORT, lastErrorCode: "ECONNECTION", ...report });
      // The message is kept whole until it is delivered.
      expect(row(id).props).toMatchObject({ link: LINK });
    });

    it("delivers exactly once when the server comes back, however long it was away", async () => {
      const id = queue(t.db);
      const messageId = row(id).messageId;
      transport.failure = refused;
      for (let i = 0; i < 30; i++) {
        await deliver(policy);
        clock.t = row(id).nextAttemptAt.getTime();
      }
      expect(row(id)).toMatchObject({ status: "failed", attempts: 30 });
      // Never before its time, even while failed.
      clock.advance(-1);
      expect(await deliver(policy)).toEqual(NO_REPORT);
      clock.advance(1);
      transport.failure = null;
      expect(await deliver(policy)).toEqual({ ...NO_REPORT, sent: 1 });
      clock.advance(60 * 60_000);
      expect(await deliver(policy)).toEqual(NO_REPORT);
      expect(transport.sent.map((m) => m.messageId)).toEqual([messageId]);
      expect(row(id)).toMatchObject({ status: "sent", attempts: 31, lastError: null });
    });

    it("stops retrying a message the server refused for good, until an admin retries it", async () => {
      const id = queue(t.db);
      transport.failure = rejected;
      for (let i = 0; i < 3; i++) {
        await deliver(policy);
        clock.t = row(id).nextAttemptAt.getTime();
      }
      expect(row(id)).toMatchObject({ status: "failed", autoRetry: false, attempts: 3 });
      clock.advance(24 * 60 * 60_000);
      transport.failure = null;
      expect(await deliver(policy)).toEqual(NO_REPORT);
      expect(nextDueAt(t.db)).toBeNull();

      expect(retryFailedMail(t.db, { ids: [id], now: clock.now() })).toBe(1);
      expect(await deliver(policy)).toEqual({ ...NO_REPORT, sent: 1 });
      expect(row(id)).toMatchObject({ status: "sent", attempts: 4 });
    });

    it("before the limit, even a refused recipient is retried: the refusal may be a mistake", async () => {
      const id = queue(t.db);
      transport.failure = rejected;
      await deliver(policy);
      expect(row(id)).toMatchObject({ status: "pending", autoRetry: true, attempts: 1 });
    });

    it("fails a message whose stored props cannot be rendered at its first try, without sending anything", async () => {
      const id = queue(t.db);
      t.db.update(mailOutbox).set({ props: { orgName: "Test Org" } }).where(eq(mailOutbox.id, id)).run();
      // Once is enough: no later try could render it.
      const report = await deliver(policy);
      expect(report).toMatchObject({ sent: 0, failed: 1, retrying: 0 });
      expect(transport.sent).toHaveLength(0);
      expect(row(id)).toMatchObject({ status: "failed", autoRetry: false, attempts: 1 });
      expect(row(id).lastError).toContain('mail template "sign-in"');
    });
  });

  describe("throttling", () => {
    it.each([
      [5, 12, 200],
      [2, 7, 500],
      [0.5, 3, 2000],
    ])("at %d a second, %i messages leave at least %i ms apart", async (rate, count, gap) => {
      for (let i = 0; i < count; i++) queue(t.db);
      const report = await deliver({ ...MAIL_POLICY, ratePerSecond: rate });
      expect(report.sent).toBe(count);
      const times = transport.sent.map((m) => m.at);
      expect(times[0]).toBe(START);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(gap);
      // ...and no slower than that.
      expect(times.at(-1)! - times[0]!).toBeLessThanOrEqual(gap * (count - 1) + 1);
    });

    it("holds the rate across workers: the second worker's slots come after the first's", () => {
      for (let i = 0; i < 6; i++) queue(t.db);
      const policy = { ...MAIL_POLICY, ratePerSecond: 1 };
      const other = openDatabase(t.file);
      try {
        // Batches of 5 at 1 a second: the first worker takes 5, the second the sixth.
        const first = claimDueMail(t.db, { now: new Date(START), token: "a", policy });
        const second = claimDueMail(other, { now: new Date(START), token: "b", policy });
        expect(first.map((m) => m.slot.getTime() - START)).toEqual([0, 1000, 2000, 3000, 4000]);
        expect(second.map((m) => m.slot.getTime() - START)).toEqual([5000]);
        // The lease runs from the slot, so a message waiting its turn is not taken over meanwhile.
        expect(second[0]!.lockedUntil!.getTime()).toBe(START + 5000 + MAIL_POLICY.leaseMs);
      } finally {
        other.$client.close();
      }
    });
  });

  describe("two workers on one database (two connections, as two processes have)", () => {
    let other: Db;
    beforeEach(() => {
      other = openDatabase(t.file);
    });
    afterEach(() => other.$client.close());

    it("never claim the same message, and a claim's lease keeps it from the other until it runs out", () => {
      const ids = [queue(t.db), queue(t.db), queue(t.db)];
      const policy = { ...MAIL_POLICY, ratePerSecond: 1000 };
      const a = claimDueMail(t.db, { now: new Date(START), token: "a", policy });
      expect(a.map((m) => m.id)).toEqual(ids);
      expect(claimDueMail(other, { now: new Date(START + policy.leaseMs - 1), token: "b", policy })).toEqual([]);
      // Worker "a" died without a word: once its leases run out, "b" takes the messages, same Message-IDs.
      const b = claimDueMail(other, { now: new Date(START + policy.leaseMs + 10), token: "b", policy });
      expect(b.map((m) => [m.id, m.messageId])).toEqual(a.map((m) => [m.id, m.messageId]));
    });

    it("a worker starting gives back at once the claims of a worker on this machine that is no longer running, and no others", () => {
      const ids = [queue(t.db), queue(t.db), queue(t.db), queue(t.db)];
      const policy = { ...MAIL_POLICY, ratePerSecond: 1000 };
      const dead = ownerToken(os.hostname(), 999_999_999);
      const live = ownerToken(os.hostname(), process.ppid);
      const elsewhere = ownerToken("another-machine", 999_999_999);
      const claims: Array<[string, number]> = [[dead, ids[0]!], [live, ids[1]!], [elsewhere, ids[2]!], ["a-token-of-the-old-shape", ids[3]!]];
      for (const [token, id] of claims) {
        t.db.update(mailOutbox).set({ claimToken: token, lockedUntil: new Date(START + policy.leaseMs) }).where(eq(mailOutbox.id, id)).run();
      }
      const isAlive = (pid: number) => pid !== 999_999_999;
      expect(releaseClaimsOfGoneWorkers(other, (token) => ownerIsGone(token, { isAlive }))).toBe(1);
      // The dead worker's message is due again now; the others wait for their leases, as before.
      expect(claimDueMail(other, { now: new Date(START), token: "b", policy }).map((m) => m.id)).toEqual([ids[0]]);
      expect(releaseClaimsOfGoneWorkers(other, (token) => ownerIsGone(token, { isAlive }))).toBe(0);
    });

    it("send each message exactly once when they run at the same time", async () => {
      const ids = Array.from({ length: 25 }, () => queue(t.db));
      let open: () => void = () => {};
      transport.gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const policy = { ...MAIL_POLICY, ratePerSecond: 1000 };
      const first = deliverDueMail(t.db, transport, { brand: TEST_BRAND, policy, clock, token: "a" });
      const second = deliverDueMail(other, transport, { brand: TEST_BRAND, policy, clock, token: "b" });
      open();
      const reports = await Promise.all([first, second]);
      expect(reports[0]!.sent + reports[1]!.sent).toBe(25);
      expect(reports[1]!.sent).toBeGreaterThan(0);
      const sentIds = transport.sent.map((m) => m.messageId);
      expect(new Set(sentIds).size).toBe(25);
      expect(sentIds.sort()).toEqual(ids.map((id) => row(id).messageId).sort());
      expect(ids.every((id) => row(id).status === "sent")).toBe(true);
    });

    it("a worker that outlived its lease cannot undo what the worker that took over did", async () => {
      const id = queue(t.db);
      const policy = MAIL_POLICY;
      // "a" claims and hangs in the middle of sending...
      let open: () => void = () => {};
      const hung = new FakeTransport(clock);
      hung.gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      hung.failure = new Error("socket hang up");
      const a = deliverDueMail(t.db, hung, { brand: TEST_BRAND, policy, clock, token: "a" });
      // ...its lease runs out and "b" sends the message, with the same Message-ID.
      clock.advance(policy.leaseMs + 1);
      expect(await deliverDueMail(other, transport, { brand: TEST_BRAND, policy, clock, token: "b" })).toEqual({ ...NO_REPORT, sent: 1 });
      expect(transport.sent[0]!.messageId).toBe(row(id).messageId);
      // "a" finally fails: that must not put the delivered message back in the queue.
      open();
      await a;
      expect(row(id)).toMatchObject({ status: "sent", attempts: 1, lastError: null });
    });
  });

  it("a worker that is stopping gives back what it claimed but did not send", async () => {
    const ids = [queue(t.db), queue(t.db), queue(t.db)];
    const report = await deliverDueMail(t.db, transport, {
      brand: TEST_BRAND,
      clock,
      token: "w",
      stopping: () => transport.sent.length > 0,
    });
    expect(report.sent).toBe(1);
    expect(row(ids[0]!).status).toBe("sent");
    for (const id of ids.slice(1)) expect(row(id)).toMatchObject({ status: "pending", lockedUntil: null, claimToken: null });
  });

  it("releaseClaims frees only the named claim's unsent messages", () => {
    const ids = [queue(t.db), queue(t.db)];
    claimDueMail(t.db, { now: new Date(START), token: "mine", policy: MAIL_POLICY });
    t.db.update(mailOutbox).set({ claimToken: "theirs" }).where(eq(mailOutbox.id, ids[1]!)).run();
    expect(releaseClaims(t.db, "mine")).toBe(1);
    expect(row(ids[0]!)).toMatchObject({ lockedUntil: null, claimToken: null });
    expect(row(ids[1]!).claimToken).toBe("theirs");
  });
});
