/**
 * A queue page costs a fixed, small number of SQL statements, whatever the
 * filters and however many requests there are: who is asking, the page's
 * rows, and the counts by status (and, for the start of an address, how
 * many match). Counted as SQLite is asked to run them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requests, sessions, staff, users, type RequestStatus } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { loadViewer } from "@/lib/auth/load-viewer";
import { storedSessionToken } from "@/lib/auth/sessions";
import { countingConnection, type CountingDb } from "@/lib/testing/statement-counter";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { parseQueueQuery, type SearchParams } from "./queue-query";
import { loadQueuePage } from "./queue-view";

/** The budget the benchmark holds the queue to (README, Benchmark). */
const STATEMENTS_PER_PAGE = 4;
const now = new Date("2026-05-30T12:00:00Z");
const STAFF = "lead@example.org";
const TOKEN = "queue-statement-count-session";

let t: TempDatabase;
let counting: CountingDb;

beforeAll(() => {
  t = openTempDatabase();
  const statuses: RequestStatus[] = ["received", "in_review", "awaiting_supporter", "approved", "completed", "denied", "canceled"];
  inTransaction(t.db, (tx) => {
    for (let i = 0; i < 300; i++) {
      const receivedAt = new Date(Date.parse("2026-03-01T09:00:00Z") + i * 3_600_000 * 7);
      tx.insert(requests)
        .values({
          reference: `RD-${String(i).padStart(4, "0")}-TEST`,
          type: i % 2 ? "access" : "erasure",
          status: statuses[i % statuses.length]!,
          subjectEmail: `person${i}@example.org`,
          details: {},
          regime: "gdpr",
          receivedAt,
          receivedOn: receivedAt.toISOString().slice(0, 10),
          dueOn: `2026-0${4 + (i % 3)}-1${i % 10}`,
          assigneeEmail: i % 3 ? STAFF : null,
          updatedAt: receivedAt,
        })
        .run();
    }
    tx.insert(staff).values({ email: STAFF, role: "reviewer", addedAt: now }).run();
    tx.insert(users).values({ id: "lead", email: STAFF }).run();
    tx.insert(sessions).values({ sessionToken: storedSessionToken(TOKEN), userId: "lead", expires: new Date(now.getTime() + 3_600_000) }).run();
  });
  counting = countingConnection(t.file);
});

afterAll(() => {
  counting.close();
  t.close();
});

/** What app/staff/page.tsx runs for one page: the viewer (its layout shares the lookup), then the page's view. */
function statementsFor(params: SearchParams): string[] {
  const { result, statements } = counting.count((db) => {
    const viewer = loadViewer(db, TOKEN, now);
    if (!viewer) throw new Error("the seeded session did not load");
    return loadQueuePage(db, { query: parseQueueQuery(params), viewerEmail: viewer.email, now, timeZone: "UTC", pageSize: 50 });
  });
  expect(result.rows.length + result.counts.length).toBeGreaterThan(0);
  return statements;
}

describe("SQL statements per queue page", () => {
  it.each<[string, SearchParams, number]>([
    ["the first page", {}, 3],
    ["a later page", { after: "1777626000000.150" }, 3],
    ["soonest due first, a later page", { sort: "due", after: "2026-05-13.40" }, 3],
    ["by status", { status: "completed" }, 3],
    ["by type and status, a later page", { type: "access", status: "in_review", after: "1777626000000.150" }, 3],
    ["overdue", { deadline: "overdue" }, 3],
    ["due soon, soonest due first", { deadline: "due_soon", sort: "due" }, 3],
    ["assigned to me", { assigned: "me" }, 3],
    ["unassigned", { assigned: "none" }, 3],
    ["a whole address", { q: "person7@example.org" }, 3],
    ["a reference", { q: "RD-0007-TEST" }, 3],
    // The start of an address adds one look at how many addresses match, to choose how to read them.
    ["the start of an address", { q: "person1" }, 4],
    ["every filter at once", { q: "person", status: "received", type: "erasure", deadline: "overdue", assigned: "none", sort: "due" }, 4],
  ])("%s runs at most 4: the viewer, the rows and the counts", (_name, params, expected) => {
    const statements = statementsFor(params);
    expect(statements.length).toBeLessThanOrEqual(STATEMENTS_PER_PAGE);
    expect(statements).toHaveLength(expected);
  });

  it("counts what SQLite runs, one entry per statement", () => {
    const { statements } = counting.count((db) => {
      db.$client.prepare("select 1").get();
      db.$client.prepare("select 2").get();
    });
    expect(statements).toEqual(["select 1", "select 2"]);
  });
});
