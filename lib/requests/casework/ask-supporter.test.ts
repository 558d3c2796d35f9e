import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requests, type RequestStatus } from "@/db/schema";
import type { PortalContext } from "@/lib/settings/portal-context";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import { askSupporter } from "./ask-supporter";
import { startReview } from "./staff-step";
import { filed } from "@/lib/testing/filed";
import { requestEventsOf, requestMailsOf, requestRow, tablesSnapshot } from "@/lib/testing/request-reads";

const OWNER = "ann@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const filedAt = new Date("2026-11-22T09:00:00Z");
const reviewedAt = new Date("2026-11-23T09:00:00Z");
const askedAt = new Date("2026-11-25T15:30:00Z");
const QUESTION = "Which address did you sign up with? <b>Not</b> the new one & please say \"when\".";

describe("askSupporter", () => {
  let t: TempDatabase;
  let reference: string;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());
  beforeEach(() => {
    reference = filed(fileVerifiedRequest(t.db, {
      submission: { type: "access", email: OWNER, details: { type: "access" } },
      now: filedAt,
      ctx: TEST_CONTEXT,
    })).reference;
  });

  const row = () => requestRow(t.db, reference);
  const events = () => requestEventsOf(t.db, reference);
  const questionMails = () => requestMailsOf(t.db, reference).filter((m) => m.kind === "question");
  const snapshot = () => tablesSnapshot(t.db);
  function review() {
    expect(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now: reviewedAt })).toMatchObject({ ok: true });
  }

  it("stops the clock, records the question and emails it to the supporter", async () => {
    review();
    const result = askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: 2, question: QUESTION, now: askedAt, ctx: TEST_CONTEXT });
    expect(result).toEqual({ ok: true, request: row() });
    expect(row()).toMatchObject({
      status: "awaiting_supporter",
      clockStoppedOn: "2026-11-25",
      dueOn: "2026-12-22",
      daysClockStopped: 0,
      version: 3,
      updatedAt: askedAt,
      closedAt: null,
    });
    expect(events().at(-1)).toMatchObject({
      action: "question",
      actorType: "staff",
      actorEmail: "rita@example.org",
      fromStatus: "in_review",
      toStatus: "awaiting_supporter",
      note: QUESTION,
      at: askedAt,
    });

    const mails = questionMails();
    expect(mails).toHaveLength(1);
    const mail = await renderOutboxMail(mails[0]!);
    expect(mail).toMatchObject({
      toAddress: OWNER,
      status: "pending",
      sensitive: false,
      nextAttemptAt: askedAt,
      subject: `We need something from you about your request ${reference}`,
    });
    expect(mail.text).toContain(`> ${QUESTION}`);
    expect(mail.html).toContain(
      "Which address did you sign up with? &lt;b&gt;Not&lt;/b&gt; the new one &amp; please say &quot;when&quot;.",
    );
    expect(mail.html).not.toContain("<b>");
    for (const body of [mail.text, mail.html]) expect(body).toContain(`${TEST_CONTEXT.appUrl}/requests/${reference}`);
  });

  it.each<[string, string]>([
    ["UTC", "2026-11-25"],
    // 15:30 UTC on the 25th is already the 26th in Auckland (UTC+13 in November)...
    ["Pacific/Auckland", "2026-11-26"],
    // ...and still the 25th in Honolulu.
    ["Pacific/Honolulu", "2026-11-25"],
  ])("stops the clock on today's date in the organisation's time zone (%s → %s)", (timeZone, stoppedOn) => {
    review();
    const ctx: PortalContext = { ...TEST_CONTEXT, timeZone };
    expect(askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: 2, question: "Q?", now: askedAt, ctx })).toMatchObject({ ok: true });
    expect(row().clockStoppedOn).toBe(stoppedOn);
  });

  it("stops the clock on the right day just after midnight in the organisation's zone", () => {
    review();
    const ctx: PortalContext = { ...TEST_CONTEXT, timeZone: "Europe/Berlin" };
    // 23:30 UTC on 30 November is 00:30 on 1 December in Berlin.
    const lateEvening = new Date("2026-11-30T23:30:00Z");
    expect(askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: 2, question: "Q?", now: lateEvening, ctx })).toMatchObject({ ok: true });
    expect(row().clockStoppedOn).toBe("2026-12-01");
  });

  it.each<RequestStatus>(["received", "awaiting_supporter", "approved", "completed", "denied", "canceled"])(
    "is refused (not_allowed) for a request that is %s: no event, no mail",
    (status) => {
      t.db.update(requests).set({ status }).where(eq(requests.reference, reference)).run();
      const before = snapshot();
      expect(
        askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: 1, question: QUESTION, now: askedAt, ctx: TEST_CONTEXT }),
      ).toMatchObject({ ok: false, reason: "not_allowed" });
      expect(snapshot()).toEqual(before);
    },
  );

  it("is refused to the supporter (not_permitted): no event, no mail", () => {
    review();
    const before = snapshot();
    expect(
      askSupporter(t.db, { reference, actor: { type: "supporter", email: OWNER }, expectedVersion: 2, question: QUESTION, now: askedAt, ctx: TEST_CONTEXT }),
    ).toMatchObject({ ok: false, reason: "not_permitted" });
    expect(snapshot()).toEqual(before);
  });

  it("answers a stale version with changed: no event, no mail", () => {
    review();
    const before = snapshot();
    expect(
      askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: 1, question: QUESTION, now: askedAt, ctx: TEST_CONTEXT }),
    ).toMatchObject({ ok: false, reason: "changed" });
    expect(snapshot()).toEqual(before);
    expect(questionMails()).toEqual([]);
  });

  it("changes nothing when the mail cannot be queued (one transaction)", () => {
    review();
    const before = snapshot();
    t.db.$client.exec("CREATE TRIGGER no_mail BEFORE INSERT ON mail_outbox BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END;");
    try {
      expect(() =>
        askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: 2, question: QUESTION, now: askedAt, ctx: TEST_CONTEXT }),
      ).toThrow("outbox unavailable");
    } finally {
      t.db.$client.exec("DROP TRIGGER no_mail;");
    }
    expect(snapshot()).toEqual(before);
  });
});
