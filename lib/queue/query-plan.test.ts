/**
 * The queue must stay fast on a long list: every query it runs is answered
 * through an index on `requests`, and a later page seeks to its cursor instead
 * of reading past the earlier pages. These tests read SQLite's own plan.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { statusCountsQuery } from "./count-by-status";
import { QUEUE_PAGE_SIZE, queueQuery, type QueueFilters } from "./list-queue";
import { parseQueueSearch } from "./queue-query";

const NO_FILTERS: QueueFilters = { status: null, type: null, deadline: null, assigned: null, search: null, sort: "received", after: null };
const RECEIVED_CURSOR = { sort: "received", receivedAt: 1_777_626_000_000, id: 42 } as const;
const DUE_CURSOR = { sort: "due", dueOn: "2026-06-01", id: 42 } as const;

let t: TempDatabase;
beforeAll(() => {
  t = openTempDatabase();
});
afterAll(() => t.close());

function planOf(query: { toSQL(): { sql: string; params: unknown[] } }): string[] {
  const { sql, params } = query.toSQL();
  const rows = t.db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>;
  return rows.map((r) => r.detail);
}

function queuePlan(filters: Partial<QueueFilters>): string[] {
  return planOf(queueQuery(t.db, { query: { ...NO_FILTERS, ...filters }, viewerEmail: "me@example.org", today: "2026-05-30", pageSize: QUEUE_PAGE_SIZE }));
}

/** A step that reads every row of `requests` from the table itself. */
const FULL_SCAN = /^SCAN requests(?! USING)/;

describe("query plans", () => {
  it.each<[string, Partial<QueueFilters>, RegExp]>([
    // The two orders walk their own index, so the first page stops after 51 rows.
    ["the default queue", {}, /^SCAN requests USING INDEX requests_received_idx$/],
    ["the default queue, soonest due first", { sort: "due" }, /^SCAN requests USING INDEX requests_due_idx$/],
    // Later pages seek to the cursor: "SEARCH … (received_at<?)", not a scan from the top.
    ["a later page", { after: RECEIVED_CURSOR }, /^SEARCH requests USING INDEX requests_received_idx \(received_at<\?\)$/],
    ["a later page, soonest due first", { sort: "due", after: DUE_CURSOR }, /^SEARCH requests USING INDEX requests_due_idx \(due_on>\?\)$/],
    ["by status", { status: "in_review" }, /^SEARCH requests USING INDEX requests_status_received_idx \(status=\?\)$/],
    [
      "by status, a later page",
      { status: "in_review", after: RECEIVED_CURSOR },
      /^SEARCH requests USING INDEX requests_status_received_idx \(status=\? AND received_at<\?\)$/,
    ],
    ["by status, soonest due first", { status: "received", sort: "due", after: DUE_CURSOR }, /^SEARCH requests USING INDEX requests_status_due_idx \(status=\? AND due_on>\?\)$/],
    ["assigned to me", { assigned: "me", after: RECEIVED_CURSOR }, /^SEARCH requests USING INDEX requests_assignee_received_idx \(assignee_email=\? AND received_at<\?\)$/],
    ["unassigned", { assigned: "none" }, /^SEARCH requests USING INDEX requests_assignee_received_idx \(assignee_email=\?\)$/],
    ["a whole address", { search: parseQueueSearch("ada@example.org"), after: RECEIVED_CURSOR }, /^SEARCH requests USING INDEX requests_subject_received_idx \(subject_email=\? AND received_at<\?\)$/],
    ["the start of an address", { search: parseQueueSearch("ada"), after: RECEIVED_CURSOR }, /^SEARCH requests USING INDEX requests_subject_received_idx \(subject_email>\? AND subject_email<\?\)$/],
    ["a reference", { search: parseQueueSearch("rd-7k3q-9xwm") }, /^SEARCH requests USING INDEX requests_reference_unique \(reference=\?\)$/],
    ["overdue", { deadline: "overdue" }, /^(SEARCH|SCAN) requests USING INDEX requests_\w+/],
    ["due soon, soonest due first", { deadline: "due_soon", sort: "due" }, /^(SEARCH|SCAN) requests USING INDEX requests_\w+/],
    // No index leads with the type, so the order's index is walked and the type checked on each row: still no table scan.
    ["by type", { type: "erasure" }, /^SCAN requests USING INDEX requests_received_idx$/],
    ["every filter at once", { status: "received", type: "access", deadline: "due_soon", assigned: "none", search: parseQueueSearch("ada") }, /^SEARCH requests USING INDEX requests_\w+/],
  ])("%s reads through an index", (_name, filters, expected) => {
    const plan = queuePlan(filters);
    expect(plan[0]).toMatch(expected);
    expect(plan.filter((step) => FULL_SCAN.test(step))).toEqual([]);
  });

  it.each<[string, Partial<QueueFilters>]>([
    ["the default queue", {}],
    ["a later page", { after: RECEIVED_CURSOR }],
    ["soonest due first", { sort: "due", after: DUE_CURSOR }],
    ["by status", { status: "approved", after: RECEIVED_CURSOR }],
    ["assigned to me", { assigned: "me" }],
    ["a whole address", { search: parseQueueSearch("ada@example.org") }],
  ])("%s needs no sorting: rows come off the index in page order", (_name, filters) => {
    expect(queuePlan(filters).filter((step) => step.includes("TEMP B-TREE"))).toEqual([]);
  });

  it("the counts by status are read from an index alone", () => {
    // Any index that leads with the status will do; SQLite picks the smallest.
    const plan = planOf(statusCountsQuery(t.db));
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatch(/^SCAN requests USING COVERING INDEX requests_status_\w+_idx$/);
  });

  it("the full-scan check recognises a full scan", () => {
    expect(FULL_SCAN.test("SCAN requests")).toBe(true);
    expect(FULL_SCAN.test("SCAN requests USING INDEX requests_received_idx")).toBe(false);
    const plan = planOf({ toSQL: () => ({ sql: "select * from requests where channel = ?", params: ["post"] }) });
    expect(plan.filter((step) => FULL_SCAN.test(step))).toEqual(["SCAN requests"]);
  });
});
