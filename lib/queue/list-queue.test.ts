import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requests, REQUEST_STATUSES, REQUEST_TYPES, type RequestStatus, type RequestType } from "@/db/schema";
import { inRawTransaction } from "@/db/transaction";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { addDays } from "@/lib/calendar/dates";
import { deadlineOf } from "@/lib/calendar/deadlines";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { countByStatus } from "./count-by-status";
import { listQueue, prefixEnd, QUEUE_PAGE_SIZE, type QueueFilters } from "./list-queue";
import { decodeCursor, encodeCursor, parseQueueSearch, type QueueCursor } from "./queue-query";

const BASE = Date.parse("2026-05-01T09:00:00Z");
const now = new Date("2026-05-30T12:00:00Z");
const TODAY = "2026-05-30";
const ME = "me@example.org";

const NO_FILTERS: QueueFilters = { status: null, type: null, deadline: null, assigned: null, search: null, sort: "received", after: null };

type Row = {
  reference: string;
  type?: RequestType;
  status?: RequestStatus;
  email?: string;
  receivedAt?: Date;
  receivedOn?: string;
  dueOn?: string;
  clockStoppedOn?: string | null;
  assigneeEmail?: string | null;
};

describe("listQueue", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  function insertRow(row: Row) {
    const receivedAt = row.receivedAt ?? new Date(BASE);
    return t.db
      .insert(requests)
      .values({
        reference: row.reference,
        type: row.type ?? "access",
        status: row.status ?? "received",
        subjectEmail: row.email ?? "someone@example.org",
        details: {},
        regime: "gdpr",
        receivedAt,
        receivedOn: row.receivedOn ?? receivedAt.toISOString().slice(0, 10),
        dueOn: row.dueOn ?? "2026-06-01",
        clockStoppedOn: row.clockStoppedOn ?? null,
        assigneeEmail: row.assigneeEmail ?? null,
        updatedAt: receivedAt,
      })
      .returning({ id: requests.id, reference: requests.reference, receivedAt: requests.receivedAt, dueOn: requests.dueOn })
      .get();
  }

  function insert(index: number, receivedAt: Date, status: RequestStatus = "received", dueOn = "2026-06-01") {
    return insertRow({
      reference: `RD-${String(index).padStart(4, "0")}-TEST`,
      type: REQUEST_TYPES[index % REQUEST_TYPES.length]!,
      status,
      email: `person${index}@example.org`,
      receivedAt,
      dueOn,
    });
  }

  function list(query: Partial<QueueFilters> = {}, pageSize?: number) {
    return listQueue(t.db, { query: { ...NO_FILTERS, ...query }, viewerEmail: ME, now, timeZone: "UTC", pageSize });
  }

  function references(query: Partial<QueueFilters> = {}): string[] {
    return list(query, 10_000).rows.map((r) => r.reference);
  }

  /** 120 rows, inserted out of order, sharing 40 received times and 10 due dates. */
  function insert120() {
    return Array.from({ length: 120 }, (_, i) =>
      insert(
        i,
        new Date(BASE + ((i * 37) % 40) * 60_000),
        REQUEST_STATUSES[i % REQUEST_STATUSES.length],
        addDays("2026-06-01", (i * 7) % 10),
      ),
    );
  }

  type Inserted = ReturnType<typeof insert>;
  const newestFirst = (rows: Inserted[]) =>
    [...rows].sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || b.id - a.id).map((r) => r.reference);
  const soonestDueFirst = (rows: Inserted[]) =>
    [...rows].sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.id - b.id).map((r) => r.reference);

  function allPages(query: Partial<QueueFilters>, pageSize?: number): string[][] {
    const pages: string[][] = [];
    let after: QueueCursor | null = null;
    for (let guard = 0; guard < 1000; guard++) {
      const page = list({ ...query, after }, pageSize);
      pages.push(page.rows.map((r) => r.reference));
      if (!page.next) return pages;
      // Through the URL and back, as the page does it.
      after = decodeCursor(encodeCursor(page.next), query.sort ?? "received");
      expect(after).not.toBeNull();
    }
    throw new Error("pagination did not end");
  }

  it("lists newest first by default", () => {
    insert(1, new Date(BASE));
    insert(2, new Date(BASE + 2000));
    insert(3, new Date(BASE + 1000));
    expect(list()).toMatchObject({
      rows: [{ reference: "RD-0002-TEST" }, { reference: "RD-0003-TEST" }, { reference: "RD-0001-TEST" }],
      next: null,
    });
  });

  it("the duplicates filter is a page of its own shape: after the unfiltered page on the same connection, it lists only flagged requests, each marked", () => {
    const plain = insert(1, new Date(BASE));
    const flaggedRow = insert(2, new Date(BASE + 1000));
    t.db.update(requests).set({ possibleDuplicate: true }).where(eq(requests.id, flaggedRow.id)).run();
    // The unfiltered page first: its statement is prepared and kept for its shape.
    expect(list().rows.map((r) => [r.reference, r.possibleDuplicate])).toEqual([
      [flaggedRow.reference, true],
      [plain.reference, false],
    ]);
    expect(list({ duplicates: "flagged" }).rows.map((r) => r.reference)).toEqual([flaggedRow.reference]);
    expect(list({ duplicates: "flagged", sort: "due" }).rows.map((r) => r.reference)).toEqual([flaggedRow.reference]);
  });

  it("sorts by due date, soonest first, ties in the order they arrived", () => {
    insert(1, new Date(BASE), "received", "2026-06-03");
    insert(2, new Date(BASE + 1000), "received", "2026-06-01");
    insert(3, new Date(BASE + 2000), "completed", "2026-06-02");
    insert(4, new Date(BASE + 3000), "received", "2026-06-01");
    expect(references({ sort: "due" })).toEqual(["RD-0002-TEST", "RD-0004-TEST", "RD-0003-TEST", "RD-0001-TEST"]);
  });

  describe.each([
    ["newest first", { sort: "received" } as const, newestFirst],
    ["soonest due first", { sort: "due" } as const, soonestDueFirst],
  ])("keyset pages, %s", (_name, query, expected) => {
    it.each([QUEUE_PAGE_SIZE, 7, 3, 1, 120, 200])(
      "with pages of %i, returns every one of 120 rows exactly once, in order, even where sort keys are equal",
      (pageSize) => {
        const rows = insert120();
        const pages = allPages(query, pageSize);
        expect(pages.flat()).toEqual(expected(rows));
        expect(pages.length).toBe(Math.max(1, Math.ceil(120 / pageSize)));
        for (const page of pages.slice(0, -1)) expect(page).toHaveLength(pageSize);
      },
    );

    it("pages through a filtered list the same way", () => {
      const rows = insert120();
      const open = rows.filter((_, i) => REQUEST_STATUSES[i % REQUEST_STATUSES.length] === "in_review");
      const pages = allPages({ ...query, status: "in_review" }, 4);
      expect(pages.flat()).toEqual(expected(open));
      expect(new Set(pages.flat()).size).toBe(open.length);
    });
  });

  it("uses pages of QUEUE_PAGE_SIZE by default", () => {
    insert120();
    expect(allPages({}).map((p) => p.length)).toEqual([50, 50, 20]);
    expect(QUEUE_PAGE_SIZE).toBe(50);
  });

  it("is not disturbed by a request arriving between pages", () => {
    const rows = insert120();
    const first = list();
    insert(999, new Date(BASE + 100 * 60_000));
    const second = list({ after: first.next });
    expect([...first.rows, ...second.rows].map((r) => r.reference)).toEqual(newestFirst(rows).slice(0, 100));
  });

  it("ignores a cursor made for the other sort rather than skipping rows", () => {
    const rows = insert120();
    const cursor: QueueCursor = { sort: "received", receivedAt: BASE + 20 * 60_000, id: 1 };
    expect(list({ sort: "due", after: cursor }, 200).rows.map((r) => r.reference)).toEqual(soonestDueFirst(rows));
  });

  it("shows the deadline of open requests only, and the assignee", () => {
    insertRow({ reference: "RD-0001-TEST", type: "correction", status: "in_review", email: "person1@example.org", receivedAt: new Date("2026-05-01T09:00:00Z"), assigneeEmail: ME });
    insertRow({ reference: "RD-0002-TEST", status: "completed", receivedAt: new Date("2026-05-01T10:00:00Z") });
    const { rows } = list();
    expect(rows.map((r) => [r.reference, r.deadline, r.assigneeEmail])).toEqual([
      ["RD-0002-TEST", null, null],
      ["RD-0001-TEST", { dueOn: "2026-06-01", daysLeft: 2, state: "due_soon" }, ME],
    ]);
    expect(rows[1]).toMatchObject({ statusLabel: "in review", typeLabel: "Correct my data", email: "person1@example.org" });
  });

  describe("filters", () => {
    // Today is 2026-05-30. Each row is built to fall in or out of one filter.
    const FIXTURE: Row[] = [
      { reference: "RD-000A-TEST", status: "received", type: "access", email: "ada@example.org", receivedOn: "2026-05-01", dueOn: "2026-06-01" }, // due soon: 2 of 31 days left
      { reference: "RD-000B-TEST", status: "in_review", type: "correction", email: "bob@example.org", receivedOn: "2026-05-20", dueOn: "2026-06-20", assigneeEmail: ME }, // on track
      { reference: "RD-000C-TEST", status: "awaiting_supporter", type: "erasure", email: "cy@example.org", receivedOn: "2026-04-01", dueOn: "2026-05-01", clockStoppedOn: "2026-04-25" }, // paused, past due date
      { reference: "RD-000D-TEST", status: "approved", type: "concern", email: "dee@example.org", receivedOn: "2026-04-20", dueOn: "2026-05-20", assigneeEmail: "other@example.org" }, // overdue
      { reference: "RD-000E-TEST", status: "completed", type: "access", email: "ada@example.org", receivedOn: "2026-03-01", dueOn: "2026-04-01", assigneeEmail: ME }, // closed, past due
      { reference: "RD-000F-TEST", status: "received", type: "unsubscribe", email: "adam@example.org", receivedOn: "2026-05-29", dueOn: "2026-06-29" }, // on track
      { reference: "RD-000G-TEST", status: "denied", type: "erasure", email: "gus@example.com", receivedOn: "2026-05-25", dueOn: "2026-06-01" }, // closed, would be due soon
      { reference: "RD-000H-TEST", status: "in_review", type: "access", email: "hal@example.org", receivedOn: "2026-04-30", dueOn: "2026-05-30", assigneeEmail: ME }, // due today: due soon
      { reference: "RD-000J-TEST", status: "received", type: "concern", email: "jo@example.org", receivedOn: "2026-04-29", dueOn: "2026-05-29" }, // a day overdue
      { reference: "RD-000K-TEST", status: "canceled", type: "correction", email: "Kim@Example.org".toLowerCase(), receivedOn: "2026-05-10", dueOn: "2026-06-10" },
      { reference: "RD-000M-TEST", status: "in_review", type: "access", email: "ada@example.org.uk", receivedOn: "2026-05-08", dueOn: "2026-06-08" }, // 9 of 31 days left: on track
      { reference: "RD-000N-TEST", status: "in_review", type: "access", email: "adb@example.org", receivedOn: "2026-05-06", dueOn: "2026-06-06" }, // 7 of 31 days left: due soon
    ];

    beforeEach(() => {
      // Received in the order listed, an hour apart.
      FIXTURE.forEach((row, i) => insertRow({ ...row, receivedAt: new Date(BASE + i * 3_600_000) }));
    });

    const refs = (...letters: string[]) => letters.map((l) => `RD-000${l}-TEST`);
    const newest = (...letters: string[]) => refs(...letters).sort((a, b) => FIXTURE.findIndex((r) => r.reference === b) - FIXTURE.findIndex((r) => r.reference === a));

    it.each<[string, Partial<QueueFilters>, string[]]>([
      ["no filter", {}, newest("A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "M", "N")],
      ["status received", { status: "received" }, newest("A", "F", "J")],
      ["status in review", { status: "in_review" }, newest("B", "H", "M", "N")],
      ["status completed", { status: "completed" }, newest("E")],
      ["type access", { type: "access" }, newest("A", "E", "H", "M", "N")],
      ["type erasure", { type: "erasure" }, newest("C", "G")],
      ["overdue", { deadline: "overdue" }, newest("D", "J")],
      ["due soon", { deadline: "due_soon" }, newest("A", "H", "N")],
      ["assigned to me", { assigned: "me" }, newest("B", "E", "H")],
      ["unassigned", { assigned: "none" }, newest("A", "C", "F", "G", "J", "K", "M", "N")],
      ["status and type", { status: "in_review", type: "access" }, newest("H", "M", "N")],
      ["due soon and assigned to me", { deadline: "due_soon", assigned: "me" }, newest("H")],
      ["overdue and unassigned", { deadline: "overdue", assigned: "none" }, newest("J")],
      ["a closed status and overdue", { status: "completed", deadline: "overdue" }, []],
      ["overdue, soonest due first", { deadline: "overdue", sort: "due" }, refs("D", "J")],
      ["due soon, soonest due first", { deadline: "due_soon", sort: "due" }, refs("H", "A", "N")],
    ])("%s", (_name, query, expected) => {
      expect(references(query)).toEqual(expected);
    });

    it.each<[string, string, string[]]>([
      ["a reference as shown", "RD-000B-TEST", refs("B")],
      ["a reference in lower case", "rd-000b-test", refs("B")],
      ["a reference without dashes", "rd000btest", refs("B")],
      ["a reference without RD", "000b-test", refs("B")],
      ["a reference with spaces", " RD 000B TEST ", refs("B")],
      ["an unknown reference", "RD-ZZZZ-TEST", []],
      ["a whole address, in any case", "  ADA@Example.ORG ", newest("A", "E")],
      ["the start of an address", "ada@", newest("A", "E", "M")],
      ["a shorter start", "ad", newest("A", "E", "F", "M", "N")],
      ["an address nobody used", "zed@example.org", []],
      ["text inside addresses but not at their start", "example", []],
      ["a domain", "@example.org", []],
    ])("search: %s", (_name, text, expected) => {
      expect(references({ search: parseQueueSearch(text) })).toEqual(expected);
    });

    it("search combines with the other filters", () => {
      expect(references({ search: parseQueueSearch("ada@example.org"), status: "completed" })).toEqual(refs("E"));
      expect(references({ search: parseQueueSearch("ad"), deadline: "due_soon" })).toEqual(newest("A", "N"));
    });

    it("counts every request by status, in workflow order", () => {
      expect(countByStatus(t.db)).toEqual({
        total: 12,
        byStatus: [
          { status: "received", label: "received", count: 3 },
          { status: "in_review", label: "in review", count: 4 },
          { status: "awaiting_supporter", label: "waiting for the supporter", count: 1 },
          { status: "approved", label: "approved", count: 1 },
          { status: "completed", label: "completed", count: 1 },
          { status: "denied", label: "refused", count: 1 },
          { status: "canceled", label: "cancelled", count: 1 },
        ],
      });
    });
  });

  it("counts zero for every status of an empty queue", () => {
    const counts = countByStatus(t.db);
    expect(counts.total).toBe(0);
    expect(counts.byStatus.map((c) => c.count)).toEqual(REQUEST_STATUSES.map(() => 0));
  });

  it("the deadline filters agree with deadlineOf for every mix of dates, periods, statuses and stopped clocks", () => {
    const expected = { overdue: [] as string[], due_soon: [] as string[] };
    let n = 0;
    inRawTransaction(t.db.$client, () => {
      // Every day near the due date, so the quarter-period boundary is hit exactly (4 and 1, 8 and 2, 28 and 7).
      const offsets = [-60, -31, -30, ...Array.from({ length: 56 }, (_, i) => i - 10), 60, 90, 140];
      for (const period of [1, 2, 4, 7, 8, 10, 28, 30, 31, 45, 90, 135]) {
        for (const offset of offsets) {
          for (const status of ["received", "approved", "completed"] as const) {
            for (const stopped of [false, true]) {
              const dueOn = addDays(TODAY, offset);
              const receivedOn = addDays(dueOn, -period);
              const clockStoppedOn = stopped ? addDays(receivedOn, 1) : null;
              const reference = `R${n++}`;
              insertRow({ reference, status, receivedOn, dueOn, clockStoppedOn, receivedAt: new Date(BASE + n) });
              if (!isOpen(status)) continue;
              const state = deadlineOf(receivedOn, dueOn, TODAY, clockStoppedOn).state;
              if (state === "overdue" || state === "due_soon") expected[state].push(reference);
            }
          }
        }
      }
    });
    const sorted = (list: string[]) => [...list].sort();
    expect(expected.overdue.length).toBeGreaterThan(50);
    expect(expected.due_soon.length).toBeGreaterThan(50);
    expect(sorted(references({ deadline: "overdue" }))).toEqual(sorted(expected.overdue));
    expect(sorted(references({ deadline: "due_soon" }))).toEqual(sorted(expected.due_soon));
  });

  it("today is the calendar day in the organisation's time zone", () => {
    insertRow({ reference: "RD-0001-TEST", receivedOn: "2026-04-29", dueOn: "2026-05-29" });
    const lateEvening = new Date("2026-05-29T23:30:00Z");
    const run = (timeZone: string) =>
      listQueue(t.db, { query: { ...NO_FILTERS, deadline: "overdue" }, viewerEmail: ME, now: lateEvening, timeZone }).rows.length;
    // At 23:30 UTC on the 29th it is already the 30th in London, on summer time.
    expect(run("UTC")).toBe(0);
    expect(run("Europe/London")).toBe(1);
  });
});

describe("prefixEnd", () => {
  it.each<[string, string | null]>([
    ["ada", "adb"],
    ["ad@", "adA"],
    ["a\u{10ffff}", "b"],
    ["\u{10ffff}", null],
    ["a\ud7ff", "a\ue000"],
  ])("%j → %j", (prefix, expected) => {
    expect(prefixEnd(prefix)).toBe(expected);
  });
});
