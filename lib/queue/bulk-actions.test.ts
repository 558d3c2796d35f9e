import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bulkJobItems, bulkJobs, mailOutbox, requestEvents, requests, type RequestStatus } from "@/db/schema";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { addStaffMember, removeStaffMember } from "@/lib/staff/staff-members";
import { filed } from "@/lib/testing/filed";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { bulkJobView, bulkSummary, createBulkJob, processBulkWork, type BulkWorkOptions } from "./bulk-actions";
import { parseQueueQuery } from "./queue-query";

const ctx = TEST_CONTEXT;
const now = new Date("2026-11-23T10:00:00Z");
const LEAD = "lead@example.org";

describe("bulk actions", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    addStaffMember(t.db, { email: LEAD, role: "admin", now });
    addStaffMember(t.db, { email: "rita@example.org", role: "reviewer", now });
  });
  afterEach(() => t.close());

  /** Erasure requests from addresses of their own, put straight into `status`. */
  function erasures(n: number, status: RequestStatus, prefix = "bulk"): string[] {
    return Array.from({ length: n }, (_, i) => {
      const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "erasure", email: `${prefix}-${status}-${i}@example.org`, details: { type: "erasure", confirmed: true } }, now, ctx }));
      t.db.update(requests).set({ status }).where(eq(requests.reference, reference)).run();
      return reference;
    });
  }
  const work = (overrides: Partial<BulkWorkOptions> = {}) =>
    processBulkWork(t.db, { ctx, now: () => now, budgetMs: 60_000, sliceMs: 10, pause: () => new Promise((r) => setImmediate(r)), ...overrides });
  const statusOf = (reference: string) => t.db.select({ status: requests.status }).from(requests).where(eq(requests.reference, reference)).get()?.status;
  const eventsOf = (reference: string, action: string) =>
    t.db.select().from(requestEvents).innerJoin(requests, eq(requests.id, requestEvents.requestId)).where(and(eq(requests.reference, reference), eq(requestEvents.action, action))).all().length;
  const mailsOf = (reference: string, kind: string) =>
    t.db.select().from(mailOutbox).innerJoin(requests, eq(requests.id, mailOutbox.requestId)).where(and(eq(requests.reference, reference), eq(mailOutbox.kind, kind))).all().length;
  const filter = (q: string) => ({ kind: "filter" as const, query: { ...parseQueueQuery({ q }), after: null }, viewerEmail: LEAD, today: "2026-11-23" });

  it("approves every erasure matching a filter through the change path: each completes with its events and its email; those in the wrong state are left, with why", async () => {
    const ready = erasures(30, "in_review");
    const early = erasures(2, "received");
    const created = createBulkJob(t.db, { action: "approve", params: { confirmedErasure: true }, selection: filter("bulk-"), by: LEAD, now });
    expect(created).toMatchObject({ ok: true, total: 32 });
    expect(await work()).toBe(false);
    for (const reference of ready) {
      expect(statusOf(reference)).toBe("completed");
      expect([eventsOf(reference, "approved"), eventsOf(reference, "erased"), eventsOf(reference, "completed")]).toEqual([1, 1, 1]);
      expect(mailsOf(reference, "completed")).toBe(1);
    }
    for (const reference of early) expect(statusOf(reference)).toBe("received");
    const view = bulkJobView(t.db, created.ok ? created.jobId : 0)!;
    expect(view).toMatchObject({ status: "done", total: 32, done: 32, moved: 30, unchangedCount: 2 });
    expect(view.unchanged.map((u) => u.reference).sort()).toEqual([...early].sort());
    expect(view.unchanged[0]?.message).toBe("A request that is received cannot be approved.");
    expect(bulkSummary(view)).toBe("32 requests: 30 approved, 2 left as they were.");
  });

  it("without the erasure box ticked, approves no erasure", async () => {
    const ready = erasures(3, "in_review");
    const created = createBulkJob(t.db, { action: "approve", params: { confirmedErasure: false }, selection: { kind: "references", references: ready }, by: LEAD, now });
    await work();
    for (const reference of ready) expect(statusOf(reference)).toBe("in_review");
    expect(bulkJobView(t.db, created.ok ? created.jobId : 0)!.unchanged[0]?.message).toMatch(/^Tick the box to confirm/);
  });

  it("stopped part-way (a restart), it goes on where it was: nothing lost, nothing done twice", async () => {
    const ready = erasures(12, "in_review");
    createBulkJob(t.db, { action: "approve", params: { confirmedErasure: true }, selection: filter("bulk-"), by: LEAD, now });
    // A budget of nothing stops after the first request, as a process dying between two would.
    expect(await work({ budgetMs: 0 })).toBe(true);
    expect(t.db.select().from(bulkJobs).get()).toMatchObject({ status: "running", done: 1 });
    // Two workers at once, as after a restart with a separate mail worker running too.
    await Promise.all([work(), work()]);
    for (const reference of ready) {
      expect(statusOf(reference)).toBe("completed");
      expect(eventsOf(reference, "approved")).toBe(1);
      expect(mailsOf(reference, "completed")).toBe(1);
    }
    expect(t.db.select().from(bulkJobs).get()).toMatchObject({ status: "done", done: 12, moved: 12 });
  });

  it("refuses with one reason, each supporter emailed it; starts review; assigns", async () => {
    const [a, b] = erasures(2, "received");
    createBulkJob(t.db, { action: "start_review", params: {}, selection: { kind: "references", references: [a!] }, by: "rita@example.org", now });
    createBulkJob(t.db, { action: "assign", params: { assignee: LEAD }, selection: { kind: "references", references: [a!, b!] }, by: "rita@example.org", now });
    createBulkJob(t.db, { action: "refuse", params: { reason: "Manifestly unfounded." }, selection: { kind: "references", references: [b!] }, by: "rita@example.org", now });
    await work();
    expect(t.db.select({ status: requests.status, assignee: requests.assigneeEmail }).from(requests).where(eq(requests.reference, a!)).get()).toEqual({ status: "in_review", assignee: LEAD });
    expect(statusOf(b!)).toBe("denied");
    expect(mailsOf(b!, "denied")).toBe(1);
  });

  it("runs as the staff member who started it, read again for each request: removed meanwhile, the rest are left", async () => {
    const refs = erasures(3, "received");
    createBulkJob(t.db, { action: "start_review", params: {}, selection: { kind: "references", references: refs }, by: "rita@example.org", now });
    await work({ budgetMs: 0 });
    removeStaffMember(t.db, { email: "rita@example.org" });
    await work();
    expect(refs.map(statusOf)).toEqual(["in_review", "received", "received"]);
    const messages = t.db.select({ message: bulkJobItems.message }).from(bulkJobItems).all().map((i) => i.message);
    expect(messages.filter((m) => m?.includes("may no longer change requests"))).toHaveLength(2);
  });

  it.each<[string, Parameters<typeof createBulkJob>[1]["selection"], string]>([
    ["nothing ticked", { kind: "references", references: [] }, "Choose at least one request."],
    ["only unknown references", { kind: "references", references: ["RD-0000-0000"] }, "None of the chosen requests could be found. Reload the queue and choose again."],
    ["a filter nothing matches", { kind: "filter", query: { ...parseQueueQuery({ q: "nobody" }), after: null }, viewerEmail: LEAD, today: "2026-11-23" }, "No request matches this filter."],
  ])("starts nothing for %s", (_what, selection, message) => {
    expect(createBulkJob(t.db, { action: "start_review", params: {}, selection, by: LEAD, now })).toEqual({ ok: false, message });
    expect(t.db.select().from(bulkJobs).all()).toEqual([]);
  });
});
