import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, type OutboxMail } from "@/db/schema";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { deliverDueMail, MAIL_POLICY, REDACTED_BODY, retryDelayMs } from "./deliver";
import { enqueueMail } from "./outbox";
import type { MailTransport, OutgoingMail } from "./transport";

const HOUR = 60 * 60_000;

/** An in-test stand-in for the mail server: records what it is given, or fails. */
class FakeTransport implements MailTransport {
  describe = "fake transport";
  sent: OutgoingMail[] = [];
  failure: unknown = null;
  /** When set, each send waits for this before finishing. */
  gate: Promise<void> | null = null;

  async send(mail: OutgoingMail): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failure !== null) throw this.failure;
    this.sent.push(mail);
  }

  close(): void {}
}

describe("retryDelayMs", () => {
  it.each([
    [0, 30_000],
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [4, 240_000],
    [5, 480_000],
    [6, 960_000],
    [7, 1_920_000],
    [8, 3_600_000],
    [9, 3_600_000],
    [10, 3_600_000],
    [50, 3_600_000],
  ])("after %i attempt(s) waits %i ms", (attempts, ms) => {
    expect(retryDelayMs(attempts)).toBe(ms);
  });
});

describe("deliverDueMail", () => {
  let t: TempDatabase;
  let transport: FakeTransport;
  beforeEach(() => {
    t = openTempDatabase();
    transport = new FakeTransport();
  });
  afterEach(() => t.close());

  function queue(input: { sensitive?: boolean; now?: Date; kind?: string } = {}): number {
    return enqueueMail(
      t.db,
      {
        subject: "Your sign-in link for Test Org",
        text: "Sign in:\nhttp://127.0.0.1:3999/api/auth/callback/email?token=secret-token\n",
        html: '<a href="http://127.0.0.1:3999/api/auth/callback/email?token=secret-token">Sign in</a>',
        to: "ann@example.org",
        kind: input.kind ?? "sign-in",
        sensitive: input.sensitive ?? false,
      },
      { now: input.now ?? new Date(Date.now() - 1000), appUrl: "http://127.0.0.1:3999" },
    );
  }

  function row(id: number): OutboxMail {
    const found = t.db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).get();
    if (!found) throw new Error(`no outbox row ${id}`);
    return found;
  }

  it("marks a sent message sent, blanks a sensitive body and keeps an ordinary one", async () => {
    const sensitive = queue({ sensitive: true });
    const ordinary = queue({ sensitive: false, kind: "receipt" });
    const before = Date.now();

    expect(await deliverDueMail(t.db, transport, new Date())).toEqual({ sent: 2, retrying: 0, failed: 0 });

    // The server received the full message, link included, with the stored Message-ID.
    expect(transport.sent).toHaveLength(2);
    expect(transport.sent[0]).toMatchObject({ to: "ann@example.org", messageId: row(sensitive).messageId });
    expect(transport.sent[0]!.text).toContain("token=secret-token");

    const s = row(sensitive);
    expect(s).toMatchObject({ status: "sent", attempts: 1, lockedUntil: null, lastError: null });
    expect(s.textBody).toBe(REDACTED_BODY);
    expect(s.htmlBody).toBe(REDACTED_BODY);
    expect(s.sentAt!.getTime()).toBeGreaterThanOrEqual(before);

    const o = row(ordinary);
    expect(o).toMatchObject({ status: "sent", attempts: 1, lockedUntil: null });
    expect(o.textBody).toContain("token=secret-token");
    expect(o.htmlBody).toContain("token=secret-token");

    // Nothing is sent twice.
    expect(await deliverDueMail(t.db, transport, new Date(Date.now() + HOUR))).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(transport.sent).toHaveLength(2);
  });

  it("does not send a message before its time", async () => {
    const id = queue({ now: new Date(Date.now() + HOUR) });
    expect(await deliverDueMail(t.db, transport, new Date())).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(row(id).status).toBe("pending");
  });

  it("records a failed send and schedules the retry by retryDelayMs", async () => {
    const id = queue({ sensitive: true });
    transport.failure = new Error("Connection refused by mail.example.org");

    const before = Date.now();
    expect(await deliverDueMail(t.db, transport, new Date())).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const after = Date.now();

    const r = row(id);
    expect(r).toMatchObject({
      status: "pending",
      attempts: 1,
      lockedUntil: null,
      lastError: "Connection refused by mail.example.org",
      sentAt: null,
    });
    expect(r.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + retryDelayMs(1));
    expect(r.nextAttemptAt.getTime()).toBeLessThanOrEqual(after + retryDelayMs(1));
    // The body is kept until it has actually been delivered.
    expect(r.textBody).toContain("token=secret-token");

    // Not retried before its time...
    expect(await deliverDueMail(t.db, transport, new Date())).toEqual({ sent: 0, retrying: 0, failed: 0 });
    // ...and delivered once the server is back.
    transport.failure = null;
    expect(await deliverDueMail(t.db, transport, new Date(r.nextAttemptAt.getTime()))).toEqual({
      sent: 1,
      retrying: 0,
      failed: 0,
    });
    expect(row(id)).toMatchObject({ status: "sent", attempts: 2, lastError: null, textBody: REDACTED_BODY });
  });

  it("backs off on every failure and gives up after MAIL_POLICY.maxAttempts", async () => {
    const id = queue();
    transport.failure = "not an Error object";

    for (let attempt = 1; attempt <= MAIL_POLICY.maxAttempts; attempt++) {
      const before = Date.now();
      const report = await deliverDueMail(t.db, transport, new Date(before + 2 * HOUR));
      const after = Date.now();
      const r = row(id);
      expect(r.attempts).toBe(attempt);
      expect(r.lastError).toBe("not an Error object");
      if (attempt < MAIL_POLICY.maxAttempts) {
        expect(report).toEqual({ sent: 0, retrying: 1, failed: 0 });
        expect(r.status).toBe("pending");
        expect(r.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + retryDelayMs(attempt));
        expect(r.nextAttemptAt.getTime()).toBeLessThanOrEqual(after + retryDelayMs(attempt));
      } else {
        expect(report).toEqual({ sent: 0, retrying: 0, failed: 1 });
        expect(r.status).toBe("failed");
      }
    }

    // A failed message is left alone for good.
    transport.failure = null;
    expect(await deliverDueMail(t.db, transport, new Date(Date.now() + 100 * HOUR))).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(transport.sent).toHaveLength(0);
    expect(row(id).attempts).toBe(MAIL_POLICY.maxAttempts);
  });

  it("keeps only the first 500 characters of an error", async () => {
    const id = queue();
    transport.failure = new Error("e".repeat(2000));
    await deliverDueMail(t.db, transport, new Date());
    expect(row(id).lastError).toBe("e".repeat(500));
  });

  it("skips a message another worker holds the lease on, until the lease runs out", async () => {
    const id = queue();
    const leaseEnds = new Date(Date.now() + 30_000);
    t.db.update(mailOutbox).set({ lockedUntil: leaseEnds }).where(eq(mailOutbox.id, id)).run();

    expect(await deliverDueMail(t.db, transport, new Date())).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(transport.sent).toHaveLength(0);
    expect(row(id)).toMatchObject({ status: "pending", attempts: 0 });

    expect(await deliverDueMail(t.db, transport, leaseEnds)).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(transport.sent).toHaveLength(1);
  });

  it("sends each message once when two deliveries overlap", async () => {
    const ids = [queue(), queue(), queue()];
    let open: () => void = () => {};
    transport.gate = new Promise<void>((resolve) => {
      open = resolve;
    });

    const first = deliverDueMail(t.db, transport, new Date());
    const second = deliverDueMail(t.db, transport, new Date());
    // While the first is still sending, its rows are leased.
    for (const id of ids) expect(row(id).lockedUntil).not.toBeNull();
    open();
    const reports = await Promise.all([first, second]);

    expect(reports).toEqual([
      { sent: 3, retrying: 0, failed: 0 },
      { sent: 0, retrying: 0, failed: 0 },
    ]);
    expect(transport.sent.map((m) => m.messageId).sort()).toEqual(ids.map((id) => row(id).messageId).sort());
  });

  it("sends at most one batch per call", async () => {
    for (let i = 0; i < MAIL_POLICY.batchSize + 5; i++) queue();
    expect((await deliverDueMail(t.db, transport, new Date())).sent).toBe(MAIL_POLICY.batchSize);
    expect((await deliverDueMail(t.db, transport, new Date())).sent).toBe(5);
    expect(new Set(transport.sent.map((m) => m.messageId)).size).toBe(MAIL_POLICY.batchSize + 5);
  });
});
