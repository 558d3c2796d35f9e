import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accessExports, mailOutbox, requestDrafts, sessions, users, verificationTokens } from "@/db/schema";
import { verifyRecord } from "@/lib/audit/verify-record";
import { postConcernMessage } from "@/lib/requests/fulfilment/concern-thread";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { answerConcern, denyRequest } from "@/lib/requests/casework/close-request";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { buildMonthlyReport } from "@/lib/reports/monthly-report";
import { filed } from "@/lib/testing/filed";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { requestEventsOf, requestRow } from "@/lib/testing/request-reads";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { requestReceipts } from "@/db/schema";
import { addDays } from "@/lib/calendar/dates";
import { startOfDayIn } from "@/lib/calendar/months";
import { applyRetention, REDUCED_MAIL } from "./retention";

const ctx = TEST_CONTEXT;
const LEE: RequestActor = { type: "staff", email: "lee@example.org", role: "admin" };
const ANN = "ann.example@example.org";
const BOB = "bob@example.org";
/** Everything Ann or staff wrote about her: none of it may survive the retention period anywhere. */
const ANNS_WORDS = [ANN, "Ann Example", "07700 900123", "Harbour Row", "Carol used your address", "Passport seen"];

const at = (iso: string) => new Date(iso);
const CLOSED = at("2023-01-10T09:00:00Z");

describe("retention of closed requests", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  /** Every row of every table, as text: what someone reading the file would see. */
  function everyTable(): Record<string, string> {
    const sqlite = t.db.$client;
    const tables = sqlite.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
    return Object.fromEntries(tables.map((name) => [name, JSON.stringify(sqlite.prepare(`select * from "${name}"`).all())]));
  }

  function tablesHolding(words: readonly string[]): string[] {
    return Object.entries(everyTable())
      .filter(([, rows]) => words.some((w) => rows.includes(w)))
      .map(([name]) => name)
      .sort();
  }

  /** Ann's concern (answered) and access request (carried out, export built), all closed on 10 January 2023, mail delivered; she has a sign-in account. */
  function annsHistory() {
    const concern = filed(
      fileVerifiedRequest(t.db, {
        submission: { type: "concern", email: ANN, name: "Ann Example", details: { type: "concern", message: "Who gave you my phone, 07700 900123?" } },
        now: at("2023-01-02T09:00:00Z"),
        ctx,
      }),
    ).reference;
    expect(startReview(t.db, { reference: concern, actor: LEE, expectedVersion: 1, now: at("2023-01-03T09:00:00Z") })).toMatchObject({ ok: true });
    expect(
      postConcernMessage(t.db, { reference: concern, actor: { type: "supporter", email: ANN }, message: "I live at 4 Harbour Row.", now: at("2023-01-04T09:00:00Z"), ctx }),
    ).toMatchObject({ ok: true });
    expect(
      answerConcern(t.db, { reference: concern, actor: LEE, expectedVersion: 3, note: "Carol used your address on a petition.", now: CLOSED, ctx }),
    ).toMatchObject({ ok: true });

    const access = filed(fileVerifiedRequest(t.db, { submission: { type: "access", email: ANN, details: { type: "access", note: "Passport seen? Ann Example" } }, now: at("2023-01-05T09:00:00Z"), ctx })).reference;
    expect(startReview(t.db, { reference: access, actor: LEE, expectedVersion: 1, now: at("2023-01-06T09:00:00Z") })).toMatchObject({ ok: true });
    expect(approveRequest(t.db, { reference: access, actor: LEE, expectedVersion: 2, now: CLOSED, ctx })).toMatchObject({ ok: true, request: { status: "completed" } });

    const user = t.db.insert(users).values({ email: ANN, name: "Ann Example" }).returning().get();
    t.db.insert(sessions).values({ sessionToken: "s1", userId: user.id, expires: at("2023-02-01T00:00:00Z") }).run();
    t.db.insert(verificationTokens).values({ identifier: ANN, token: "hashed", expires: at("2023-01-11T00:00:00Z") }).run();
    t.db.update(mailOutbox).set({ status: "sent", sentAt: CLOSED }).run();
    return { concern, access };
  }

  // A request keeps its details through the day its receipt names (the day of closing, in the organisation's zone,
  // `months` later, or that month's last day), and is reduced by the first run after it, at any hour of that run,
  // across a change of the clocks and a month's end.
  it.each<[string, string, number, string]>([
    ["UTC", "2026-01-31T23:30:00Z", 1, "2026-02-28"],
    // 00:30 on 20 October in London is still 19 October in UTC; the clocks go back on 25 October.
    ["Europe/London", "2026-10-19T23:30:00Z", 1, "2026-11-20"],
    // 00:30 on 31 March in London (summer time); 30 April, then the run of 1 May.
    ["Europe/London", "2026-03-30T23:30:00Z", 1, "2026-04-30"],
    // 10:00 on 31 January in Auckland is 30 January in UTC.
    ["Pacific/Auckland", "2026-01-30T21:00:00Z", 1, "2026-02-28"],
    // 23:30 on 8 March in Los Angeles, the day the clocks go forward, is 9 March in UTC.
    ["America/Los_Angeles", "2026-03-09T06:30:00Z", 36, "2029-03-08"],
    ["Asia/Kolkata", "2028-02-29T18:00:00Z", 12, "2029-02-28"],
  ])("in %s, a request closed at %s with %i months is kept until %s, as its receipt says, and reduced the day after", async (timeZone, closedAt, months, until) => {
    const zoned = { ...ctx, timeZone, requestRetentionMonths: months };
    const closed = at(closedAt);
    const reference = filed(
      fileVerifiedRequest(t.db, { submission: { type: "concern", email: ANN, details: { type: "concern", message: "Why?" } }, now: new Date(closed.getTime() - 86_400_000), ctx: zoned }),
    ).reference;
    expect(startReview(t.db, { reference, actor: LEE, expectedVersion: 1, now: closed })).toMatchObject({ ok: true });
    expect(answerConcern(t.db, { reference, actor: LEE, expectedVersion: 2, note: "Answered.", now: closed, ctx: zoned })).toMatchObject({ ok: true });
    const receipt = t.db.select().from(requestReceipts).get()!.text;
    expect(receipt).toContain(`its other details until ${until}`);

    const dayAfter = startOfDayIn(addDays(until, 1), timeZone).getTime();
    const run = (ms: number) => applyRetention(t.db, { now: new Date(ms), months, timeZone });
    // The first minute of the day named, its last minute: still kept.
    expect(await run(startOfDayIn(until, timeZone).getTime() + 60_000)).toMatchObject({ reduced: 0 });
    expect(await run(dayAfter - 60_000)).toMatchObject({ reduced: 0 });
    expect(requestRow(t.db, reference).subjectEmail).toBe(ANN);
    // The first run of the next day.
    expect(await run(dayAfter + 60_000)).toMatchObject({ reduced: 1 });
    expect(requestRow(t.db, reference).subjectEmail).toBe(`removed:${reference}`);
  });

  it("keeps a request until its retention period has passed", async () => {
    annsHistory();
    expect(await applyRetention(t.db, { now: at("2026-01-10T08:59:59Z"), months: 36, timeZone: "UTC" })).toMatchObject({ reduced: 0 });
    expect(tablesHolding(ANNS_WORDS)).toContain("requests");
  });

  it("then keeps only what statistics need: the address, names and words are in no table, the reports count the same, the log verifies", async () => {
    const { concern, access } = annsHistory();
    // Bob's request closed recently: it is not touched.
    const bobs = filed(fileVerifiedRequest(t.db, { submission: { type: "erasure", email: BOB, details: { type: "erasure", confirmed: true } }, now: at("2025-12-01T09:00:00Z"), ctx })).reference;
    expect(startReview(t.db, { reference: bobs, actor: LEE, expectedVersion: 1, now: at("2025-12-02T09:00:00Z") })).toMatchObject({ ok: true });
    expect(denyRequest(t.db, { reference: bobs, actor: LEE, expectedVersion: 2, note: "We hold nothing about Bob.", now: at("2025-12-03T09:00:00Z"), ctx })).toMatchObject({ ok: true });
    const bobBefore = requestRow(t.db, bobs);

    const now = at("2026-01-11T09:00:00Z");
    const reportBefore = buildMonthlyReport(t.db, { now, timeZone: "UTC", months: 48 });
    const before = { concern: requestRow(t.db, concern), access: requestRow(t.db, access) };
    expect(tablesHolding(ANNS_WORDS).length).toBeGreaterThan(4);

    expect(await applyRetention(t.db, { now, months: 36, timeZone: "UTC", batchSize: 1 })).toEqual({ reduced: 2, cutoff: at("2023-01-11T00:00:00Z") });

    expect(tablesHolding(ANNS_WORDS)).toEqual([]);
    expect(tablesHolding(["We hold nothing about Bob.", BOB])).toEqual(expect.arrayContaining(["requests", "request_events", "mail_outbox"]));
    expect(requestRow(t.db, bobs)).toEqual(bobBefore);

    // What the statistics need stays exactly as it was.
    for (const [reference, was] of [
      [concern, before.concern],
      [access, before.access],
    ] as const) {
      const row = requestRow(t.db, reference);
      expect(row).toMatchObject({
        reference: was.reference,
        type: was.type,
        status: "completed",
        channel: was.channel,
        regime: was.regime,
        receivedAt: was.receivedAt,
        receivedOn: was.receivedOn,
        dueOn: was.dueOn,
        closedAt: was.closedAt,
        assigneeEmail: "lee@example.org",
        subjectEmail: `removed:${reference}`,
        subjectName: null,
        identityCheck: null,
        reducedAt: now,
      });
      expect(requestEventsOf(t.db, reference).at(-1)).toMatchObject({ action: "content_removed_retention", actorType: "system", at: now });
    }
    expect(buildMonthlyReport(t.db, { now, timeZone: "UTC", months: 48 })).toEqual(reportBefore);

    // The export, the sign-in account, its session and links are gone; the mail keeps that it was sent, and when.
    expect(t.db.select().from(accessExports).all()).toEqual([]);
    expect(t.db.select().from(users).all()).toEqual([]);
    expect(t.db.select().from(sessions).all()).toEqual([]);
    expect(t.db.select().from(verificationTokens).all()).toEqual([]);
    const annsMail = t.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, before.access.id)).all();
    expect(annsMail.length).toBeGreaterThan(0);
    for (const mail of annsMail) expect(mail).toMatchObject({ status: "sent", sentAt: CLOSED, textBody: REDUCED_MAIL, template: null, props: null });

    const report = verifyRecord(t.db, { anchors: [], publicKey: null });
    expect(report.problem).toBeNull();
    expect(report.chain!.redacted.byReason.retention).toBeGreaterThan(0);
    expect(report.notes).toContainEqual(expect.stringMatching(/because the request passed its retention period/));

    // Done is done: a second run finds nothing.
    expect(await applyRetention(t.db, { now: at("2026-01-12T09:00:00Z"), months: 36, timeZone: "UTC" })).toMatchObject({ reduced: 0 });
  });

  it("keeps the sign-in account while the person has a request still within its period, and never touches staff accounts", async () => {
    annsHistory();
    filed(fileVerifiedRequest(t.db, { submission: { type: "access", email: ANN, details: { type: "access" } }, now: at("2025-12-01T09:00:00Z"), ctx }));
    t.db.insert(requestDrafts).values({ key: "k", type: "access", email: ANN, details: {}, createdAt: CLOSED, expiresAt: CLOSED }).run();
    expect(await applyRetention(t.db, { now: at("2026-01-11T09:00:00Z"), months: 36, timeZone: "UTC" })).toMatchObject({ reduced: 2 });
    expect(t.db.select().from(users).where(eq(users.email, ANN)).all()).toHaveLength(1);
    expect(tablesHolding([ANN])).toEqual(["mail_outbox", "request_drafts", "requests", "users", "verification_tokens"]);
  });
});
