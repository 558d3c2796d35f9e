import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requests, type RequestStatus } from "@/db/schema";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";
import { ANSWERED_ACTION, answerConcern, cancelRequestByStaff, completeRequest, denyRequest } from "./close-request";
import { filed } from "@/lib/testing/filed";
import { requestEventsOf, requestMailsOf, requestRow, tablesSnapshot } from "@/lib/testing/request-reads";

const OWNER = "ann@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const ctx = TEST_CONTEXT;
const filedAt = new Date("2026-11-22T09:00:00Z");
const now = new Date("2026-12-01T10:00:00Z");
const ACCESS: RequestSubmission = { type: "access", email: OWNER, details: { type: "access" } };
const CONCERN: RequestSubmission = { type: "concern", email: OWNER, details: { type: "concern", message: "Why did I get a letter?" } };

describe("closing a request", () => {
  let t: TempDatabase;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  /** A new request, put straight into `status` (the workflow up to it is tested elsewhere). */
  function requestIn(status: RequestStatus, submission: RequestSubmission = ACCESS): string {
    const { reference } = filed(fileVerifiedRequest(t.db, { submission, now: filedAt, ctx }));
    t.db
      .update(requests)
      .set({ status, clockStoppedOn: status === "awaiting_supporter" ? "2026-11-25" : null })
      .where(eq(requests.reference, reference))
      .run();
    return reference;
  }
  const row = (reference: string) => requestRow(t.db, reference);
  const lastEvent = (reference: string) => requestEventsOf(t.db, reference).at(-1);
  const mailsOf = (reference: string, kind: string) => requestMailsOf(t.db, reference).filter((m) => m.kind === kind);
  const snapshot = () => tablesSnapshot(t.db);

  describe("completeRequest", () => {
    it("completes an approved request: closed, one event with the answer, one completion email", async () => {
      const reference = requestIn("approved", CONCERN);
      const answer = "Your export is ready <here>.";
      const result = completeRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note: answer, now, ctx });
      expect(result).toEqual({ ok: true, request: row(reference) });
      expect(row(reference)).toMatchObject({ status: "completed", closedAt: now, version: 2 });
      expect(lastEvent(reference)).toMatchObject({ action: "completed", fromStatus: "approved", toStatus: "completed", note: answer, actorEmail: "rita@example.org" });
      const mails = mailsOf(reference, "completed");
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ toAddress: OWNER, subject: `Your request ${reference} is complete` });
      const mail = await renderOutboxMail(mails[0]!);
      expect(mail.text).toContain(`> ${answer}`);
      expect(mail.html).toContain("Your export is ready &lt;here&gt;.");
    });

    it.each<RequestSubmission>([
      ACCESS,
      { type: "correction", email: OWNER, details: { type: "correction", changes: { name: "Ann New" } } },
      { type: "erasure", email: OWNER, details: { type: "erasure", confirmed: true } },
    ])("refuses to complete an approved $type request by hand: it completes itself once carried out", (submission) => {
      const reference = requestIn("approved", submission);
      const before = snapshot();
      expect(completeRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note: "Done", now, ctx })).toEqual({
        ok: false,
        reason: "invalid",
        message: "This request completes by itself once it has been carried out and every outside system has been dealt with.",
      });
      expect(snapshot()).toEqual(before);
    });

    it.each<[string, string | null]>([
      ["no answer", null],
      ["an empty answer", ""],
    ])("refuses to complete a concern with %s (invalid) and writes nothing", (_what, note) => {
      const reference = requestIn("approved", CONCERN);
      const before = snapshot();
      expect(completeRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note, now, ctx })).toEqual({
        ok: false,
        reason: "invalid",
        message: "Write your answer to the supporter's concern before closing it.",
      });
      expect(snapshot()).toEqual(before);
    });

    it("completes a concern with the written answer in the email", async () => {
      const reference = requestIn("approved", CONCERN);
      const answer = "It was a one-off mailing; we have removed you.";
      expect(completeRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note: answer, now, ctx })).toMatchObject({ ok: true });
      expect(row(reference).status).toBe("completed");
      expect((await renderOutboxMail(mailsOf(reference, "completed")[0]!)).text).toContain(answer);
    });

    it.each<RequestStatus>(["received", "in_review", "awaiting_supporter", "completed", "denied", "canceled"])(
      "refuses to complete a request that is %s, with no email",
      (status) => {
        const reference = requestIn(status, CONCERN);
        const before = snapshot();
        // Only the system closes a request straight from received (an unsubscribe) or not yet approved (one merged into
        // another, closing with it); to staff those moves are not permitted.
        const reason = ["received", "in_review", "awaiting_supporter"].includes(status) ? "not_permitted" : "not_allowed";
        expect(completeRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note: "Done", now, ctx })).toMatchObject({ ok: false, reason });
        expect(snapshot()).toEqual(before);
      },
    );
  });

  describe("answerConcern", () => {
    it("answers a concern in review and closes it in one step: two moves on the record, one email with the answer", async () => {
      const reference = requestIn("in_review", CONCERN);
      const answer = "It was a one-off mailing; we have removed you.";
      expect(answerConcern(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note: answer, now, ctx })).toMatchObject({
        ok: true,
        request: { status: "completed", closedAt: now, version: 3 },
      });
      expect(requestEventsOf(t.db, reference).slice(-2).map((e) => [e.action, e.fromStatus, e.toStatus, e.actorEmail, e.note])).toEqual([
        [ANSWERED_ACTION, "in_review", "approved", REVIEWER.type === "staff" ? REVIEWER.email : null, null],
        ["completed", "approved", "completed", "rita@example.org", answer],
      ]);
      const mails = mailsOf(reference, "completed");
      expect(mails).toHaveLength(1);
      expect((await renderOutboxMail(mails[0]!)).text).toContain(answer);
    });

    it("closes a concern already approved with one move", () => {
      const reference = requestIn("approved", CONCERN);
      expect(answerConcern(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note: "Answered.", now, ctx })).toMatchObject({ ok: true, request: { status: "completed" } });
      expect(requestEventsOf(t.db, reference).at(-1)).toMatchObject({ action: "completed", fromStatus: "approved" });
    });

    it.each<[string, RequestStatus, RequestSubmission, string | null]>([
      ["without an answer", "in_review", CONCERN, null],
      ["for another type of request", "in_review", ACCESS, "An answer"],
      ["before review started", "received", CONCERN, "An answer"],
      ["while waiting for the supporter", "awaiting_supporter", CONCERN, "An answer"],
    ])("refuses %s and changes nothing", (_, status, submission, note) => {
      const reference = requestIn(status, submission);
      const before = snapshot();
      expect(answerConcern(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note, now, ctx })).toMatchObject({ ok: false });
      expect(snapshot()).toEqual(before);
    });
  });

  describe("denyRequest", () => {
    const reason = "This repeats a request we answered last week.";

    it.each<RequestStatus>(["received", "in_review", "awaiting_supporter", "approved"])(
      "refuses a request that is %s: closed, clock cleared, the reason and the right to complain emailed",
      async (status) => {
        const reference = requestIn(status);
        const result = denyRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note: reason, now, ctx });
        expect(result).toEqual({ ok: true, request: row(reference) });
        expect(row(reference)).toMatchObject({ status: "denied", closedAt: now, clockStoppedOn: null, version: 2 });
        expect(lastEvent(reference)).toMatchObject({ action: "denied", fromStatus: status, toStatus: "denied", note: reason });
        const mails = mailsOf(reference, "denied");
        expect(mails).toHaveLength(1);
        expect(mails[0]).toMatchObject({ toAddress: OWNER, subject: `Our decision on your request ${reference}` });
        const mail = await renderOutboxMail(mails[0]!);
        for (const body of [mail.text, mail.html]) {
          expect(body).toContain(reason);
          expect(body).toContain("supervisory authority");
        }
      },
    );

    it.each<RequestStatus>(["completed", "denied", "canceled"])("refuses (not_allowed) to deny a request that is %s, with no email", (status) => {
      const reference = requestIn(status);
      const before = snapshot();
      expect(denyRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note: reason, now, ctx })).toMatchObject({ ok: false, reason: "not_allowed" });
      expect(snapshot()).toEqual(before);
    });

    it("the supporter cannot deny their own request (not_permitted)", () => {
      const reference = requestIn("in_review");
      const before = snapshot();
      expect(
        denyRequest(t.db, { reference, actor: { type: "supporter", email: OWNER }, expectedVersion: 1, note: reason, now, ctx }),
      ).toMatchObject({ ok: false, reason: "not_permitted" });
      expect(snapshot()).toEqual(before);
    });

    it("answers a stale version with changed and sends nothing", () => {
      const reference = requestIn("in_review");
      t.db.update(requests).set({ version: 2 }).where(eq(requests.reference, reference)).run();
      const before = snapshot();
      expect(denyRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note: reason, now, ctx })).toMatchObject({ ok: false, reason: "changed" });
      expect(snapshot()).toEqual(before);
    });
  });

  describe("cancelRequestByStaff", () => {
    const reason = "A duplicate of RD-AAAA-BBBB, which we are handling.";

    it.each<RequestStatus>(["received", "awaiting_supporter"])("cancels a request that is %s and emails the reason", async (status) => {
      const reference = requestIn(status);
      expect(cancelRequestByStaff(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note: reason, now, ctx })).toMatchObject({ ok: true });
      expect(row(reference)).toMatchObject({ status: "canceled", closedAt: now, clockStoppedOn: null });
      expect(lastEvent(reference)).toMatchObject({ action: "canceled", actorType: "staff", note: reason });
      const mails = mailsOf(reference, "cancellation");
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ toAddress: OWNER, subject: `Your request ${reference} has been closed` });
      const mail = await renderOutboxMail(mails[0]!);
      for (const body of [mail.text, mail.html]) {
        expect(body).toContain(reason);
        expect(body).toContain("supervisory authority");
      }
    });

    it("refuses (not_allowed) a request already completed", () => {
      const reference = requestIn("completed");
      const before = snapshot();
      expect(cancelRequestByStaff(t.db, { reference, actor: REVIEWER, expectedVersion: 1, note: reason, now, ctx })).toMatchObject({ ok: false, reason: "not_allowed" });
      expect(snapshot()).toEqual(before);
    });
  });
});
