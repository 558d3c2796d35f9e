import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requests, type RequestStatus } from "@/db/schema";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { calendarDateIn } from "@/lib/calendar/dates";
import { buildMonthlyReport, reportMonthsFrom, type MonthFigures } from "./monthly-report";

const DAY = 86_400_000;

type Seed = {
  receivedAt: string;
  /** Defaults to the day of receivedAt in the time zone being tested. */
  receivedOn?: string;
  status?: RequestStatus;
  /** Time to close, in days, counted from receivedAt. */
  closedAfterDays?: number;
  closedAt?: string;
  dueOn?: string;
  clockStoppedOn?: string;
};

describe("buildMonthlyReport", () => {
  let t: TempDatabase;
  let counter = 0;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  function seed(rows: Seed[], timeZone = "UTC") {
    for (const row of rows) {
      const receivedAt = new Date(row.receivedAt);
      const closedAt =
        row.closedAt !== undefined
          ? new Date(row.closedAt)
          : row.closedAfterDays !== undefined
            ? new Date(receivedAt.getTime() + row.closedAfterDays * DAY)
            : null;
      counter++;
      t.db
        .insert(requests)
        .values({
          reference: `RD-${String(counter).padStart(4, "0")}-TEST`,
          type: "access",
          status: row.status ?? (closedAt ? "completed" : "received"),
          subjectEmail: `person${counter}@example.org`,
          details: {},
          regime: "gdpr",
          receivedAt,
          receivedOn: row.receivedOn ?? calendarDateIn(receivedAt, timeZone),
          dueOn: row.dueOn ?? "2099-01-01",
          clockStoppedOn: row.clockStoppedOn ?? null,
          closedAt,
          updatedAt: receivedAt,
        })
        .run();
    }
  }

  /** The months that are not all zeros, as [month, received, completed, denied, median, overdue]. */
  function busyMonths(figures: MonthFigures[]) {
    return figures
      .filter((m) => m.received || m.completed || m.denied || m.overdueNow || m.medianDaysToClose !== null)
      .map((m) => [m.month, m.received, m.completed, m.denied, m.medianDaysToClose, m.overdueNow]);
  }

  const now = new Date("2026-05-20T12:00:00Z");

  it("counts a year of requests by month, with medians and what is overdue now", () => {
    seed([
      // Received, by month of receipt; one before the twelve months shown.
      { receivedAt: "2025-05-31T23:59:00Z" },
      { receivedAt: "2025-06-01T00:00:00Z" },
      { receivedAt: "2026-03-01T08:00:00Z", closedAfterDays: 10 },
      { receivedAt: "2026-03-05T08:00:00Z", closedAfterDays: 20, status: "completed" },
      { receivedAt: "2026-03-09T08:00:00Z", closedAfterDays: 3, status: "denied" },
      // April: two closings, an even count: the median is halfway between 10 and 13 days.
      { receivedAt: "2026-04-02T08:00:00Z", closedAfterDays: 10 },
      { receivedAt: "2026-04-03T08:00:00Z", closedAfterDays: 13 },
      // Canceled requests are closed too, but neither completed nor refused.
      { receivedAt: "2026-04-04T08:00:00Z", closedAfterDays: 1, status: "canceled" },
      // Recorded a week after the letter arrived: it counts on the day it arrived.
      { receivedAt: "2025-07-08T09:00:00Z", receivedOn: "2025-06-30" },
      // Received long ago, closed in May 2026: counts in May's closings, not in any month's received.
      { receivedAt: "2025-04-10T00:00:00Z", closedAt: "2026-05-02T00:00:00Z", status: "denied" },
      // Open: past due in May and in April; past due before the window; stopped clock; due today; closed late.
      { receivedAt: "2026-04-10T08:00:00Z", status: "in_review", dueOn: "2026-05-10" },
      { receivedAt: "2026-03-30T08:00:00Z", status: "received", dueOn: "2026-04-30" },
      { receivedAt: "2025-02-01T08:00:00Z", receivedOn: "2025-02-01", status: "approved", dueOn: "2025-03-01" },
      { receivedAt: "2026-04-01T08:00:00Z", status: "awaiting_supporter", dueOn: "2026-05-01", clockStoppedOn: "2026-04-20" },
      { receivedAt: "2026-04-20T08:00:00Z", status: "received", dueOn: "2026-05-20" },
      { receivedAt: "2026-02-01T08:00:00Z", closedAt: "2026-05-19T08:00:00Z", status: "completed", dueOn: "2026-03-01" },
    ]);

    const report = buildMonthlyReport(t.db, { now, timeZone: "UTC" });
    expect(report.months.map((m) => m.month)).toEqual([
      "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11",
      "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05",
    ]);
    expect(busyMonths(report.months)).toEqual([
      ["2025-06", 2, 0, 0, null, 0],
      ["2026-02", 1, 0, 0, null, 0],
      ["2026-03", 4, 2, 1, 10, 0],
      ["2026-04", 6, 2, 0, 11.5, 1],
      ["2026-05", 0, 1, 1, 247, 1],
    ]);
    expect(report).toMatchObject({
      timeZone: "UTC",
      today: "2026-05-20",
      first: "2025-06",
      last: "2026-05",
      totals: { received: 13, completed: 5, denied: 2 },
      overdueNow: 3,
      overdueDueEarlier: 1,
    });
    expect(report.months[11]).toMatchObject({ label: "May 2026", shortLabel: "May" });
  });

  it.each([
    ["one closing", [5], 5],
    ["two closings: halfway between them", [2, 9], 5.5],
    ["three closings: the middle one", [30, 1, 4], 4],
    ["four closings, given out of order", [8, 1, 40, 3], 5.5],
    ["equal times", [7, 7, 7, 7], 7],
    ["hours, to a tenth of a day", [36 / 24, 60 / 24], 2],
    ["a closing on the day it arrived", [0], 0],
    ["six hours", [0.25], 0.3],
  ])("median days to close with %s", (_label, days, median) => {
    // All closed at the same moment in May, so only the time each took differs.
    const closedAt = Date.parse("2026-05-15T12:00:00Z");
    seed(days.map((d) => ({ receivedAt: new Date(closedAt - d * DAY).toISOString(), closedAt: new Date(closedAt).toISOString() })));
    const may = buildMonthlyReport(t.db, { now, timeZone: "UTC" }).months.find((m) => m.month === "2026-05");
    expect(may).toMatchObject({ completed: days.length, denied: 0, medianDaysToClose: median });
  });

  it("leaves a month with no closings at zero, with no median rather than zero days", () => {
    seed([{ receivedAt: "2026-05-02T08:00:00Z" }, { receivedAt: "2026-03-02T08:00:00Z", closedAfterDays: 4 }]);
    const report = buildMonthlyReport(t.db, { now, timeZone: "UTC" });
    const may = report.months.find((m) => m.month === "2026-05");
    expect(may).toMatchObject({ received: 1, completed: 0, denied: 0, medianDaysToClose: null });
    expect(report.months.find((m) => m.month === "2026-03")).toMatchObject({ completed: 1, medianDaysToClose: 4 });
    expect(report.months.filter((m) => m.medianDaysToClose !== null)).toHaveLength(1);
  });

  it("gives twelve months of zeros for an empty database", () => {
    const report = buildMonthlyReport(t.db, { now, timeZone: "UTC" });
    expect(report.months).toHaveLength(12);
    expect(busyMonths(report.months)).toEqual([]);
    expect(report).toMatchObject({ totals: { received: 0, completed: 0, denied: 0 }, overdueNow: 0, overdueDueEarlier: 0 });
  });

  it.each([3, 6, 24])("shows %i months when asked", (months) => {
    seed([{ receivedAt: "2024-06-15T08:00:00Z" }, { receivedAt: "2026-02-15T08:00:00Z" }]);
    const report = buildMonthlyReport(t.db, { now, timeZone: "UTC", months });
    expect(report.months).toHaveLength(months);
    expect(report.last).toBe("2026-05");
    expect(report.totals.received).toBe({ 3: 0, 6: 1, 24: 2 }[months]);
  });

  describe("counts by month in the organisation's time zone", () => {
    it.each([
      // London in summer is UTC+1: 23:30 UTC on 31 March is already 1 April there.
      ["Europe/London", "2026-03-31T23:30:00Z", "2026-04"],
      ["Europe/London", "2026-03-31T22:59:59Z", "2026-03"],
      ["UTC", "2026-03-31T23:30:00Z", "2026-03"],
      // Auckland is UTC+13 until April: 11:00 UTC on 31 March is midnight on 1 April.
      ["Pacific/Auckland", "2026-03-31T11:00:00Z", "2026-04"],
      ["Pacific/Auckland", "2026-03-31T10:59:59Z", "2026-03"],
      // New York is behind UTC: 03:00 UTC on 1 May is still 30 April there.
      ["America/New_York", "2026-05-01T03:00:00Z", "2026-04"],
      ["America/New_York", "2026-05-01T04:00:00Z", "2026-05"],
    ])("in %s, a request received and closed at %s falls in %s", (timeZone, at, month) => {
      seed([{ receivedAt: at, closedAt: at, status: "denied" }], timeZone);
      const busy = busyMonths(buildMonthlyReport(t.db, { now, timeZone }).months);
      expect(busy).toEqual([[month, 1, 0, 1, 0, 0]]);
    });

    it("takes today in the time zone when deciding what is overdue", () => {
      seed([{ receivedAt: "2026-04-18T08:00:00Z", status: "in_review", dueOn: "2026-05-19" }]);
      // 23:30 UTC on 19 May is 20 May in Auckland (overdue) but still 19 May in UTC (due today).
      const lateEvening = new Date("2026-05-19T23:30:00Z");
      expect(buildMonthlyReport(t.db, { now: lateEvening, timeZone: "UTC" }).overdueNow).toBe(0);
      expect(buildMonthlyReport(t.db, { now: lateEvening, timeZone: "Pacific/Auckland" }).overdueNow).toBe(1);
    });

    it("starts the twelve months from this month in the time zone", () => {
      const newYearsEve = new Date("2026-12-31T20:00:00Z");
      expect(buildMonthlyReport(t.db, { now: newYearsEve, timeZone: "UTC" }).last).toBe("2026-12");
      expect(buildMonthlyReport(t.db, { now: newYearsEve, timeZone: "Asia/Tokyo" })).toMatchObject({ first: "2026-02", last: "2027-01" });
    });
  });
});

describe("reportMonthsFrom", () => {
  it.each([
    [undefined, 12],
    ["", 12],
    ["12", 12],
    ["3", 3],
    ["6", 6],
    ["24", 24],
    ["5", 12],
    ["36", 12],
    ["0", 12],
    ["-6", 12],
    ["6.0", 12],
    [" 6", 12],
    ["006", 12],
    ["1e1", 12],
  ])("%j gives %i", (value, months) => {
    expect(reportMonthsFrom(value)).toBe(months);
  });
});
