import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requests, type RequestStatus } from "@/db/schema";
import { addStaffMember } from "@/lib/staff/staff-members";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import { getStaffRequest } from "./staff-request-view";
import { addInternalNote } from "../casework/add-internal-note";
import { askSupporter } from "../casework/ask-supporter";
import { assignRequest } from "../casework/assign-request";
import { extendDeadline } from "../casework/extend-deadline";
import { answerQuestion } from "../casework/answer-question";
import { recordRequest } from "../casework/record-request";
import { startReview } from "../casework/staff-step";
import { closeEarlierRequestsOf, filed } from "@/lib/testing/filed";

const OWNER = "ann@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const ctx = TEST_CONTEXT;
// Filed 22 November 2026: due 22 December 2026.
const filedAt = new Date("2026-11-22T09:00:00Z");
const INTERNAL_NOTE = "Supporter is also a trustee: check with the chair.";

describe("getStaffRequest", () => {
  let t: TempDatabase;
  let reference: string;
  beforeAll(() => {
    t = openTempDatabase();
    addStaffMember(t.db, { email: "lee@example.org", role: "reviewer", now: filedAt });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    closeEarlierRequestsOf(t.db, OWNER);
    reference = filed(fileVerifiedRequest(t.db, {
      submission: { type: "access", email: OWNER, name: "Ann Example", details: { type: "access" } },
      now: filedAt,
      ctx,
    })).reference;
  });

  function view(now: Date, ref = reference) {
    return getStaffRequest(t.db, { reference: ref, timeZone: ctx.timeZone, now });
  }
  function ok<T extends { ok: boolean }>(result: T) {
    expect(result).toMatchObject({ ok: true });
  }

  it("shows every event, marking the internal ones, with who did it and the notes", () => {
    ok(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now: new Date("2026-11-23T09:00:00Z") }));
    ok(addInternalNote(t.db, { reference, actor: REVIEWER, note: INTERNAL_NOTE, now: new Date("2026-11-23T10:00:00Z") }));
    ok(assignRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 2, assigneeEmail: "lee@example.org", now: new Date("2026-11-23T11:00:00Z") }));
    ok(askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: 3, question: "Which address?", now: new Date("2026-11-25T09:00:00Z"), ctx }));

    const seen = view(new Date("2026-11-26T09:00:00Z"))!;
    expect(seen).toMatchObject({
      reference,
      version: 4,
      status: "awaiting_supporter",
      statusLabel: "waiting for the supporter",
      email: OWNER,
      name: "Ann Example",
      channel: "web",
      identityCheck: null,
      assigneeEmail: "lee@example.org",
      deadline: { dueOn: "2026-12-22", daysLeft: 27, state: "paused" },
      canExtend: true,
    });
    expect(seen.timeline.map((e) => [e.label, e.internal, e.actorEmail, e.fromStatus, e.toStatus, e.note])).toEqual([
      ["Request received and email address confirmed", false, null, null, "received", null],
      ["Review started", false, "rita@example.org", "received", "in review", null],
      ["Internal note", true, "rita@example.org", null, null, INTERNAL_NOTE],
      ["Assignment changed", true, "rita@example.org", null, null, "Assigned to lee@example.org"],
      ["Question sent to the supporter", false, "rita@example.org", "in review", "waiting for the supporter", "Which address?"],
    ]);
  });

  it("shows how a recorded request came in and how identity was checked, and that it may duplicate the one still open", () => {
    const identity = "Passport seen at the front desk.";
    const earlier = reference;
    ({ reference } = filed(recordRequest(t.db, {
      submission: { type: "access", email: OWNER, details: { type: "access" } },
      channel: "phone",
      identityCheck: identity,
      receivedOn: "2026-11-20",
      staffEmail: "rita@example.org",
      now: filedAt,
      ctx,
    })));
    const seen = view(filedAt)!;
    expect(seen).toMatchObject({ channel: "phone", identityCheck: identity, dueOn: "2026-12-20" });
    expect(seen.timeline).toEqual([
      expect.objectContaining({ label: "Request recorded by staff", internal: false, actorType: "staff", note: `Arrived by phone on 2026-11-20. Identity checked: ${identity}` }),
      expect.objectContaining({ label: "Possible duplicate flagged", internal: true, actorType: "system" }),
    ]);
    expect(seen.duplicates).toEqual([{ reference: earlier, status: "received", earlier: true }]);
    expect(view(filedAt, earlier)!.duplicates).toEqual([{ reference, status: "received", earlier: false }]);
  });

  it.each<[string, Date, boolean]>([
    ["well before the due date", new Date("2026-12-01T09:00:00Z"), true],
    ["on the due date", new Date("2026-12-22T23:00:00Z"), true],
    ["the day after the due date", new Date("2026-12-23T00:00:00Z"), false],
  ])("an unextended open request can be extended %s: %s", (_when, now, canExtend) => {
    expect(view(now)!.canExtend).toBe(canExtend);
  });

  it("cannot be extended again once extended, and shows the reason", () => {
    ok(extendDeadline(t.db, { reference, actor: REVIEWER, expectedVersion: 1, amount: "1", reason: "Archived files.", now: new Date("2026-12-01T09:00:00Z"), ctx }));
    expect(view(new Date("2026-12-02T09:00:00Z"))).toMatchObject({ canExtend: false, extensionReason: "Archived files.", dueOn: "2027-01-22" });
  });

  it("says on the timeline where each step moved the due date: the stopped clock restarting, then the extension", () => {
    ok(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now: new Date("2026-11-23T09:00:00Z") }));
    ok(askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: 2, question: "Which address?", now: new Date("2026-11-25T09:00:00Z"), ctx }));
    // Five days stopped: due 22 December moves to 27 December.
    ok(answerQuestion(t.db, { reference, supporterEmail: OWNER, answer: "The old one.", now: new Date("2026-11-30T09:00:00Z"), ctx }));
    ok(extendDeadline(t.db, { reference, actor: REVIEWER, expectedVersion: 4, amount: "1", reason: "Archived files.", now: new Date("2026-12-01T09:00:00Z"), ctx }));
    const seen = view(new Date("2026-12-02T09:00:00Z"))!;
    expect(seen.dueOn).toBe("2027-01-27");
    expect(seen.timeline.map((e) => [e.label, e.dueMoved])).toEqual([
      ["Request received and email address confirmed", null],
      ["Review started", null],
      ["Question sent to the supporter", null],
      ["The supporter answered", { from: "2026-12-22", to: "2026-12-27" }],
      ["Deadline extended", { from: "2026-12-27", to: "2027-01-27" }],
    ]);
  });

  it.each<RequestStatus>(["completed", "denied", "canceled"])("a %s request has no deadline and cannot be extended", (status) => {
    t.db.update(requests).set({ status }).where(eq(requests.reference, reference)).run();
    expect(view(new Date("2026-12-01T09:00:00Z"))).toMatchObject({ open: false, deadline: null, canExtend: false });
  });

  it("answers an unknown reference with null", () => {
    expect(getStaffRequest(t.db, { reference: "RD-0000-0000", timeZone: "UTC", now: filedAt })).toBeNull();
  });
});
