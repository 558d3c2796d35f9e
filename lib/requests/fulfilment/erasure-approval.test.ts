import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { supporters } from "@/db/schema";
import { loadApprovalPolicy, parseApprovalPolicyForm, saveApprovalPolicy } from "@/lib/org/approval-policy";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { answerQuestion } from "@/lib/requests/casework/answer-question";
import { askSupporter } from "@/lib/requests/casework/ask-supporter";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { filed } from "@/lib/testing/filed";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { requestEventsOf, requestRow, tablesSnapshot } from "@/lib/testing/request-reads";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { CONFIRM_ERASURE_MESSAGE, CONFIRM_FIRST_APPROVAL_MESSAGE, FIRST_APPROVAL_ACTION, standingFirstApproval } from "./erasure-approval";
import { getFulfilmentView } from "./staff-fulfilment-view";

const ctx = TEST_CONTEXT;
const RITA: RequestActor & { type: "staff" } = { type: "staff", email: "rita@example.org", role: "reviewer" };
const LEAD: RequestActor & { type: "staff" } = { type: "staff", email: "lead@example.org", role: "admin" };
const ERIN = "erin@example.org";
const now = new Date("2026-11-22T09:00:00Z");
const later = new Date("2026-11-22T11:30:00Z");

describe("approving an erasure", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    seedSupporter(t.db, { email: ERIN });
  });
  afterEach(() => t.close());

  /** An erasure request in review, as its page would show it. */
  function inReview(): string {
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "erasure", email: ERIN, details: { type: "erasure", confirmed: true } }, now, ctx }));
    expect(startReview(t.db, { reference, actor: RITA, expectedVersion: 1, now })).toMatchObject({ ok: true });
    return reference;
  }
  const approve = (reference: string, actor: RequestActor, confirmedErasure: boolean, at = now) =>
    approveRequest(t.db, { reference, actor, expectedVersion: requestRow(t.db, reference).version, now: at, ctx, confirmedErasure });
  const twoApprovals = () => saveApprovalPolicy(t.db, { erasureNeedsTwoApprovals: true }, { email: LEAD.email, now });

  it.each([
    ["one approval (the default)", false, CONFIRM_ERASURE_MESSAGE],
    ["two approvals", true, CONFIRM_FIRST_APPROVAL_MESSAGE],
  ])("with %s, an approval that does not confirm what will go and stay is refused and changes nothing", (_, two, message) => {
    if (two) twoApprovals();
    const reference = inReview();
    const before = tablesSnapshot(t.db);
    expect(approve(reference, RITA, false)).toEqual({ ok: false, reason: "invalid", message });
    expect(tablesSnapshot(t.db)).toEqual(before);
    expect(countRows(t.db, supporters)).toBe(1);
  });

  it("with one approval, the confirmed approval erases at once", () => {
    const reference = inReview();
    expect(approve(reference, RITA, true)).toMatchObject({ ok: true, request: { status: "completed" } });
    expect(countRows(t.db, supporters)).toBe(0);
    expect(requestEventsOf(t.db, reference).map((e) => e.action)).not.toContain(FIRST_APPROVAL_ACTION);
  });

  it("with two approvals, the first is recorded and erases nothing; the same person cannot give the second; another can, and both are on the record", () => {
    twoApprovals();
    const reference = inReview();

    const first = approve(reference, RITA, true);
    expect(first).toMatchObject({ ok: true, request: { status: "in_review" } });
    expect(countRows(t.db, supporters)).toBe(1);
    expect(standingFirstApproval(t.db, requestRow(t.db, reference).id)).toEqual({ by: RITA.email, at: now });

    const before = tablesSnapshot(t.db);
    expect(approve(reference, RITA, true, later)).toMatchObject({ ok: false, reason: "invalid", message: expect.stringMatching(/^You gave the first approval; a different staff member/) });
    expect(tablesSnapshot(t.db)).toEqual(before);
    expect(countRows(t.db, supporters)).toBe(1);

    expect(approve(reference, LEAD, true, later)).toMatchObject({ ok: true, request: { status: "completed" } });
    expect(t.db.select().from(supporters).where(eq(supporters.email, ERIN)).all()).toEqual([]);
    const events = requestEventsOf(t.db, reference);
    expect(events.filter((e) => e.actorType === "staff").map((e) => [e.action, e.actorEmail])).toEqual([
      ["review_started", RITA.email],
      [FIRST_APPROVAL_ACTION, RITA.email],
      ["approved", LEAD.email],
    ]);
    // The approval's note went with the rest of the person's history when the erasure closed; the log still holds who approved and when.
    const approved = events.find((e) => e.action === "approved")!;
    expect(approved).toMatchObject({ note: null, contentSalt: null, actorEmail: LEAD.email, at: later });
    expect(events.at(-1)!.action).toBe("content_removed_erasure");
  });

  it("with two approvals, the box and its refusal say the first approval erases nothing, and the second that it erases at once", () => {
    twoApprovals();
    const reference = inReview();
    const confirmation = () => getFulfilmentView(t.db, { reference, now, timeZone: "UTC" })!.erasureApproval!.confirmation;

    expect(confirmation()).toMatch(/^I have checked what approval does\. This first approval deletes nothing\. Deleted once a different staff member gives the second: supporter records/);
    expect(confirmation()).not.toContain("at once");
    expect(CONFIRM_FIRST_APPROVAL_MESSAGE).not.toContain("at once");
    expect(approve(reference, RITA, false)).toMatchObject({ ok: false, message: CONFIRM_FIRST_APPROVAL_MESSAGE });

    approve(reference, RITA, true);
    expect(confirmation()).toMatch(/^I have checked what approval does\. Deleted at once: supporter records/);
    // The first approver asking again is told to wait for someone else, box or no box.
    expect(approve(reference, RITA, false, later)).toMatchObject({ ok: false, message: expect.stringMatching(/^You gave the first approval; a different staff member/) });
    const before = tablesSnapshot(t.db);
    expect(approve(reference, LEAD, false, later)).toEqual({ ok: false, reason: "invalid", message: CONFIRM_ERASURE_MESSAGE });
    expect(tablesSnapshot(t.db)).toEqual(before);
  });

  it("with one approval, the box says the approval erases at once", () => {
    const reference = inReview();
    expect(getFulfilmentView(t.db, { reference, now, timeZone: "UTC" })!.erasureApproval!.confirmation).toMatch(/^I have checked what approval does\. Deleted at once: supporter records/);
  });

  it("a first approval lapses when the request goes back to the supporter, and is needed again", () => {
    twoApprovals();
    const reference = inReview();
    approve(reference, RITA, true);
    expect(askSupporter(t.db, { reference, actor: LEAD, expectedVersion: requestRow(t.db, reference).version, question: "Which address?", now, ctx })).toMatchObject({ ok: true });
    expect(answerQuestion(t.db, { reference, supporterEmail: ERIN, answer: "This one.", now: later, ctx })).toMatchObject({ ok: true });
    expect(standingFirstApproval(t.db, requestRow(t.db, reference).id)).toBeNull();
    // The lead's approval is now a first approval again, not the second.
    expect(approve(reference, LEAD, true, later)).toMatchObject({ ok: true, request: { status: "in_review" } });
    expect(countRows(t.db, supporters)).toBe(1);
  });

  it("other request types need no confirmation and one approval", () => {
    twoApprovals();
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "access", email: ERIN, details: { type: "access" } }, now, ctx }));
    startReview(t.db, { reference, actor: RITA, expectedVersion: 1, now });
    expect(approve(reference, RITA, false)).toMatchObject({ ok: true, request: { status: "completed" } });
  });

  it("the policy is one approval until an admin saves it, and the form names a missing choice", () => {
    expect(loadApprovalPolicy(t.db)).toEqual({ erasureNeedsTwoApprovals: false, updatedAt: null, updatedBy: null });
    twoApprovals();
    expect(loadApprovalPolicy(t.db)).toEqual({ erasureNeedsTwoApprovals: true, updatedAt: now, updatedBy: LEAD.email });
    expect(parseApprovalPolicyForm({ erasureApprovals: "two" })).toEqual({ ok: true, value: { erasureNeedsTwoApprovals: true } });
    expect(parseApprovalPolicyForm({ erasureApprovals: "one" })).toEqual({ ok: true, value: { erasureNeedsTwoApprovals: false } });
    for (const input of [{}, { erasureApprovals: "three" }] as Record<string, string>[]) {
      expect(parseApprovalPolicyForm(input)).toEqual({ ok: false, fieldErrors: { erasureApprovals: "Choose whether an erasure needs one approval or two." } });
    }
  });
});
