import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requests, type RequestStatus } from "@/db/schema";
import { addStaffMember } from "@/lib/staff/staff-members";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import { assignRequest } from "./assign-request";
import { closeEarlierRequestsOf, filed } from "@/lib/testing/filed";
import { requestEventsOf, requestRow, tablesSnapshot } from "@/lib/testing/request-reads";

const OWNER = "ann@example.org";
const LEE = "lee@example.org";
const ADMIN: RequestActor = { type: "staff", email: "adam@example.org", role: "admin" };
const filedAt = new Date("2026-11-22T09:00:00Z");
const now = new Date("2026-11-23T10:00:00Z");

describe("assignRequest", () => {
  let t: TempDatabase;
  let reference: string;
  beforeAll(() => {
    t = openTempDatabase();
    addStaffMember(t.db, { email: LEE, role: "reviewer", now: filedAt });
    addStaffMember(t.db, { email: "adam@example.org", role: "admin", now: filedAt });
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
  function assign(assigneeEmail: string | null, options: { actor?: RequestActor; expectedVersion?: number; at?: Date } = {}) {
    return assignRequest(t.db, {
      reference,
      actor: options.actor ?? ADMIN,
      expectedVersion: options.expectedVersion ?? row().version,
      assigneeEmail,
      now: options.at ?? now,
    });
  }

  it("assigns to a staff member: the status stays, the version moves, an internal event records it, no email", () => {
    const mailsBefore = t.db.select().from(mailOutbox).all();
    const result = assign(LEE);
    expect(result).toEqual({ ok: true, request: row() });
    expect(row()).toMatchObject({ assigneeEmail: LEE, status: "received", version: 2, updatedAt: now });
    expect(events().at(-1)).toMatchObject({
      action: "assigned",
      actorEmail: "adam@example.org",
      fromStatus: null,
      toStatus: null,
      note: `Assigned to ${LEE}`,
    });
    expect(t.db.select().from(mailOutbox).all()).toEqual(mailsBefore);
  });

  it("unassigns (null) back to the team", () => {
    expect(assign(LEE)).toMatchObject({ ok: true });
    const later = new Date(now.getTime() + 60_000);
    expect(assign(null, { at: later })).toMatchObject({ ok: true });
    expect(row()).toMatchObject({ assigneeEmail: null, version: 3, updatedAt: later });
    expect(events().map((e) => [e.action, e.note])).toEqual([
      ["filed", null],
      ["assigned", `Assigned to ${LEE}`],
      ["assigned", "Unassigned"],
    ]);
  });

  it("reassigns from one staff member to another", () => {
    expect(assign(LEE)).toMatchObject({ ok: true });
    expect(assign("adam@example.org")).toMatchObject({ ok: true, request: { assigneeEmail: "adam@example.org", version: 3 } });
  });

  it("refuses an address not on the staff list (invalid) and writes nothing", () => {
    const before = snapshot();
    expect(assign("zed@example.org")).toEqual({ ok: false, reason: "invalid", message: "zed@example.org is not on the staff list." });
    // The supporter is not staff either.
    expect(assign(OWNER)).toMatchObject({ ok: false, reason: "invalid" });
    expect(snapshot()).toEqual(before);
  });

  it("refuses an auditor as the assignee (invalid) and writes nothing", () => {
    addStaffMember(t.db, { email: "trustee@example.org", role: "auditor", now: filedAt });
    const before = snapshot();
    expect(assign("trustee@example.org")).toEqual({
      ok: false,
      reason: "invalid",
      message: "trustee@example.org is an auditor: auditors read requests and are not given any to work.",
    });
    expect(snapshot()).toEqual(before);
  });

  it("refuses an auditor assigning (not_permitted) and writes nothing", () => {
    const before = snapshot();
    expect(assign(LEE, { actor: { type: "staff", email: "trustee@example.org", role: "auditor" } })).toMatchObject({ ok: false, reason: "not_permitted" });
    expect(snapshot()).toEqual(before);
  });

  it.each<[string, string | null, string | null]>([
    ["to the current assignee", LEE, LEE],
    ["to nobody when nobody has it", null, null],
  ])("refuses assigning %s (invalid) and writes nothing", (_what, current, target) => {
    if (current !== null) expect(assign(current)).toMatchObject({ ok: true });
    const before = snapshot();
    expect(assign(target)).toEqual({ ok: false, reason: "invalid", message: "The request is already assigned that way." });
    expect(snapshot()).toEqual(before);
  });

  it.each<RequestStatus>(["completed", "denied", "canceled"])("refuses a %s request (not_allowed) and writes nothing", (status) => {
    t.db.update(requests).set({ status }).where(eq(requests.reference, reference)).run();
    const before = snapshot();
    expect(assign(LEE)).toEqual({ ok: false, reason: "not_allowed", message: "A closed request cannot be assigned." });
    expect(snapshot()).toEqual(before);
  });

  it.each<[string, RequestActor]>([
    ["the supporter", { type: "supporter", email: OWNER }],
    ["the system", { type: "system" }],
  ])("refuses %s (not_permitted) and writes nothing", (_who, actor) => {
    const before = snapshot();
    expect(assign(LEE, { actor })).toEqual({ ok: false, reason: "not_permitted", message: "Only staff can assign requests." });
    expect(snapshot()).toEqual(before);
  });

  it("answers a stale version with changed and writes nothing", () => {
    expect(assign(LEE)).toMatchObject({ ok: true });
    const before = snapshot();
    expect(assign("adam@example.org", { expectedVersion: 1 })).toMatchObject({ ok: false, reason: "changed" });
    expect(snapshot()).toEqual(before);
  });
});
