import os from "node:os";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requests, staff } from "@/db/schema";
import { parseSettings } from "@/lib/settings/settings";
import { TEST_BRAND } from "@/lib/testing/outbox";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { MAIL_POLICY } from "@/lib/mail/deliver";
import { ownerToken } from "@/lib/process/owner";
import { FAILED_MAIL_ALERT_KIND } from "@/lib/mail/failed-mail";
import { DIGEST_KIND } from "./definitions/daily-digest";
import { enqueueMail } from "@/lib/mail/outbox";
import { signInMail } from "@/lib/mail/emails/sign-in";
import type { MailTransport, OutgoingMail } from "@/lib/mail/transport";
import { startWorker, workerConfig, type Worker, type WorkerConfig } from "./scheduler";

const APP = "http://127.0.0.1:3999";

class RecordingTransport implements MailTransport {
  describe = "recording";
  sent: OutgoingMail[] = [];
  failuresLeft = 0;
  closed = false;
  async send(mail: OutgoingMail) {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNECTION" });
    }
    this.sent.push(mail);
  }
  close() {
    this.closed = true;
  }
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const CONFIG: WorkerConfig = {
  policy: { ...MAIL_POLICY, firstRetryMs: 500, maxRetryMs: 500, maxAttempts: 2, ratePerSecond: 100 },
  brand: TEST_BRAND,
  orgName: "Test Org",
  timeZone: "UTC",
  digestHour: null,
  unsubscribeSecret: null,
};

describe("workerConfig", () => {
  it("takes the policy, brand and digest from the settings", () => {
    const parsed = parseSettings(
      {
        APP_URL: "https://rights.example.org",
        ORG_NAME: "Example Trust",
        ORG_CONTACT_EMAIL: "privacy@example.org",
        ORG_LOGO_URL: "https://example.org/logo.png",
        MAIL_RATE: "2",
        MAIL_MAX_ATTEMPTS: "4",
        MAIL_RETRY_SECONDS: "3",
        MAIL_RETRY_MAX_SECONDS: "90",
        DIGEST_HOUR: "7",
        TIME_ZONE: "Europe/London",
        COMPLAINT_AUTHORITY: "the Information Commissioner's Office, ico.org.uk, 0303 123 1113",
      },
      "/srv",
    );
    if (!parsed.ok) throw new Error(parsed.message);
    expect(workerConfig(parsed.settings)).toEqual({
      policy: { ...MAIL_POLICY, maxAttempts: 4, firstRetryMs: 3000, maxRetryMs: 90_000, ratePerSecond: 2 },
      brand: {
        contactEmail: "privacy@example.org",
        logoUrl: "https://example.org/logo.png",
        appUrl: "https://rights.example.org",
        // The emails that tell supporters where to complain name it (see lib/requests/casework/complaint-authority.test.ts).
        complaintAuthority: "the Information Commissioner's Office, ico.org.uk, 0303 123 1113",
      },
      orgName: "Example Trust",
      timeZone: "Europe/London",
      digestHour: 7,
      unsubscribeSecret: null,
    });
    expect(workerConfig({ ...parsed.settings, authSecret: "s".repeat(32) }).unsubscribeSecret).toBe("s".repeat(32));
  });
});

describe("startWorker", () => {
  let t: TempDatabase;
  let transport: RecordingTransport;
  let worker: Worker | null = null;
  const queue = () =>
    enqueueMail(
      t.db,
      { ...signInMail.draft({ orgName: "Test Org", link: `${APP}/x`, linkMinutes: 30 }), to: "ann@example.org", kind: "sign-in" },
      { now: new Date(), appUrl: APP },
    );

  beforeEach(() => {
    t = openTempDatabase();
    transport = new RecordingTransport();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
    t.close();
  });

  it("sends what is queued when kicked, and on its own a retry when it falls due", async () => {
    // A long interval: the worker must wake for the retry by itself, not by polling.
    worker = startWorker({ db: t.db, transport, config: CONFIG, intervalMs: 60_000, log: () => {} });
    transport.failuresLeft = 1;
    const id = queue();
    worker.kick();
    await until(() => transport.sent.length === 1, 3_000);
    expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).get()).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("alerts the admins when a message is marked failed", async () => {
    t.db.insert(staff).values({ email: "adam@example.org", role: "admin", addedAt: new Date() }).run();
    transport.failuresLeft = 2;
    queue();
    worker = startWorker({ db: t.db, transport, config: CONFIG, intervalMs: 60_000, log: () => {} });
    await until(() => transport.sent.some((m) => m.to === "adam@example.org"));
    expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, FAILED_MAIL_ALERT_KIND)).all()).toHaveLength(1);
  });

  it("sends the daily digest once, on its first round at or after the hour", async () => {
    t.db.insert(staff).values({ email: "rita@example.org", role: "reviewer", addedAt: new Date() }).run();
    t.db
      .insert(requests)
      .values({
        reference: "RD-AAAA-AAAA",
        type: "access",
        status: "received",
        subjectEmail: "ann@example.org",
        details: { type: "access" },
        regime: "gdpr",
        receivedAt: new Date(),
        receivedOn: "2026-01-01",
        dueOn: "2026-01-31",
        updatedAt: new Date(),
      })
      .run();
    worker = startWorker({ db: t.db, transport, config: { ...CONFIG, digestHour: 0 }, intervalMs: 50, log: () => {} });
    await until(() => transport.sent.length === 1);
    // Many more rounds, no second digest.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(transport.sent.map((m) => m.subject)).toEqual(["Requests needing attention at Test Org: 1 overdue"]);
    expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, DIGEST_KIND)).all()).toHaveLength(1);
  });

  it("on start, sends at once what a killed worker on this machine had claimed, without waiting for its lease", async () => {
    const id = queue();
    // Claimed two minutes ahead by a process that no longer runs (no process has this id).
    t.db.update(mailOutbox).set({ claimToken: ownerToken(os.hostname(), 999_999_999), lockedUntil: new Date(Date.now() + MAIL_POLICY.leaseMs) }).where(eq(mailOutbox.id, id)).run();
    const lines: string[] = [];
    worker = startWorker({ db: t.db, transport, config: CONFIG, intervalMs: 60_000, log: (line) => lines.push(line) });
    await until(() => transport.sent.length === 1, 3_000);
    expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).get()).toMatchObject({ status: "sent", attempts: 1 });
    expect(lines).toContain("[worker] 1 message(s) claimed by a worker that is no longer running will be sent now");
  });

  it("on stop, finishes, gives back its claims and closes the transport", async () => {
    worker = startWorker({ db: t.db, transport, config: CONFIG, intervalMs: 60_000, log: () => {} });
    await worker.stop();
    worker = null;
    expect(transport.closed).toBe(true);
    queue();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(transport.sent).toEqual([]);
    expect(t.db.select().from(mailOutbox).all().every((m) => m.claimToken === null)).toBe(true);
  });
});
