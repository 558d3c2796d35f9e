import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/connection";
import { mailOutbox, staff, type OutboxMail } from "@/db/schema";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { ALERT_INTERVAL_MS, alertAdminsOfFailedMail, FAILED_MAIL_ALERT_KIND, mailOverview, retryFailedMail } from "./failed-mail";
import { enqueueMail } from "@/lib/mail/outbox";
import { cancellationMail } from "@/lib/mail/emails/cancellation";

const NOW = new Date("2026-11-22T09:00:00Z");
const APP = "http://127.0.0.1:3999";
const MINUTE = 60_000;

function queue(db: Db, input: { to?: string; status?: OutboxMail["status"]; autoRetry?: boolean; reference?: string } = {}): number {
  const reference = input.reference ?? "RD-7K3Q-9XWM";
  const id = enqueueMail(
    db,
    {
      ...cancellationMail.draft({ orgName: "Test Org", reference, type: "concern", requestUrl: `${APP}/requests/${reference}` }),
      to: input.to ?? "ann@example.org",
      kind: "cancellation",
    },
    { now: NOW, appUrl: APP },
  );
  db.update(mailOutbox)
    .set({
      status: input.status ?? "failed",
      autoRetry: input.autoRetry ?? true,
      attempts: input.status === "pending" ? 0 : 10,
      lastError: input.status === "pending" ? null : "connect ECONNREFUSED 127.0.0.1:25",
      nextAttemptAt: new Date(NOW.getTime() + 60 * MINUTE),
    })
    .where(eq(mailOutbox.id, id))
    .run();
  return id;
}

describe("failed mail", () => {
  let t: TempDatabase;
  const alerts = () => t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, FAILED_MAIL_ALERT_KIND)).all();
  const alert = (at: Date) => alertAdminsOfFailedMail(t.db, { now: at, orgName: "Test Org", appUrl: APP, maxAttempts: 10 });
  const addStaff = (email: string, role: "admin" | "reviewer") => t.db.insert(staff).values({ email, role, addedAt: NOW }).run();

  beforeEach(() => {
    t = openTempDatabase();
    addStaff("adam@example.org", "admin");
    addStaff("alma@example.org", "admin");
    addStaff("rita@example.org", "reviewer");
  });
  afterEach(() => t.close());

  describe("alertAdminsOfFailedMail", () => {
    it("tells each admin, and no reviewer, once, naming what failed and linking to the dashboard", async () => {
      queue(t.db, { reference: "RD-AAAA-AAAA" });
      queue(t.db, { reference: "RD-BBBB-BBBB" });
      queue(t.db, { status: "pending" });

      expect(alert(NOW)).toBe(2);
      const sent = alerts();
      expect(sent.map((m) => m.toAddress)).toEqual(["adam@example.org", "alma@example.org"]);
      expect(sent[0]!.subject).toBe("2 emails from Test Org could not be delivered");
      const { text, html } = await renderOutboxMail(sent[0]!);
      expect(text).toContain("Your request RD-AAAA-AAAA has been cancelled");
      expect(text).toContain("Your request RD-BBBB-BBBB has been cancelled");
      expect(text).toContain("connect ECONNREFUSED");
      expect(text).toContain(`${APP}/staff/mail`);
      expect(html).toContain(`href="${APP}/staff/mail"`);

      // The same failures are not reported twice.
      expect(alert(new Date(NOW.getTime() + 2 * ALERT_INTERVAL_MS))).toBe(0);
      expect(alerts()).toHaveLength(2);
    });

    it.each([
      [30 * MINUTE, 0],
      [ALERT_INTERVAL_MS - 1, 0],
      [ALERT_INTERVAL_MS, 2],
    ])("a new failure %i ms after an alert: %i more alerts (at most one an hour)", (later, expected) => {
      queue(t.db);
      alert(NOW);
      const newer = queue(t.db, { reference: "RD-CCCC-CCCC" });
      expect(alert(new Date(NOW.getTime() + later))).toBe(expected);
      expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.id, newer)).get()!.alertedAt).toEqual(expected ? new Date(NOW.getTime() + later) : null);
    });

    it("does not alert about a failed alert, or about nothing", () => {
      expect(alert(NOW)).toBe(0);
      queue(t.db);
      alert(NOW);
      t.db.update(mailOutbox).set({ status: "failed" }).where(eq(mailOutbox.kind, FAILED_MAIL_ALERT_KIND)).run();
      expect(alert(new Date(NOW.getTime() + 5 * ALERT_INTERVAL_MS))).toBe(0);
    });

    it("with no admin, keeps the failures unreported until there is one", () => {
      t.db.delete(staff).where(eq(staff.role, "admin")).run();
      const id = queue(t.db);
      expect(alert(NOW)).toBe(0);
      expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).get()!.alertedAt).toBeNull();
      addStaff("new-admin@example.org", "admin");
      expect(alert(NOW)).toBe(1);
    });
  });

  describe("mailOverview", () => {
    it("counts what waits and lists every failed message, saying when it is tried next", () => {
      queue(t.db, { status: "pending" });
      const retrying = queue(t.db, { to: "bea@example.org" });
      const stuck = queue(t.db, { to: "cat@example.org", autoRetry: false });
      queue(t.db, { status: "sent" });
      const overview = mailOverview(t.db);
      expect(overview.waiting).toBe(1);
      expect(overview.failed.map((m) => [m.id, m.to, m.nextTryAt])).toEqual([
        [stuck, "cat@example.org", null],
        [retrying, "bea@example.org", new Date(NOW.getTime() + 60 * MINUTE)],
      ]);
      expect(overview.failed[0]).toMatchObject({ attempts: 10, lastError: "connect ECONNREFUSED 127.0.0.1:25", subject: "Your request RD-7K3Q-9XWM has been cancelled" });
    });
  });

  describe("retryFailedMail", () => {
    it.each<["all" | "one", number]>([
      ["all", 2],
      ["one", 1],
    ])("retrying %s makes failed messages due now and reportable again; others are untouched", (which, expected) => {
      const first = queue(t.db, { autoRetry: false });
      queue(t.db);
      const pending = queue(t.db, { status: "pending" });
      alert(NOW);
      const later = new Date(NOW.getTime() + 5 * MINUTE);
      expect(retryFailedMail(t.db, { ids: which === "all" ? "all" : [first, pending], now: later })).toBe(expected);
      const r = t.db.select().from(mailOutbox).where(eq(mailOutbox.id, first)).get()!;
      expect(r).toMatchObject({ status: "pending", nextAttemptAt: later, autoRetry: true, alertedAt: null, attempts: 10 });
      expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.id, pending)).get()!.nextAttemptAt).toEqual(new Date(NOW.getTime() + 60 * MINUTE));
    });

    it("retries nothing when given no ids", () => {
      queue(t.db);
      expect(retryFailedMail(t.db, { ids: [], now: NOW })).toBe(0);
    });
  });
});
