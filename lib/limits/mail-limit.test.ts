import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mailOutbox } from "@/db/schema";
import { deliverDueMail, type DeliveryGate } from "@/lib/mail/deliver";
import { enqueueMail } from "@/lib/mail/outbox";
import { signInMail } from "@/lib/mail/emails/sign-in";
import { newRequestNoticeMail } from "@/lib/mail/emails/new-request";
import { TEST_BRAND } from "@/lib/testing/outbox";
import type { MailTransport, OutgoingMail } from "@/lib/mail/transport";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { DEFAULT_LIMITS } from "./policy";
import { mailGate } from "./mail-gate";
import { openRateLimits } from "./rate-limits";

class RecordingTransport implements MailTransport {
  describe = "recording transport";
  sent: OutgoingMail[] = [];
  async send(mail: OutgoingMail): Promise<void> {
    this.sent.push(mail);
  }
  close(): void {}
}

/** Any mail to one address: 20 a day, held (not dropped) at the point of sending. */
describe("the daily limit on mail to one address", () => {
  let t: TempDatabase;
  let gate: DeliveryGate;
  const start = new Date("2026-11-22T09:00:00Z");

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(start);
    t = openTempDatabase();
    const limits = await openRateLimits(t.db.$client, { ...DEFAULT_LIMITS, mailPerAddressPerDay: 3 }, "k".repeat(64));
    gate = mailGate(async () => limits);
  });
  afterEach(() => {
    t.close();
    vi.useRealTimers();
  });

  function queue(to: string, n: number): void {
    for (let i = 0; i < n; i++) {
      enqueueMail(t.db, { ...signInMail.draft({ orgName: "Test Org", link: `http://127.0.0.1:3999/x/${i}`, linkMinutes: 30 }), to, kind: "receipt" }, { now: start, appUrl: "http://127.0.0.1:3999" });
    }
  }

  it("sends up to the limit, holds the rest until the day's window ends, then sends them", async () => {
    queue("ann@example.org", 5);
    queue("bob@example.org", 1);
    const transport = new RecordingTransport();
    expect(await deliverDueMail(t.db, transport, { brand: TEST_BRAND, gate })).toMatchObject({ sent: 4, retrying: 0, failed: 0 });
    expect(transport.sent.map((m) => m.to)).toEqual(["ann@example.org", "ann@example.org", "ann@example.org", "bob@example.org"]);

    const held = t.db.select().from(mailOutbox).where(eq(mailOutbox.status, "pending")).all();
    expect(held).toHaveLength(2);
    for (const mail of held) {
      expect(mail).toMatchObject({ attempts: 0, lockedUntil: null, nextAttemptAt: new Date(start.getTime() + 24 * 60 * 60_000) });
      expect(mail.lastError).toBe("Held back: we send at most 3 emails a day to one address. It will go in 24 hours.");
    }
    // Nothing more goes out the same day.
    expect(await deliverDueMail(t.db, transport, { brand: TEST_BRAND, gate })).toMatchObject({ sent: 0, retrying: 0, failed: 0 });

    vi.setSystemTime(new Date(start.getTime() + 24 * 60 * 60_000));
    expect(await deliverDueMail(t.db, transport, { brand: TEST_BRAND, gate })).toMatchObject({ sent: 2, retrying: 0, failed: 0 });
    expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.status, "pending")).all()).toEqual([]);
  });

  it("counts only mail that went out: a failed send gives its count back", async () => {
    queue("ann@example.org", 3);
    const refusing: MailTransport = {
      describe: "a mail server that refuses",
      send: async () => {
        throw Object.assign(new Error("Connection refused"), { code: "ECONNECTION" });
      },
      close() {},
    };
    expect(await deliverDueMail(t.db, refusing, { brand: TEST_BRAND, gate })).toMatchObject({ sent: 0, retrying: 3 });

    // An hour on, the same day: the three failed tries did not use up the limit of three.
    vi.setSystemTime(new Date(start.getTime() + 60 * 60_000));
    const transport = new RecordingTransport();
    expect(await deliverDueMail(t.db, transport, { brand: TEST_BRAND, gate })).toMatchObject({ sent: 3, retrying: 0, failed: 0 });
    expect(transport.sent).toHaveLength(3);
  });

  it("neither holds nor counts mail to staff about their work, so a busy day of notices leaves their sign-in link free", async () => {
    // A busy day: more new-request notices to one staff member than the limit of three.
    for (let i = 0; i < 5; i++) {
      const reference = `RD-7K3Q-9XW${i}`;
      const notice = newRequestNoticeMail.draft({
        orgName: "Test Org",
        reference,
        type: "access",
        channel: "web",
        receivedOn: "2026-11-22",
        dueOn: "2026-12-22",
        staffUrl: `http://127.0.0.1:3999/staff/requests/${reference}`,
        assignedToYou: false,
      });
      enqueueMail(t.db, { ...notice, to: "lead@example.org", kind: "new-request" }, { now: start, appUrl: "http://127.0.0.1:3999" });
    }
    queue("lead@example.org", 3);
    const transport = new RecordingTransport();
    expect(await deliverDueMail(t.db, transport, { brand: TEST_BRAND, gate })).toMatchObject({ sent: 8, retrying: 0, failed: 0 });
    expect(transport.sent.filter((m) => m.subject.startsWith("New request"))).toHaveLength(5);
    expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.status, "pending")).all()).toEqual([]);
    // The sign-in links did count: a fourth ordinary message that day is held.
    queue("lead@example.org", 1);
    expect(await deliverDueMail(t.db, transport, { brand: TEST_BRAND, gate })).toMatchObject({ sent: 0 });
    expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.status, "pending")).all()).toHaveLength(1);
  });
});
