import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requests, type RequestStatus } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { fileVerifiedRequest } from "../intake/file-request";
import { applyChange, AUDITOR_MESSAGE, loadForChange, NOT_FOUND_MESSAGE, type RequestActor } from "./request-change";
import { closeEarlierRequestsOf, filed } from "@/lib/testing/filed";
import { eventLog, requestEventsOf, requestRow, tablesSnapshot } from "@/lib/testing/request-reads";

const OWNER = "ann@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const ADMIN: RequestActor = { type: "staff", email: "adam@example.org", role: "admin" };
const AUDITOR: RequestActor = { type: "staff", email: "aud@example.org", role: "auditor" };
const OWNER_ACTOR: RequestActor = { type: "supporter", email: OWNER };
const SYSTEM: RequestActor = { type: "system" };
const filedAt = new Date("2026-11-22T09:00:00Z");
const now = new Date("2026-11-23T10:00:00Z");

describe("request changes", () => {
  // One database for the file (opening one costs more than all these tests);
  // every test works on a request of its own.
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
  /** This request's events, oldest first. */
  const events = () => requestEventsOf(t.db, reference);
  /** The whole log, oldest first. */
  const allEvents = () => eventLog(t.db);
  const snapshot = () => tablesSnapshot(t.db);
  function setRow(values: Partial<typeof requests.$inferInsert>) {
    t.db.update(requests).set(values).where(eq(requests.reference, reference)).run();
  }
  function load(input: { reference?: string; actor: RequestActor; expectedVersion?: number }) {
    return inTransaction(t.db, (tx) => loadForChange(tx, { reference, ...input }));
  }

  describe("loadForChange", () => {
    it.each<[string, RequestActor]>([
      ["the owner", OWNER_ACTOR],
      ["a reviewer", REVIEWER],
      ["an admin", ADMIN],
      ["the system", SYSTEM],
    ])("lets %s load the request", (_who, actor) => {
      expect(load({ actor })).toEqual({ ok: true, request: row() });
    });

    it.each<[string, string | undefined, RequestActor]>([
      ["an unknown reference, for staff", "RD-0000-0000", REVIEWER],
      ["an unknown reference, for a supporter", "RD-0000-0000", OWNER_ACTOR],
      ["someone else's request, for a supporter", undefined, { type: "supporter", email: "bob@example.org" }],
      ["the owner's request under another case of the address", undefined, { type: "supporter", email: "ANN@example.org" }],
    ])("answers %s with not_found", (_what, otherReference, actor) => {
      expect(load({ reference: otherReference ?? reference, actor })).toEqual({
        ok: false,
        reason: "not_found",
        message: NOT_FOUND_MESSAGE,
      });
    });

    it("accepts the current version", () => {
      expect(load({ actor: REVIEWER, expectedVersion: 1 })).toMatchObject({ ok: true });
    });

    it.each<[RequestStatus, string]>([
      ["in_review", "in review"],
      ["awaiting_supporter", "waiting for the supporter"],
      ["denied", "refused"],
    ])("answers a stale version with changed, naming the current status (%s)", (status, words) => {
      setRow({ status, version: 2 });
      expect(load({ actor: REVIEWER, expectedVersion: 1 })).toEqual({
        ok: false,
        reason: "changed",
        message: `Someone else changed this request while you were looking at it; it is now ${words}. Check it and try again.`,
      });
    });

    it("does not tell a supporter about a version of someone else's request", () => {
      setRow({ version: 5 });
      expect(load({ actor: { type: "supporter", email: "bob@example.org" }, expectedVersion: 1 })).toMatchObject({
        reason: "not_found",
      });
    });
  });

  describe("applyChange", () => {
    function apply(change: Parameters<typeof applyChange>[2]) {
      return inTransaction(t.db, (tx) => applyChange(tx, row(), change));
    }

    it.each<[RequestStatus, RequestStatus, string]>([
      ["received", "approved", "A request that is received cannot be approved."],
      ["awaiting_supporter", "approved", "A request that is waiting for the supporter cannot be approved."],
      ["received", "awaiting_supporter", "A request that is received cannot be waiting for the supporter."],
      ["in_review", "received", "A request that is in review cannot be received."],
      ["completed", "in_review", "A request that is completed cannot be in review."],
      ["canceled", "canceled", "A request that is cancelled cannot be cancelled."],
    ])("refuses %s → %s with not_allowed and writes nothing", (from, to, message) => {
      setRow({ status: from });
      const before = snapshot();
      expect(apply({ actor: ADMIN, action: "review_started", to, now })).toEqual({ ok: false, reason: "not_allowed", message });
      expect(snapshot()).toEqual(before);
    });

    it.each<[RequestStatus, RequestStatus, RequestActor]>([
      ["received", "in_review", OWNER_ACTOR],
      ["received", "in_review", SYSTEM],
      ["in_review", "approved", OWNER_ACTOR],
      ["in_review", "awaiting_supporter", SYSTEM],
      ["approved", "completed", OWNER_ACTOR],
      ["received", "completed", REVIEWER],
      ["received", "denied", OWNER_ACTOR],
      ["approved", "canceled", SYSTEM],
      // Only a request merged into another is closed this way by the system, and never once approved.
      ["in_review", "completed", ADMIN],
    ])("refuses %s → %s by a %j with not_permitted and writes nothing", (from, to, actor) => {
      setRow({ status: from });
      const before = snapshot();
      expect(apply({ actor, action: "review_started", to, now })).toMatchObject({ ok: false, reason: "not_permitted" });
      expect(snapshot()).toEqual(before);
    });

    it.each<[string, Parameters<typeof applyChange>[2]]>([
      ["a move", { actor: AUDITOR, action: "review_started", to: "in_review", now }],
      ["an internal note", { actor: AUDITOR, action: "note", now, note: "Looks fine to me." }],
      ["an assignment", { actor: AUDITOR, action: "assigned", now, set: { assigneeEmail: "aud@example.org" } }],
      ["a refusal", { actor: AUDITOR, action: "denied", to: "denied", now, note: "No." }],
    ])("refuses an auditor %s with not_permitted and writes nothing", (_what, change) => {
      const before = snapshot();
      expect(apply(change)).toEqual({ ok: false, reason: "not_permitted", message: AUDITOR_MESSAGE });
      expect(snapshot()).toEqual(before);
    });

    it("moves the status, bumps the version, applies `set` and appends one event", () => {
      const result = apply({ actor: REVIEWER, action: "review_started", to: "in_review", now, note: "mine", set: { assigneeEmail: "rita@example.org" } });
      const updated = row();
      expect(result).toEqual({ ok: true, request: updated });
      expect(updated).toMatchObject({
        status: "in_review",
        version: 2,
        updatedAt: now,
        assigneeEmail: "rita@example.org",
        closedAt: null,
      });
      const all = events();
      expect(all).toHaveLength(2);
      expect(all[1]).toMatchObject({
        requestId: updated.id,
        at: now,
        actorType: "staff",
        actorEmail: "rita@example.org",
        action: "review_started",
        fromStatus: "received",
        toStatus: "in_review",
        note: "mine",
        prevHash: all[0]!.hash,
      });
      expect(all[1]!.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(all[1]!.hash).not.toBe(all[0]!.hash);
    });

    it("without `to` keeps the status, still bumps the version and records an event with no statuses", () => {
      const result = apply({ actor: ADMIN, action: "assigned", now, set: { assigneeEmail: "lee@example.org" } });
      expect(result).toMatchObject({ ok: true, request: { status: "received", version: 2, assigneeEmail: "lee@example.org" } });
      expect(events()[1]).toMatchObject({ action: "assigned", fromStatus: null, toStatus: null, note: null, actorEmail: "adam@example.org" });
    });

    it("records a system actor without an address", () => {
      setRow({ status: "approved" });
      expect(apply({ actor: SYSTEM, action: "completed", to: "completed", now })).toMatchObject({ ok: true });
      expect(events()[1]).toMatchObject({ actorType: "system", actorEmail: null });
    });

    it.each<[RequestStatus, "completed" | "denied" | "canceled", RequestActor]>([
      ["approved", "completed", REVIEWER],
      ["awaiting_supporter", "denied", ADMIN],
      ["awaiting_supporter", "canceled", OWNER_ACTOR],
      ["in_review", "canceled", REVIEWER],
    ])("closing %s → %s sets closedAt and restarts no clock (clockStoppedOn cleared)", (from, to, actor) => {
      setRow({ status: from, clockStoppedOn: "2026-11-22" });
      expect(apply({ actor, action: to, to, now })).toMatchObject({ ok: true });
      expect(row()).toMatchObject({ status: to, closedAt: now, clockStoppedOn: null, version: 2 });
    });

    it("a status that stays open keeps closedAt empty and the stopped clock as set", () => {
      setRow({ status: "in_review" });
      expect(apply({ actor: REVIEWER, action: "question", to: "awaiting_supporter", now, note: "Which address did you use?", set: { clockStoppedOn: "2026-11-23" } })).toMatchObject({ ok: true });
      expect(row()).toMatchObject({ status: "awaiting_supporter", closedAt: null, clockStoppedOn: "2026-11-23" });
    });

    it("chains every event onto the one before it, across requests", () => {
      const other = filed(fileVerifiedRequest(t.db, {
        submission: { type: "access", email: "bob@example.org", details: { type: "access" } },
        now,
        ctx: TEST_CONTEXT,
      })).reference;
      expect(apply({ actor: REVIEWER, action: "review_started", to: "in_review", now })).toMatchObject({ ok: true });
      const all = allEvents();
      const [beforeLast, last] = all.slice(-2);
      expect([beforeLast!.action, last!.action]).toEqual(["filed", "review_started"]);
      expect(beforeLast!.requestId).not.toBe(last!.requestId);
      expect(last!.prevHash).toBe(beforeLast!.hash);
      // And so on all the way down to the first event, which follows nothing.
      expect(all.map((e) => e.prevHash)).toEqual(["", ...all.slice(0, -1).map((e) => e.hash)]);
      expect(other).not.toBe(reference);
    });

    it.each<[string, Partial<typeof requests.$inferInsert>, string]>([
      ["a version bump only", { version: 2 }, "received"],
      ["a concurrent start of review", { version: 2, status: "in_review" }, "in review"],
    ])("after %s between load and apply, returns changed and writes no event", (_what, concurrent, words) => {
      const eventsBefore = events();
      const result = inTransaction(t.db, (tx) => {
        const loaded = loadForChange(tx, { reference, actor: REVIEWER, expectedVersion: 1 });
        if (!loaded.ok) throw new Error("the load should succeed");
        // Someone else's write lands after this load read the row.
        tx.update(requests).set(concurrent).where(eq(requests.id, loaded.request.id)).run();
        return applyChange(tx, loaded.request, { actor: REVIEWER, action: "review_started", to: "in_review", now, set: { assigneeEmail: "rita@example.org" } });
      });
      expect(result).toEqual({
        ok: false,
        reason: "changed",
        message: `Someone else changed this request while you were looking at it; it is now ${words}. Check it and try again.`,
      });
      expect(events()).toEqual(eventsBefore);
      expect(row()).toMatchObject({ version: 2, assigneeEmail: null, updatedAt: filedAt });
    });
  });
});
