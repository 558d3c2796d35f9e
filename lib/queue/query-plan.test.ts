/**
 * The queue must stay fast on a long list: every query it runs is answered
 * through an index on `requests`, and a later page seeks to its cursor instead
 * of reading past the earlier pages. These tests read SQLite's own plan.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { getSupporterRequest, listSupporterRequests } from "@/lib/requests/views/supporter-views";
import { filed } from "@/lib/testing/filed";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countingConnection } from "@/lib/testing/statement-counter";
import { queryPlan, type PlannedQuery } from "@/lib/testing/query-plan";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { statusCountsQuery } from "./count-by-status";
import { QUEUE_PAGE_SIZE, queueQuery, type PrefixPlan, type QueueFilters } from "./list-queue";
import { parseQueueSearch } from "./queue-query";

const NO_FILTERS: QueueFilters = { status: null, type: null, deadline: null, assigned: null, search: null, sort: "received", after: null };
const RECEIVED_CURSOR = { sort: "received", receivedAt: 1_777_626_000_000, id: 42 } as const;
const DUE_CURSOR = { sort: "due", dueOn: "2026-06-01", id: 42 } as const;

let t: TempDatabase;
beforeAll(() => {
  t = openTempDatabase();
});
afterAll(() => t.close());

function planOf(query: PlannedQuery): string[] {
  return queryPlan(t.db, query);
}

function queuePlan(filters: Partial<QueueFilters>, prefixPlan?: PrefixPlan): string[] {
  return planOf(
    queueQuery(t.db, { query: { ...NO_FILTERS, ...filters }, viewerEmail: "me@example.org", today: "2026-05-30", pageSize: QUEUE_PAGE_SIZE, prefixPlan }),
  );
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
    // The deadline filters walk the partial indexes of requests whose clock runs: a few thousand rows, however long the history.
    ["overdue", { deadline: "overdue" }, /^SCAN requests USING INDEX requests_running_received_idx$/],
    ["overdue, soonest due first", { deadline: "overdue", sort: "due" }, /^SEARCH requests USING INDEX requests_running_due_idx \(due_on<\?\)$/],
    ["due soon", { deadline: "due_soon", after: RECEIVED_CURSOR }, /^SEARCH requests USING INDEX requests_running_received_idx \(received_at<\?\)$/],
    ["due soon, soonest due first", { deadline: "due_soon", sort: "due" }, /^SEARCH requests USING INDEX requests_running_due_idx \(due_on>\?\)$/],
    ["overdue, by type", { deadline: "overdue", type: "access" }, /^SCAN requests USING INDEX requests_running_received_idx$/],
    // Possible duplicates walk their own partial indexes: only the flagged requests are in them.
    ["possible duplicates", { duplicates: "flagged" }, /^SCAN requests USING INDEX requests_duplicate_received_idx$/],
    ["possible duplicates, a later page", { duplicates: "flagged", after: RECEIVED_CURSOR }, /^SEARCH requests USING INDEX requests_duplicate_received_idx \(received_at<\?\)$/],
    ["possible duplicates, soonest due first", { duplicates: "flagged", sort: "due" }, /^SCAN requests USING INDEX requests_duplicate_due_idx$/],
    ["possible erasures", { duplicates: "flagged", type: "erasure" }, /^SCAN requests USING INDEX requests_duplicate_received_idx$/],
    // No index leads with the type, so the order's index is walked and the type checked on each row: still no table scan.
    ["by type", { type: "erasure" }, /^SCAN requests USING INDEX requests_received_idx$/],
    ["every filter at once", { status: "received", type: "access", deadline: "due_soon", assigned: "none", search: parseQueueSearch("ada") }, /^SEARCH requests USING INDEX requests_\w+/],
  ])("%s reads through an index", (_name, filters, expected) => {
    const plan = queuePlan(filters);
    expect(plan[0]).toMatch(expected);
    expect(plan.filter((step) => FULL_SCAN.test(step))).toEqual([]);
  });

  // A search by the start of an address: few matches are sought in the address index and sorted (at most
  // PREFIX_SORT_LIMIT of them); many are found walking the order index, which holds the address too.
  it.each<[string, Partial<QueueFilters>, PrefixPlan, RegExp]>([
    ["few matches", { search: parseQueueSearch("ada.lovelace") }, "range", /^SEARCH requests USING INDEX requests_subject_received_idx \(subject_email>\? AND subject_email<\?\)$/],
    ["many matches", { search: parseQueueSearch("a") }, "walk", /^SCAN requests USING INDEX requests_received_idx$/],
    ["many matches, a later page", { search: parseQueueSearch("a"), after: RECEIVED_CURSOR }, "walk", /^SEARCH requests USING INDEX requests_received_idx \(received_at<\?\)$/],
    ["many matches, soonest due first", { search: parseQueueSearch("a"), sort: "due" }, "walk", /^SCAN requests USING INDEX requests_due_idx$/],
  ])("the start of an address, %s, reads through an index", (_name, filters, prefixPlan, expected) => {
    const plan = queuePlan(filters, prefixPlan);
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
    ["overdue", { deadline: "overdue" }],
    ["overdue, soonest due first", { deadline: "overdue", sort: "due" }],
    ["due soon", { deadline: "due_soon" }],
    ["due soon, soonest due first", { deadline: "due_soon", sort: "due", after: DUE_CURSOR }],
    ["possible duplicates", { duplicates: "flagged" }],
    ["possible duplicates, soonest due first", { duplicates: "flagged", sort: "due", after: DUE_CURSOR }],
  ])("%s needs no sorting: rows come off the index in page order", (_name, filters) => {
    expect(queuePlan(filters).filter((step) => step.includes("TEMP B-TREE"))).toEqual([]);
  });

  it("the start of a common address needs no sorting either", () => {
    expect(queuePlan({ search: parseQueueSearch("a") }, "walk").filter((step) => step.includes("TEMP B-TREE"))).toEqual([]);
  });

  it("the counts by status are read from their own table of seven rows, never from requests", () => {
    const plan = planOf(statusCountsQuery(t.db));
    expect(plan).toEqual(["SCAN request_status_counts"]);
  });

  it("the full-scan check recognises a full scan", () => {
    expect(FULL_SCAN.test("SCAN requests")).toBe(true);
    expect(FULL_SCAN.test("SCAN requests USING INDEX requests_received_idx")).toBe(false);
    const plan = planOf({ toSQL: () => ({ sql: "select * from requests where channel = ?", params: ["post"] }) });
    expect(plan.filter((step) => FULL_SCAN.test(step))).toEqual(["SCAN requests"]);
  });

  it("a supporter's list of requests and one request's page read through indexes, never scanning requests or their events", () => {
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "access", email: "ada@example.org", details: { type: "access" } }, now: new Date(), ctx: TEST_CONTEXT }));
    const counting = countingConnection(t.file);
    try {
      const { statements } = counting.count((db) => {
        listSupporterRequests(db, "ada@example.org");
        getSupporterRequest(db, { reference, email: "ada@example.org", timeZone: "UTC", now: new Date(), orgName: "Test Org" });
      });
      // The list, then the request, then its events: the plans of the very statements the pages run.
      expect(statements).toHaveLength(3);
      const plans = statements.map((statement) => planOf({ toSQL: () => ({ sql: statement, params: [] }) }));
      expect(plans[0]).toEqual(["SEARCH requests USING INDEX requests_subject_received_idx (subject_email=?)"]);
      expect(plans[1]).toEqual(["SEARCH requests USING INDEX requests_reference_unique (reference=?)"]);
      expect(plans[2]).toEqual(["SEARCH request_events USING INDEX request_events_request_idx (request_id=?)"]);
    } finally {
      counting.close();
    }
  });
});
