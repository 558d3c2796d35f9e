import { count, eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requests, REQUEST_STATUSES, type RequestStatus } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { countByStatus } from "./count-by-status";

const AT = new Date("2026-05-01T09:00:00Z");

describe("countByStatus", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  function insert(n: number, status: RequestStatus) {
    t.db
      .insert(requests)
      .values({
        reference: `RD-${String(n).padStart(4, "0")}-TEST`,
        type: "access",
        status,
        subjectEmail: `p${n}@example.org`,
        details: {},
        regime: "gdpr",
        receivedAt: AT,
        receivedOn: "2026-05-01",
        dueOn: "2026-06-01",
        updatedAt: AT,
      })
      .run();
  }

  /** The counts as a full count over the table finds them. */
  function counted(): Record<string, number> {
    const rows = t.db.select({ status: requests.status, n: count() }).from(requests).groupBy(requests.status).all();
    return Object.fromEntries(REQUEST_STATUSES.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0]));
  }

  function kept(): Record<string, number> {
    return Object.fromEntries(countByStatus(t.db).byStatus.map((c) => [c.status, c.count]));
  }

  it("is zero for every status in an empty database", () => {
    expect(countByStatus(t.db).total).toBe(0);
    expect(kept()).toEqual(counted());
  });

  it("stays equal to a full count through inserts, status changes, other updates and deletes, in and out of transactions", () => {
    for (let i = 0; i < 40; i++) insert(i, REQUEST_STATUSES[i % REQUEST_STATUSES.length]!);
    expect(kept()).toEqual(counted());

    t.db.update(requests).set({ status: "in_review" }).where(eq(requests.status, "received")).run();
    t.db.update(requests).set({ status: "completed" }).where(inArray(requests.status, ["approved", "in_review"])).run();
    // Writing the same status again, or changing anything else, changes no count.
    t.db.update(requests).set({ status: "denied", version: 2 }).where(eq(requests.status, "denied")).run();
    t.db.update(requests).set({ assigneeEmail: "staff@example.org" }).run();
    expect(kept()).toEqual(counted());

    t.db.delete(requests).where(eq(requests.status, "canceled")).run();
    inTransaction(t.db, (tx) => {
      tx.update(requests).set({ status: "canceled" }).where(eq(requests.status, "awaiting_supporter")).run();
      tx.delete(requests).where(eq(requests.reference, "RD-0003-TEST")).run();
    });
    expect(kept()).toEqual(counted());
    expect(countByStatus(t.db).total).toBe(t.db.select({ n: count() }).from(requests).get()?.n);
  });

  it("a change that is rolled back leaves the counts as they were", () => {
    insert(1, "received");
    const before = kept();
    expect(() =>
      inTransaction(t.db, (tx) => {
        tx.update(requests).set({ status: "approved" }).run();
        insert(2, "received");
        throw new Error("rolled back");
      }),
    ).toThrow("rolled back");
    expect(kept()).toEqual(before);
    expect(kept()).toEqual(counted());
  });
});
