/**
 * The reports' tables against the figures counted from `requests` itself
 * (`countFromRequests`, the scan the page used before and still uses for a
 * table counted in another time zone): after every write, by every path
 * that files, closes, merges or changes a request, in changing time zones.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestDuplicates, requests, reportMonths, type RequestStatus } from "@/db/schema";
import { calendarDateIn } from "@/lib/calendar/dates";
import { createBulkJob, processBulkWork } from "@/lib/queue/bulk-actions";
import { applyRetention } from "@/lib/record/retention";
import { answerConcern, cancelRequestByStaff, denyRequest } from "@/lib/requests/casework/close-request";
import { mergeDuplicate } from "@/lib/requests/casework/duplicate-decision";
import { recordRequest } from "@/lib/requests/casework/record-request";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import type { PortalContext } from "@/lib/settings/portal-context";
import { addStaffMember } from "@/lib/staff/staff-members";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countingConnection } from "@/lib/testing/statement-counter";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";
import { buildMonthlyReport, countFromRequests, countFromTables, OVERDUE_SQL, scanMonthlyReport } from "./monthly-report";
import { alignReportTables, REPORT_BACKFILL, REPORT_TRIGGERS, reportTablesZone, UTC_SPANS_SQL } from "./report-tables";

const DAY = 86_400_000;
const MINUTE = 60_000;
const LEAD = "lead@example.org";
const STAFF: RequestActor = { type: "staff", email: LEAD, role: "admin" };

let t: TempDatabase;
beforeEach(() => {
  t = openTempDatabase();
});
afterEach(() => t.close());

/**
 * The tables give the scan's figures for every month from `months` before
 * `now` to its month: counts exactly, the median to within the minute it
 * is read from. Also over all time: every request is counted once.
 */
function expectTablesMatchScan(now: Date, timeZone: string, months = 60) {
  expect(reportTablesZone(t.db)).toBe(timeZone);
  const fromTables = countFromTables(t.db, { now, timeZone, months });
  const fromRequests = countFromRequests(t.db, { now, timeZone, months });
  for (const [month, scanned] of fromRequests) {
    const kept = fromTables.get(month)!;
    expect({ month, ...kept, medianMs: null }).toEqual({ month, ...scanned, medianMs: null });
    if (scanned.medianMs === null) expect(kept.medianMs).toBeNull();
    else expect(Math.abs(kept.medianMs! - scanned.medianMs), `median of ${month}`).toBeLessThan(MINUTE);
  }
  const sums = t.db.$client.prepare("select sum(received) as r, sum(completed) as c, sum(denied) as d from report_months").get() as Record<string, number | null>;
  const counted = t.db.$client
    .prepare("select count(*) as r, sum(status = 'completed' and closed_at is not null) as c, sum(status = 'denied' and closed_at is not null) as d from requests")
    .get() as Record<string, number | null>;
  expect([sums.r ?? 0, sums.c ?? 0, sums.d ?? 0]).toEqual([counted.r ?? 0, counted.c ?? 0, counted.d ?? 0]);
  const negative = t.db.$client.prepare("select count(*) from report_close_times where closings <= 0").pluck().get();
  expect(negative).toBe(0);
}

let counter = 0;
function insertRequest(row: { receivedAt: number; receivedOn?: string; status?: RequestStatus; closedAt?: number | null; timeZone?: string }): number {
  counter++;
  return t.db
    .insert(requests)
    .values({
      reference: `RD-T${String(counter).padStart(3, "0")}-TEST`,
      type: "concern",
      status: row.status ?? (row.closedAt ? "completed" : "received"),
      subjectEmail: `person${counter}@example.org`,
      details: {},
      regime: "gdpr",
      receivedAt: new Date(row.receivedAt),
      receivedOn: row.receivedOn ?? calendarDateIn(new Date(row.receivedAt), row.timeZone ?? "UTC"),
      dueOn: "2099-01-01",
      closedAt: row.closedAt ? new Date(row.closedAt) : null,
      updatedAt: new Date(row.receivedAt),
    })
    .returning({ id: requests.id })
    .get().id;
}

describe("the triggers, write by write", () => {
  const at = (iso: string) => Date.parse(iso);
  const now = new Date("2026-06-15T12:00:00Z");
  type Step = (id: number) => void;
  const set = (values: Partial<typeof requests.$inferInsert>): Step => (id) => {
    t.db.update(requests).set(values).where(eq(requests.id, id)).run();
  };

  it.each<[string, Step[]]>([
    ["closed as completed", [set({ status: "completed", closedAt: new Date(at("2026-05-10T08:00:00Z")) })]],
    ["closed as refused", [set({ status: "denied", closedAt: new Date(at("2026-05-10T08:00:00Z")) })]],
    ["cancelled: neither completed nor refused", [set({ status: "canceled", closedAt: new Date(at("2026-05-10T08:00:00Z")) })]],
    ["closed, then reopened (its closing time cleared)", [set({ status: "completed", closedAt: new Date(at("2026-05-10T08:00:00Z")) }), set({ status: "in_review", closedAt: null })]],
    ["closed, reopened, closed again a month later", [
      set({ status: "denied", closedAt: new Date(at("2026-04-10T08:00:00Z")) }),
      set({ status: "in_review", closedAt: null }),
      set({ status: "completed", closedAt: new Date(at("2026-05-12T08:00:00Z")) }),
    ]],
    ["reopened with its closing time kept", [set({ status: "completed", closedAt: new Date(at("2026-05-10T08:00:00Z")) }), set({ status: "approved" })]],
    ["completed turned into refused", [set({ status: "completed", closedAt: new Date(at("2026-05-10T08:00:00Z")) }), set({ status: "denied" })]],
    ["its closing time moved into another month", [set({ status: "completed", closedAt: new Date(at("2026-05-10T08:00:00Z")) }), set({ closedAt: new Date(at("2026-06-01T00:00:00Z")) })]],
    ["its receipt moved (the time taken changes)", [set({ status: "completed", closedAt: new Date(at("2026-05-10T08:00:00Z")) }), set({ receivedAt: new Date(at("2026-01-02T09:30:00Z")) })]],
    ["its day of receipt corrected into another month", [set({ receivedOn: "2026-02-27" })]],
    ["its day of receipt corrected within the month", [set({ receivedOn: "2026-03-02" })]],
    ["a change that moves no figure", [set({ status: "completed", closedAt: new Date(at("2026-05-10T08:00:00Z")) }), set({ assigneeEmail: "x@example.org", subjectName: null })]],
    ["closed before it was received (a clock set wrong): a negative time", [set({ status: "completed", closedAt: new Date(at("2026-03-01T07:59:30Z")) })]],
    ["closed at an instant with a fraction of a millisecond (a row written by hand)", [(id) => t.db.$client.prepare("update requests set status = 'completed', closed_at = ? where id = ?").run(at("2026-05-10T08:00:00Z") + 0.6, id)]],
    ["deleted when open", [(id) => t.db.delete(requests).where(eq(requests.id, id)).run()]],
    ["deleted when closed", [set({ status: "denied", closedAt: new Date(at("2026-05-10T08:00:00Z")) }), (id) => t.db.delete(requests).where(eq(requests.id, id)).run()]],
  ])("%s", (_what, steps) => {
    // Neighbours in the same months, so a wrong row would show.
    insertRequest({ receivedAt: at("2026-03-05T10:00:00Z"), closedAt: at("2026-05-20T10:00:00Z") });
    insertRequest({ receivedAt: at("2026-04-05T10:00:00Z"), status: "denied", closedAt: at("2026-06-02T10:00:00Z") });
    const id = insertRequest({ receivedAt: at("2026-03-01T08:00:00Z") });
    expectTablesMatchScan(now, "UTC");
    for (const step of steps) {
      step(id);
      expectTablesMatchScan(now, "UTC");
    }
  });
});

describe("the median from days, hours and minutes", () => {
  const closedAt = Date.parse("2026-05-15T12:00:00Z");
  const now = new Date("2026-05-20T12:00:00Z");
  it.each<[string, number[]]>([
    ["one closing", [5 * DAY]],
    ["two: halfway between", [2 * DAY, 9 * DAY + 17 * MINUTE + 3_000]],
    ["three out of order", [30 * DAY, 1 * DAY, 4 * DAY + 1]],
    ["in the same day, different hours", [3 * DAY + 2 * 3_600_000, 3 * DAY + 20 * 3_600_000, 3 * DAY + 7 * 3_600_000 + 5]],
    ["in the same hour, different minutes", [3 * DAY + 61 * MINUTE + 7, 3 * DAY + 62 * MINUTE + 999, 3 * DAY + 119 * MINUTE, 3 * DAY + 60 * MINUTE]],
    ["equal times", [7 * DAY, 7 * DAY, 7 * DAY, 7 * DAY]],
    ["closed the moment it arrived", [0]],
    ["six hours, on the rounding boundary", [6 * 3_600_000]],
    ["a hundred spread over a year", Array.from({ length: 100 }, (_, i) => ((i * 7919) % 365) * DAY + ((i * 104_729) % DAY))],
  ])("exact when each minute holds one closing: %s", (_what, took) => {
    for (const ms of took) insertRequest({ receivedAt: closedAt - ms, closedAt, status: "completed" });
    const kept = countFromTables(t.db, { now, timeZone: "UTC" }).get("2026-05")!;
    const scanned = countFromRequests(t.db, { now, timeZone: "UTC" }).get("2026-05")!;
    expect(kept).toEqual(scanned);
    expect(buildMonthlyReport(t.db, { now, timeZone: "UTC" })).toEqual(scanMonthlyReport(t.db, { now, timeZone: "UTC" }));
  });

  it("within the minute when one minute holds several different times: their mean", () => {
    for (const ms of [DAY + 10_000, DAY + 50_000, 3 * DAY]) insertRequest({ receivedAt: closedAt - ms, closedAt, status: "completed" });
    expect(countFromRequests(t.db, { now, timeZone: "UTC" }).get("2026-05")!.medianMs).toBe(DAY + 50_000);
    expect(countFromTables(t.db, { now, timeZone: "UTC" }).get("2026-05")!.medianMs).toBe(DAY + 30_000);
  });
});

describe("medians worked out before", () => {
  const now = new Date("2026-05-20T12:00:00Z");
  const closedAt = Date.parse("2026-04-15T12:00:00Z");

  it("are reused until a closing in their month changes or the tables are refilled, and the page then runs three statements", () => {
    for (const days of [1, 2, 3, 10]) insertRequest({ receivedAt: closedAt - days * DAY, closedAt });
    const counting = countingConnection(t.file);
    try {
      const report = () => counting.count((db) => buildMonthlyReport(db, { now, timeZone: "UTC" }));
      const first = report();
      expect(first.result.months.find((m) => m.month === "2026-04")?.medianDaysToClose).toBe(2.5);
      expect(first.statements.some((s) => s.includes("report_close_times"))).toBe(true);
      // Nothing changed: the zone, the months and what is overdue; no times read.
      const again = report();
      expect(again.result).toEqual(first.result);
      expect(again.statements).toHaveLength(3);
      // A closing moves in April, through another connection (the mail worker's, say): April's median is worked out again.
      t.db.update(requests).set({ receivedAt: new Date(closedAt - 30 * DAY) }).where(eq(requests.id, 1)).run();
      const moved = report();
      expect(moved.result.months.find((m) => m.month === "2026-04")?.medianDaysToClose).toBe(6.5);
      expect(moved.result).toEqual(scanMonthlyReport(t.db, { now, timeZone: "UTC" }));
      // A refill from the requests (the bench seed's, the migration's backfill) starts every counter again from nothing:
      // the rebuild's mark tells a median kept from before it, with the same counts, from one worked out after.
      const refill = () => REPORT_BACKFILL.forEach((statement) => t.db.$client.exec(statement));
      refill();
      expect(report().result.months.find((m) => m.month === "2026-04")?.medianDaysToClose).toBe(6.5);
      const trigger = t.db.$client.prepare("select sql from sqlite_master where name = 'report_closing_update'").pluck().get() as string;
      t.db.$client.exec("drop trigger report_closing_update");
      t.db.$client.prepare("update requests set received_at = ? where id = 1").run(closedAt - 4 * DAY);
      t.db.$client.exec(trigger);
      refill();
      expect(report().result.months.find((m) => m.month === "2026-04")?.medianDaysToClose).toBe(3.5);
      expect(report().result).toEqual(scanMonthlyReport(t.db, { now, timeZone: "UTC" }));
    } finally {
      counting.close();
    }
  });
});

describe("the time zone", () => {
  const now = new Date("2026-05-20T12:00:00Z");
  // 23:30 UTC on 31 March: April in London (UTC+1), March in UTC and New York.
  const edge = Date.parse("2026-03-31T23:30:00Z");

  it("rebuilds the closing months for a new zone, once, and keeps each month of receipt as recorded", () => {
    insertRequest({ receivedAt: edge - 5 * DAY, closedAt: edge, status: "denied" });
    insertRequest({ receivedAt: edge, receivedOn: "2026-03-31", closedAt: edge + 3 * DAY });
    expectTablesMatchScan(now, "UTC");
    expect(countFromTables(t.db, { now, timeZone: "UTC" }).get("2026-03")).toMatchObject({ received: 2, denied: 1 });
    expect(alignReportTables(t.db, "Europe/London")).toBe(true);
    expect(alignReportTables(t.db, "Europe/London")).toBe(false);
    expectTablesMatchScan(now, "Europe/London");
    expect(countFromTables(t.db, { now, timeZone: "Europe/London" }).get("2026-04")).toMatchObject({ received: 0, completed: 1, denied: 1 });
    expect(countFromTables(t.db, { now, timeZone: "Europe/London" }).get("2026-03")).toMatchObject({ received: 2, completed: 0, denied: 0 });
    // New closings after the change fall in the new zone's months.
    insertRequest({ receivedAt: edge - DAY, closedAt: edge, status: "completed" });
    expectTablesMatchScan(now, "Europe/London");
    expect(alignReportTables(t.db, "Asia/Kathmandu")).toBe(true);
    expectTablesMatchScan(now, "Asia/Kathmandu");
  });

  it("while the tables count in another zone, the page counts from the requests", () => {
    insertRequest({ receivedAt: edge - 5 * DAY, closedAt: edge, status: "denied" });
    // Figures the tables could not have: only a report that ignores them gives the right answer.
    t.db.update(reportMonths).set({ denied: 99 }).run();
    expect(buildMonthlyReport(t.db, { now, timeZone: "Europe/London" })).toEqual(scanMonthlyReport(t.db, { now, timeZone: "Europe/London" }));
    expect(buildMonthlyReport(t.db, { now, timeZone: "Europe/London" }).totals.denied).toBe(1);
    expect(buildMonthlyReport(t.db, { now, timeZone: "UTC" }).totals.denied).toBe(99);
    alignReportTables(t.db, "Europe/London");
    expect(buildMonthlyReport(t.db, { now, timeZone: "Europe/London" }).totals.denied).toBe(1);
  });
});

/** A small deterministic random source, so a failing mix can be run again. */
function randomSource(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

const ZONES = ["UTC", "Europe/London", "Pacific/Auckland", "America/New_York", "Asia/Kathmandu"] as const;
const ADDRESSES = ["ann", "bob", "cy", "dee", "ed", "flo"].map((n) => `${n}@example.org`);

describe("a random mix of every path that files, closes or merges", () => {
  it.each([1, 2, 3, 4])("seed %i: the tables equal the scan after every change", async (seed) => {
    const random = randomSource(seed);
    addStaffMember(t.db, { email: LEAD, role: "admin", now: new Date("2025-01-01T00:00:00Z") });
    let clock = Date.parse("2025-01-01T00:00:00Z") + random.int(DAY);
    let ctx: PortalContext = TEST_CONTEXT;
    const worked = new Set<string>();
    const submission = (): RequestSubmission => {
      const email = random.pick(ADDRESSES);
      return random.next() < 0.5
        ? { type: "concern", email, details: { type: "concern", message: "Why did I get this letter?" } }
        : { type: "erasure", email, details: { type: "erasure", confirmed: true } };
    };
    const inStatus = (statuses: RequestStatus[]) =>
      t.db.select().from(requests).where(and(inArray(requests.status, statuses), isNull(requests.mergedIntoId))).all();
    const now = () => new Date(clock);

    const operations: Array<[string, () => Promise<unknown> | unknown]> = [
      ["file", () => fileVerifiedRequest(t.db, { submission: submission(), now: now(), ctx })],
      [
        "record a letter that arrived days ago",
        () =>
          recordRequest(t.db, {
            submission: submission(),
            channel: "post",
            identityCheck: "Signed letter from the address we hold.",
            receivedOn: calendarDateIn(new Date(clock - (1 + random.int(60)) * DAY), ctx.timeZone),
            staffEmail: LEAD,
            now: now(),
            ctx,
          }),
      ],
      [
        "start review",
        () => {
          const r = random.pick(inStatus(["received"]).concat([]));
          return r && startReview(t.db, { reference: r.reference, actor: STAFF, expectedVersion: r.version, now: now() });
        },
      ],
      [
        "complete (answer a concern, approve an erasure)",
        () => {
          const r = random.pick(inStatus(["in_review"]));
          if (!r) return;
          return r.type === "concern"
            ? answerConcern(t.db, { reference: r.reference, actor: STAFF, expectedVersion: r.version, note: "Here is our answer.", now: now(), ctx })
            : approveRequest(t.db, { reference: r.reference, actor: STAFF, expectedVersion: r.version, now: now(), ctx, confirmedErasure: true });
        },
      ],
      [
        "refuse",
        () => {
          const r = random.pick(inStatus(["received", "in_review"]));
          return r && denyRequest(t.db, { reference: r.reference, actor: STAFF, expectedVersion: r.version, note: "Manifestly excessive.", now: now(), ctx });
        },
      ],
      [
        "cancel",
        () => {
          const r = random.pick(inStatus(["received", "in_review"]));
          return r && cancelRequestByStaff(t.db, { reference: r.reference, actor: STAFF, expectedVersion: r.version, note: "Asked by mistake.", now: now(), ctx });
        },
      ],
      [
        "merge a duplicate",
        () => {
          const pair = t.db.select().from(requestDuplicates).where(isNull(requestDuplicates.resolution)).all();
          const p = random.pick(pair);
          if (!p) return;
          const later = t.db.select().from(requests).where(eq(requests.id, p.requestId)).get()!;
          const earlier = t.db.select().from(requests).where(eq(requests.id, p.earlierId)).get()!;
          return mergeDuplicate(t.db, { reference: later.reference, expectedVersion: later.version, otherReference: earlier.reference, actor: STAFF, now: now(), ctx });
        },
      ],
      [
        "bulk: refuse or approve a few",
        async () => {
          const chosen = inStatus(["received", "in_review"]).filter(() => random.next() < 0.4).slice(0, 4);
          if (chosen.length === 0) return;
          const action = random.pick(["refuse", "approve", "start_review"] as const);
          const created = createBulkJob(t.db, {
            action,
            params: action === "refuse" ? { reason: "Manifestly excessive." } : { confirmedErasure: true },
            selection: { kind: "references", references: chosen.map((r) => r.reference) },
            by: LEAD,
            now: now(),
          });
          expect(created.ok).toBe(true);
          await processBulkWork(t.db, { ctx, now, budgetMs: 60_000, sliceMs: 1_000, pause: () => Promise.resolve() });
          return { ok: true };
        },
      ],
      [
        "change the organisation's time zone",
        () => {
          const zone = random.pick(ZONES);
          ctx = { ...ctx, timeZone: zone };
          alignReportTables(t.db, zone);
        },
      ],
      ["retention reduces old closed requests", () => applyRetention(t.db, { now: now(), months: 2, timeZone: ctx.timeZone })],
    ];

    for (let i = 0; i < 90; i++) {
      // Mostly filing and moving on; the rest now and then.
      const [name, run] = i < 8 ? operations[0]! : random.pick(operations);
      const result = (await run()) as { ok?: boolean } | undefined;
      if (result?.ok !== false && (result !== undefined || !/^(start|complete|refuse|cancel|merge|bulk)/.test(name))) worked.add(name);
      clock += random.int(3 * DAY) + random.int(DAY);
      expectTablesMatchScan(now(), ctx.timeZone);
    }
    // The mix did reach the paths it is about.
    const closed = t.db.$client.prepare("select status, count(*) as n from requests where closed_at is not null group by status").all() as Array<{ status: string; n: number }>;
    expect(closed.map((c) => c.status).sort()).toEqual(expect.arrayContaining(["completed", "denied"]));
    expect([...worked].sort()).toEqual(expect.arrayContaining(["file", "record a letter that arrived days ago", "complete (answer a concern, approve an erasure)", "refuse", "merge a duplicate", "bulk: refuse or approve a few", "change the organisation's time zone"]));
  });
});

describe("the migration and the reads", () => {
  it("the migration holds the backfill and the triggers written in report-tables.ts, word for word", () => {
    const file = fileURLToPath(new URL("../../db/migrations/0014_report_tables.sql", import.meta.url));
    const normal = (s: string) => s.replace(/\s+/g, " ").trim();
    const migration = normal(fs.readFileSync(file, "utf8"));
    for (const statement of [UTC_SPANS_SQL, ...REPORT_BACKFILL.slice(2), ...REPORT_TRIGGERS]) expect(migration).toContain(normal(statement));
    const triggers = t.db.$client.prepare("select name from sqlite_master where type = 'trigger' and name like 'report_%' order by name").pluck().all();
    expect(triggers).toHaveLength(REPORT_TRIGGERS.length);
  });

  it("the UTC months the migration writes are the ones the code computes", () => {
    const spans = t.db.$client.prepare("select month, starts_at as s, ends_at as e from report_month_spans order by month").all() as Array<{ month: string; s: number; e: number }>;
    expect(spans).toHaveLength(2760);
    expect(spans[0]).toEqual({ month: "1970-01", s: 0, e: Date.UTC(1970, 1, 1) });
    expect(spans.at(-1)).toEqual({ month: "2199-12", s: Date.UTC(2199, 11, 1), e: Date.UTC(2200, 0, 1) });
    expect(spans.every((span, i) => i === 0 || span.s === spans[i - 1]!.e)).toBe(true);
  });

  const plan = (text: string, ...params: unknown[]) =>
    (t.db.$client.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(" | ");

  it.each<[string, string, unknown[], RegExp]>([
    ["what is overdue now: the partial index of running requests alone", OVERDUE_SQL, ["2026-05-20"], /^SEARCH requests USING (COVERING )?INDEX requests_running_due_idx \(due_on<\?\)/],
    ["the months", "select month, received, completed, denied from report_months where month >= ? and month <= ?", ["2025-06", "2026-05"], /SEARCH report_months USING INDEX/],
    ["the days", "select month, step, closings, took_ms from report_close_times where unit = 'd' and month >= ? and month <= ? order by month, step", ["2025-06", "2026-05"], /SEARCH report_close_times USING INDEX sqlite_autoindex_report_close_times_1 \(unit=\? AND month>\? AND month<\?\)/],
    ["a closing's month", "select 1 from report_month_spans s where s.starts_at <= ? and s.ends_at > ? order by s.starts_at desc limit 1", [1, 1], /SEARCH s USING INDEX report_month_spans_starts_idx/],
  ])("%s", (_what, text, params, expected) => {
    const found = plan(text, ...params);
    expect(found).toMatch(expected);
    // Sorting for the overdue query's GROUP BY sorts only the running requests past due.
    expect(found).not.toMatch(/SCAN requests|TEMP B-TREE FOR ORDER BY/);
  });
});
