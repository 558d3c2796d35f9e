import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requests, type RequestStatus } from "@/db/schema";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import { answerQuestion } from "./answer-question";
import { askSupporter } from "./ask-supporter";
import { approveRequest, startReview } from "./staff-step";
import { closeEarlierRequestsOf, filed } from "@/lib/testing/filed";
import { requestEventsOf, requestRow, tablesSnapshot } from "@/lib/testing/request-reads";

const OWNER = "ann@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const ADMIN: RequestActor = { type: "staff", email: "adam@example.org", role: "admin" };
const filedAt = new Date("2026-11-22T09:00:00Z");
const now = new Date("2026-11-23T10:00:00Z");

describe("staff steps", () => {
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
      ctx: TEST_CONTEXT,
    })).reference;
  });

  const row = () => requestRow(t.db, reference);
  const events = () => requestEventsOf(t.db, reference);
  const snapshot = () => tablesSnapshot(t.db);
  function setRow(values: Partial<typeof requests.$inferInsert>) {
    t.db.update(requests).set(values).where(eq(requests.reference, reference)).run();
  }

  describe("startReview", () => {
    it.each<[string, RequestActor]>([
      ["a reviewer", REVIEWER],
      ["an admin", ADMIN],
    ])("moves received → in review and gives the unassigned request to %s", (_who, actor) => {
      const result = startReview(t.db, { reference, actor, expectedVersion: 1, now });
      expect(result).toEqual({ ok: true, request: row() });
      expect(row()).toMatchObject({ status: "in_review", version: 2, updatedAt: now, assigneeEmail: actor.type === "staff" ? actor.email : null });
      expect(events().map((e) => [e.action, e.fromStatus, e.toStatus, e.actorEmail])).toEqual([
        ["filed", null, "received", null],
        ["review_started", "received", "in_review", actor.type === "staff" ? actor.email : null],
      ]);
    });

    it("keeps an existing assignee", () => {
      setRow({ assigneeEmail: "lee@example.org" });
      expect(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now })).toMatchObject({ ok: true });
      expect(row()).toMatchObject({ status: "in_review", assigneeEmail: "lee@example.org" });
    });

    it("is refused to the supporter, even the owner, and writes nothing", () => {
      const before = snapshot();
      expect(startReview(t.db, { reference, actor: { type: "supporter", email: OWNER }, expectedVersion: 1, now })).toMatchObject({
        ok: false,
        reason: "not_permitted",
      });
      expect(snapshot()).toEqual(before);
    });

    it.each<RequestStatus>(["in_review", "awaiting_supporter", "approved", "completed", "denied", "canceled"])(
      "is refused (not_allowed) for a request that is %s and writes nothing",
      (status) => {
        setRow({ status, clockStoppedOn: status === "awaiting_supporter" ? "2026-11-23" : null });
        const before = snapshot();
        expect(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now })).toMatchObject({ ok: false, reason: "not_allowed" });
        expect(snapshot()).toEqual(before);
      },
    );

    it("cannot take a request out of waiting for the supporter: the clock stays stopped until they answer", () => {
      expect(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now })).toMatchObject({ ok: true });
      const askedAt = new Date("2026-11-24T10:00:00Z");
      expect(askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: 2, question: "Which address?", now: askedAt, ctx: TEST_CONTEXT })).toMatchObject({ ok: true });
      expect(startReview(t.db, { reference, actor: ADMIN, expectedVersion: 3, now: new Date("2026-11-25T10:00:00Z") })).toEqual({
        ok: false,
        reason: "not_allowed",
        message: "This request is waiting for the supporter's answer; review resumes when they reply.",
      });
      expect(row()).toMatchObject({ status: "awaiting_supporter", clockStoppedOn: "2026-11-24", version: 3 });
      // So the answer, six days after the question, still moves the due date.
      expect(answerQuestion(t.db, { reference, supporterEmail: OWNER, answer: "The old one.", now: new Date("2026-11-30T10:00:00Z"), ctx: TEST_CONTEXT })).toMatchObject({ ok: true });
      expect(row()).toMatchObject({ status: "in_review", clockStoppedOn: null, daysClockStopped: 6, dueOn: "2026-12-28" });
    });

    it("answers a stale version with changed and writes nothing", () => {
      expect(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now })).toMatchObject({ ok: true });
      const before = snapshot();
      expect(startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now })).toMatchObject({ ok: false, reason: "changed" });
      expect(snapshot()).toEqual(before);
    });
  });

  describe("approveRequest", () => {
    it("moves in review → approved with the staff member on record; an access request is then carried out and completed by the system", () => {
      expect(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now })).toMatchObject({ ok: true });
      const later = new Date(now.getTime() + 3_600_000);
      const result = approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: 2, now: later, ctx: TEST_CONTEXT });
      expect(result).toEqual({ ok: true, request: row() });
      expect(row()).toMatchObject({ status: "completed", version: 4, updatedAt: later, closedAt: later });
      expect(events().at(-2)).toMatchObject({
        action: "approved",
        fromStatus: "in_review",
        toStatus: "approved",
        actorType: "staff",
        actorEmail: "adam@example.org",
        at: later,
      });
      expect(events().at(-1)).toMatchObject({ action: "completed", fromStatus: "approved", toStatus: "completed", actorType: "system", actorEmail: null, at: later });
    });

    it.each<RequestStatus>(["received", "awaiting_supporter", "approved", "completed", "denied", "canceled"])(
      "is refused (not_allowed) for a request that is %s and writes nothing",
      (status) => {
        setRow({ status });
        const before = snapshot();
        expect(approveRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now, ctx: TEST_CONTEXT })).toMatchObject({ ok: false, reason: "not_allowed" });
        expect(snapshot()).toEqual(before);
      },
    );

    it("gives the sentence from the transition table for received → approved", () => {
      expect(approveRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now, ctx: TEST_CONTEXT })).toEqual({
        ok: false,
        reason: "not_allowed",
        message: "A request that is received cannot be approved.",
      });
    });

    it("is refused to the owner (not_permitted)", () => {
      setRow({ status: "in_review" });
      expect(approveRequest(t.db, { reference, actor: { type: "supporter", email: OWNER }, expectedVersion: 1, now, ctx: TEST_CONTEXT })).toMatchObject({
        ok: false,
        reason: "not_permitted",
      });
      expect(row().status).toBe("in_review");
    });
  });
});
