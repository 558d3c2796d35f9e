import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requests, REQUEST_STATUSES, REQUEST_TYPES, type RequestStatus } from "@/db/schema";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { decodeCursor, encodeCursor, listQueue, QUEUE_PAGE_SIZE } from "./list-queue";

const BASE = Date.parse("2026-05-01T09:00:00Z");
const now = new Date("2026-05-30T12:00:00Z");

describe("listQueue", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  function insert(index: number, receivedAt: Date, status: RequestStatus = "received", dueOn = "2026-06-01") {
    return t.db
      .insert(requests)
      .values({
        reference: `RD-${String(index).padStart(4, "0")}-TEST`,
        type: REQUEST_TYPES[index % REQUEST_TYPES.length]!,
        status,
        subjectEmail: `person${index}@example.org`,
        details: {},
        regime: "gdpr",
        receivedAt,
        receivedOn: receivedAt.toISOString().slice(0, 10),
        dueOn,
        updatedAt: receivedAt,
      })
      .returning({ id: requests.id, receivedAt: requests.receivedAt, reference: requests.reference })
      .get();
  }

  /** 120 rows, inserted out of time order, with 40 distinct times shared by three rows each. */
  function insert120() {
    return Array.from({ length: 120 }, (_, i) =>
      insert(i, new Date(BASE + ((i * 37) % 40) * 60_000), REQUEST_STATUSES[i % REQUEST_STATUSES.length]),
    );
  }

  function newestFirst(rows: Array<{ id: number; receivedAt: Date; reference: string }>): string[] {
    return [...rows]
      .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || b.id - a.id)
      .map((r) => r.reference);
  }

  function allPages(pageSize?: number): string[][] {
    const pages: string[][] = [];
    let after: ReturnType<typeof decodeCursor> = null;
    for (let guard = 0; guard < 1000; guard++) {
      const page = listQueue(t.db, { after, now, timeZone: "UTC", pageSize });
      pages.push(page.rows.map((r) => r.reference));
      if (!page.nextCursor) return pages;
      after = decodeCursor(page.nextCursor);
      expect(after).not.toBeNull();
    }
    throw new Error("pagination did not end");
  }

  it("lists newest first", () => {
    insert(1, new Date(BASE));
    insert(2, new Date(BASE + 2000));
    insert(3, new Date(BASE + 1000));
    expect(listQueue(t.db, { now, timeZone: "UTC" })).toMatchObject({
      rows: [{ reference: "RD-0002-TEST" }, { reference: "RD-0003-TEST" }, { reference: "RD-0001-TEST" }],
      nextCursor: null,
    });
  });

  it.each([QUEUE_PAGE_SIZE, 7, 3, 1, 120, 200])(
    "with pages of %i, returns every one of 120 rows exactly once, in order, even where times are equal",
    (pageSize) => {
      const rows = insert120();
      const pages = allPages(pageSize);
      expect(pages.flat()).toEqual(newestFirst(rows));
      expect(pages.length).toBe(Math.max(1, Math.ceil(120 / pageSize)));
      for (const page of pages.slice(0, -1)) expect(page).toHaveLength(pageSize);
    },
  );

  it("uses pages of QUEUE_PAGE_SIZE by default", () => {
    insert120();
    expect(allPages().map((p) => p.length)).toEqual([50, 50, 20]);
    expect(QUEUE_PAGE_SIZE).toBe(50);
  });

  it("is not disturbed by a request arriving between pages", () => {
    const rows = insert120();
    const first = listQueue(t.db, { now, timeZone: "UTC" });
    insert(999, new Date(BASE + 100 * 60_000));
    const second = listQueue(t.db, { after: decodeCursor(first.nextCursor ?? undefined), now, timeZone: "UTC" });
    expect([...first.rows, ...second.rows].map((r) => r.reference)).toEqual(newestFirst(rows).slice(0, 100));
  });

  it("shows the deadline of open requests only", () => {
    insert(1, new Date("2026-05-01T09:00:00Z"), "in_review", "2026-06-01");
    insert(2, new Date("2026-05-01T10:00:00Z"), "completed", "2026-06-01");
    const { rows } = listQueue(t.db, { now, timeZone: "UTC" });
    expect(rows.map((r) => [r.reference, r.deadline])).toEqual([
      ["RD-0002-TEST", null],
      ["RD-0001-TEST", { dueOn: "2026-06-01", daysLeft: 2, state: "due_soon" }],
    ]);
    expect(rows[1]).toMatchObject({ statusLabel: "in review", typeLabel: "Correct my data", email: "person1@example.org" });
  });
});

describe("cursors", () => {
  it.each([
    [{ receivedAt: 1_777_626_000_000, id: 42 }],
    [{ receivedAt: 0, id: 1 }],
  ])("round-trip %j", (cursor) => {
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    undefined,
    "",
    "abc",
    "1.2.3",
    "-1.2",
    "1.-2",
    "1e5.2",
    "1.",
    ".1",
    "1",
    " 1.2",
    "1.2 ",
    "0x1.2",
    "1,2",
    "1.5e1",
    "1234567890123456.1",
    "1.1234567890123456",
    "1777626000000.42; DROP TABLE requests",
  ])("decodeCursor rejects %j", (value) => {
    expect(decodeCursor(value)).toBeNull();
  });
});
