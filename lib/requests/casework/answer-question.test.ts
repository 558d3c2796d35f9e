import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requests } from "@/db/schema";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import { answerQuestion } from "./answer-question";
import { askSupporter } from "./ask-supporter";
import { startReview } from "./staff-step";
import { closeEarlierRequestsOf, filed } from "@/lib/testing/filed";
import { requestEventsOf, requestRow, tablesSnapshot } from "@/lib/testing/request-reads";

const OWNER = "ann@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const ctx = TEST_CONTEXT;
const DAY = 86_400_000;
// Filed 22 November 2026: due 22 December 2026. The question goes out on 25 November.
const filedAt = new Date("2026-11-22T09:00:00Z");
const askedAt = new Date("2026-11-25T10:00:00Z");

describe("answerQuestion", () => {
  let t: TempDatabase;
  let reference: string;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());
  beforeEach(() => {
    closeEarlierRequestsOf(t.db, OWNER);
    reference = filed(fileVerifiedRequest(t.db, {
      submission: { type: "access", email: OWNER, details: { type: "access" } },
      now: filedAt,
      ctx,
    })).reference;
    expect(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now: filedAt })).toMatchObject({ ok: true });
  });

  const row = () => requestRow(t.db, reference);
  const events = () => requestEventsOf(t.db, reference);
  const snapshot = () => tablesSnapshot(t.db);
  function ask(now: Date, question = "Which address?") {
    expect(askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: row().version, question, now, ctx })).toMatchObject({ ok: true });
  }

  it.each<[number, string]>([
    [0, "2026-12-22"],
    [1, "2026-12-23"],
    [7, "2026-12-29"],
    [9, "2026-12-31"],
    // Across the year end: 40 days later the due date is 31 January.
    [40, "2027-01-31"],
  ])("an answer %i days after the question moves the due date to %s", (days, dueOn) => {
    ask(askedAt);
    // Later in the day than the question, to show only calendar days count.
    const answeredAt = new Date(askedAt.getTime() + days * DAY + 5 * 3_600_000);
    const result = answerQuestion(t.db, { reference, supporterEmail: OWNER, answer: "The old one.", now: answeredAt, ctx });
    expect(result).toEqual({ ok: true, request: row() });
    expect(row()).toMatchObject({
      status: "in_review",
      clockStoppedOn: null,
      daysClockStopped: days,
      dueOn,
      receivedOn: "2026-11-22",
      version: 4,
      updatedAt: answeredAt,
    });
    expect(events().at(-1)).toMatchObject({
      action: "reply",
      actorType: "supporter",
      actorEmail: null,
      fromStatus: "awaiting_supporter",
      toStatus: "in_review",
      note: "The old one.",
      at: answeredAt,
    });
  });

  it("accumulates the days of two question-and-answer rounds", () => {
    ask(askedAt, "First question");
    expect(answerQuestion(t.db, { reference, supporterEmail: OWNER, answer: "One", now: new Date(askedAt.getTime() + 3 * DAY), ctx })).toMatchObject({ ok: true });
    expect(row()).toMatchObject({ daysClockStopped: 3, dueOn: "2026-12-25" });

    ask(new Date(askedAt.getTime() + 5 * DAY), "Second question");
    expect(row().clockStoppedOn).toBe("2026-11-30");
    expect(answerQuestion(t.db, { reference, supporterEmail: OWNER, answer: "Two", now: new Date(askedAt.getTime() + 12 * DAY), ctx })).toMatchObject({ ok: true });
    expect(row()).toMatchObject({ status: "in_review", clockStoppedOn: null, daysClockStopped: 10, dueOn: "2027-01-01", version: 6 });
    expect(events().map((e) => [e.action, e.note])).toEqual([
      ["filed", null],
      ["review_started", null],
      ["question", "First question"],
      ["reply", "One"],
      ["question", "Second question"],
      ["reply", "Two"],
    ]);
  });

  it("sends no email: staff see the answer on the request", () => {
    ask(askedAt);
    const mailsBefore = t.db.select().from(mailOutbox).all();
    expect(answerQuestion(t.db, { reference, supporterEmail: OWNER, answer: "x", now: askedAt, ctx })).toMatchObject({ ok: true });
    expect(t.db.select().from(mailOutbox).all()).toEqual(mailsBefore);
  });

  it.each([
    ["another supporter", "bob@example.org"],
    ["the owner's address in another case", "Ann@Example.org"],
  ])("answers %s with not_found and changes nothing", (_who, supporterEmail) => {
    ask(askedAt);
    const before = snapshot();
    expect(answerQuestion(t.db, { reference, supporterEmail, answer: "Me!", now: askedAt, ctx })).toEqual({
      ok: false,
      reason: "not_found",
      message: "We could not find that request.",
    });
    expect(snapshot()).toEqual(before);
  });

  it("answers an unknown reference with not_found", () => {
    expect(answerQuestion(t.db, { reference: "RD-0000-0000", supporterEmail: OWNER, answer: "x", now: askedAt, ctx })).toMatchObject({
      ok: false,
      reason: "not_found",
    });
  });

  it("refuses (not_allowed) when no question is waiting, and a second answer to one question", () => {
    const notWaiting = { ok: false, reason: "not_allowed", message: "We are not waiting for an answer on this request any more." };
    let before = snapshot();
    expect(answerQuestion(t.db, { reference, supporterEmail: OWNER, answer: "Unasked", now: askedAt, ctx })).toEqual(notWaiting);
    expect(snapshot()).toEqual(before);

    ask(askedAt);
    expect(answerQuestion(t.db, { reference, supporterEmail: OWNER, answer: "First", now: askedAt, ctx })).toMatchObject({ ok: true });
    before = snapshot();
    expect(answerQuestion(t.db, { reference, supporterEmail: OWNER, answer: "Again", now: askedAt, ctx })).toEqual(notWaiting);
    expect(snapshot()).toEqual(before);
  });

  it("refuses (not_allowed) on a closed request", () => {
    ask(askedAt);
    t.db.update(requests).set({ status: "canceled", clockStoppedOn: null }).where(eq(requests.reference, reference)).run();
    const before = snapshot();
    expect(answerQuestion(t.db, { reference, supporterEmail: OWNER, answer: "x", now: askedAt, ctx })).toMatchObject({ ok: false, reason: "not_allowed" });
    expect(snapshot()).toEqual(before);
  });
});
