import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestEvents } from "@/db/schema";
import { verifyEventChain } from "@/lib/audit/verify-chain";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { fileVerifiedRequest } from "../intake/file-request";
import type { ChangeResult, RequestActor } from "../lifecycle/request-change";
import { getSupporterRequest } from "../views/supporter-views";
import { answerQuestion } from "./answer-question";
import { askSupporter } from "./ask-supporter";
import { extendDeadline } from "./extend-deadline";
import { approveRequest, startReview } from "./staff-step";
import { filed } from "@/lib/testing/filed";
import { eventLog, requestMailsOf, requestRow } from "@/lib/testing/request-reads";

const OWNER = "ann@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const ADMIN: RequestActor = { type: "staff", email: "adam@example.org", role: "admin" };
const ctx = TEST_CONTEXT;

function at(iso: string): Date {
  return new Date(iso);
}

function expectOk(result: ChangeResult): number {
  if (!result.ok) throw new Error(`step refused: ${result.reason}: ${result.message}`);
  return result.request.version;
}

describe("a request from filing to completion", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  /** file → start review → question → answer → extend → approve (and so complete); returns the reference. */
  function fullRun(email: string): string {
    const { reference } = filed(fileVerifiedRequest(t.db, {
      submission: { type: "access", email, details: { type: "access" } },
      now: at("2026-11-22T09:00:00Z"),
      ctx,
    }));
    let v = expectOk(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now: at("2026-11-23T09:00:00Z") }));
    v = expectOk(askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: v, question: "Which address?", now: at("2026-11-25T09:00:00Z"), ctx }));
    v = expectOk(answerQuestion(t.db, { reference, supporterEmail: email, answer: "The old one.", now: at("2026-11-30T18:00:00Z"), ctx }));
    v = expectOk(
      extendDeadline(t.db, { reference, actor: ADMIN, expectedVersion: v, amount: "1", reason: "Three systems to search.", now: at("2026-12-10T09:00:00Z"), ctx }),
    );
    // Approving an access request builds the export and completes it, as the system.
    expectOk(approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: v, now: at("2027-01-05T09:00:00Z"), ctx: TEST_CONTEXT }));
    return reference;
  }

  it("leaves an unbroken event chain, one event per step, and the right dates and emails", async () => {
    const reference = fullRun(OWNER);

    expect(requestRow(t.db, reference)).toMatchObject({
      status: "completed",
      version: 7,
      // Due 22 December, +5 days stopped (25 → 30 November) = 27 December, +1 month = 27 January.
      dueOn: "2027-01-27",
      daysClockStopped: 5,
      clockStoppedOn: null,
      extensionReason: "Three systems to search.",
      assigneeEmail: "rita@example.org",
      closedAt: at("2027-01-05T09:00:00Z"),
    });

    const events = eventLog(t.db);
    expect(events.map((e) => [e.action, e.toStatus])).toEqual([
      ["filed", "received"],
      ["review_started", "in_review"],
      ["question", "awaiting_supporter"],
      ["reply", "in_review"],
      ["extended", null],
      ["approved", "approved"],
      ["completed", "completed"],
    ]);
    expect(verifyEventChain(t.db)).toMatchObject({ events: 7, problem: null, headHash: events.at(-1)!.hash });

    const mails = requestMailsOf(t.db, reference);
    expect(mails.map((m) => m.kind)).toEqual(["receipt", "question", "extension", "completed"]);
    expect((await renderOutboxMail(mails[2]!)).text).toContain("27 January 2027");

    const supporterSees = getSupporterRequest(t.db, { reference, email: OWNER, timeZone: "UTC", now: at("2027-01-07T09:00:00Z"), orgName: ctx.orgName })!;
    expect(supporterSees).toMatchObject({ status: "completed", open: false, deadline: null, pendingQuestion: null });
    expect(supporterSees.history).toHaveLength(7);
  });

  it("chains two runs into one log, and the check finds an edited event", () => {
    fullRun(OWNER);
    fullRun("bob@example.org");
    const report = verifyEventChain(t.db, { batchSize: 3 });
    expect(report).toMatchObject({ events: 14, problem: null });
    expect(countRows(t.db, requestEvents)).toBe(14);

    // Rewriting history anywhere is found at that event.
    t.db.update(requestEvents).set({ note: "Something else." }).where(eq(requestEvents.id, 4)).run();
    expect(verifyEventChain(t.db)).toMatchObject({ events: 4, problem: { eventId: 4, kind: "content_changed" } });
  });
});
