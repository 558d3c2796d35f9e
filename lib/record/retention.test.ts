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
import { applyRetention, monthsBefore, REDUCED_MAIL } from "./retention";

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

  it("counts months back to the same day, or the month's last", () => {
    expect(monthsBefore(at("2026-01-10T09:00:00Z"), 36)).toEqual(at("2023-01-10T09:00:00Z"));
    expect(monthsBefore(at("2026-05-31T12:00:00Z"), 3)).toEqual(at("2026-02-28T12:00:00Z"));
    expect(monthsBefore(at("2028-03-31T00:00:00Z"), 1)).toEqual(at("2028-02-29T00:00:00Z"));
  });

  it("keeps a request until its retention period has passed", async () => {
    annsHistory();
    expect(await applyRetention(t.db, { now: at("2026-01-10T08:59:59Z"), months: 36 })).toMatchObject({ reduced: 0 });
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

    expect(await applyRetention(t.db, { now, months: 36, batchSize: 1 })).toEqual({ reduced: 2, cutoff: at("2023-01-11T09:00:00Z") });

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
    expect(await applyRetention(t.db, { now: at("2026-01-12T09:00:00Z"), months: 36 })).toMatchObject({ reduced: 0 });
  });

  it("keeps the sign-in account while the person has a request still within its period, and never touches staff accounts", async () => {
    annsHistory();
    filed(fileVerifiedRequest(t.db, { submission: { type: "access", email: ANN, details: { type: "access" } }, now: at("2025-12-01T09:00:00Z"), ctx }));
    t.db.insert(requestDrafts).values({ key: "k", type: "access", email: ANN, details: {}, createdAt: CLOSED, expiresAt: CLOSED }).run();
    expect(await applyRetention(t.db, { now: at("2026-01-11T09:00:00Z"), months: 36 })).toMatchObject({ reduced: 2 });
    expect(t.db.select().from(users).where(eq(users.email, ANN)).all()).toHaveLength(1);
    expect(tablesHolding([ANN])).toEqual(["mail_outbox", "request_drafts", "requests", "users", "verification_tokens"]);
  });
});
