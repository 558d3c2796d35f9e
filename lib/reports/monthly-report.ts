/**
 * The figures on /staff/reports, per calendar month in the organisation's
 * time zone. They are read from the small tables that triggers keep in step
 * with `requests` (lib/reports/report-tables.ts), so the page costs the same
 * however long the history grows. `scanMonthlyReport` counts the same
 * figures from `requests` itself: the page uses it only while the tables
 * are counted in another time zone (until they are rebuilt at start), and
 * the tests hold the tables to it.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { calendarDateIn, type CalendarDate } from "@/lib/calendar/dates";
import { RUNNING_CLOCK_SQL } from "@/db/schema";
import { reportTablesState, TIME_UNITS } from "./report-tables";
import { addMonths, firstDayOf, monthName, monthOf, monthSpan, monthsEndingWith, shortMonthName, type MonthKey } from "@/lib/calendar/months";

export const REPORT_MONTH_CHOICES = [3, 6, 12, 24] as const;
export const DEFAULT_REPORT_MONTHS = 12;

/** How many months to show, from the page's `months` parameter; anything unexpected gets the default. */
export function reportMonthsFrom(value: string | undefined): number {
  if (value === undefined || !/^\d{1,2}$/.test(value)) return DEFAULT_REPORT_MONTHS;
  const n = Number(value);
  return (REPORT_MONTH_CHOICES as readonly number[]).includes(n) ? n : DEFAULT_REPORT_MONTHS;
}

export type MonthFigures = {
  month: MonthKey;
  /** "May 2026". */
  label: string;
  /** "May". */
  shortLabel: string;
  /** Requests whose legal clock started this month. */
  received: number;
  /** Requests closed this month as completed. */
  completed: number;
  /** Requests closed this month as refused. */
  denied: number;
  /** Median time from receipt to closing, over this month's completed and refused requests; null when none closed. */
  medianDaysToClose: number | null;
  /** Open requests, clock running, past their due date, that were due this month. */
  overdueNow: number;
};

export type MonthlyReport = {
  timeZone: string;
  today: CalendarDate;
  first: MonthKey;
  last: MonthKey;
  /** Oldest first, one entry for every month, with zeros where nothing happened. */
  months: MonthFigures[];
  totals: { received: number; completed: number; denied: number };
  /** Every open request past its due date with its clock running, whenever it was due. */
  overdueNow: number;
  /** Of those, the ones due before the first month shown (so not in any month's figure). */
  overdueDueEarlier: number;
};

const DAY_MS = 86_400_000;
const CLOSING_STATUSES = ["completed", "denied"] as const;

function inList(values: readonly string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

/** Days, to one decimal place. */
function toDays(ms: number): number {
  return Math.round((ms / DAY_MS) * 10) / 10;
}

/** A month's counts before they are shown: the median still in milliseconds. */
export type MonthCounts = { received: number; completed: number; denied: number; medianMs: number | null };

type Window = { months: MonthKey[]; first: MonthKey; last: MonthKey; today: CalendarDate };

function windowOf(input: { now: Date; timeZone: string; months?: number }): Window {
  const today = calendarDateIn(input.now, input.timeZone);
  const months = monthsEndingWith(monthOf(today), input.months ?? DEFAULT_REPORT_MONTHS);
  return { months, first: months[0]!, last: months[months.length - 1]!, today };
}

/** The figures counted from `requests` itself: every row received or closed in the months shown. */
export function countFromRequests(db: Db, input: { now: Date; timeZone: string; months?: number }): Map<MonthKey, MonthCounts> {
  const { months, first, last } = windowOf(input);
  const spans = months.map((month) => ({ month, ...monthSpan(month, input.timeZone) }));
  const starts = spans[0]!.starts.getTime();
  const ends = spans[spans.length - 1]!.ends.getTime();

  // receivedOn is already the organisation's calendar day, so its first seven characters are the month.
  // It is not tied to receivedAt (a letter recorded late keeps the day it arrived), so only it is filtered on.
  const received = db.all<{ month: string; n: number }>(sql`
    select substr(received_on, 1, 7) as month, count(*) as n
    from requests
    where received_on >= ${firstDayOf(first)} and received_on < ${firstDayOf(addMonths(last, 1))}
    group by month`);

  // Closing times are instants: each falls in the month whose span holds it.
  const monthOfClosing = sql.join(
    [sql`case`, ...spans.map((s) => sql`when closed_at < ${s.ends.getTime()} then ${s.month}`), sql`end`],
    sql` `,
  );
  // The median comes from the middle one or two of the month's closings in order of time taken.
  const closed = db.all<{ month: string; completed: number; denied: number; median_ms: number | null }>(sql`
    with closings as (
      select ${monthOfClosing} as month, status, closed_at - received_at as took
      from requests
      where status in (${inList(CLOSING_STATUSES)}) and closed_at >= ${starts} and closed_at < ${ends}
    ),
    ranked as (
      select month, status, took,
        row_number() over (partition by month order by took) as position,
        count(*) over (partition by month) as closings
      from closings
    )
    select month,
      sum(status = 'completed') as completed,
      sum(status = 'denied') as denied,
      avg(case when position in ((closings + 1) / 2, (closings + 2) / 2) then took end) as median_ms
    from ranked
    group by month`);

  const receivedBy = new Map(received.map((r) => [r.month, r.n]));
  const closedBy = new Map(closed.map((r) => [r.month, r]));
  return new Map(
    months.map((month) => {
      const c = closedBy.get(month);
      return [month, { received: receivedBy.get(month) ?? 0, completed: c?.completed ?? 0, denied: c?.denied ?? 0, medianMs: c?.median_ms ?? null }];
    }),
  );
}

type StepRow = { step: number; closings: number; took_ms: number };

const STEPS_SQL = "select step, closings, took_ms from report_close_times where unit = ? and month = ? and step >= ? and step < ? order by step";

/**
 * Of each month's whole days taken to close, the one or two that hold its
 * middle closings (positions (n + 1) / 2 and (n + 2) / 2, 1 = quickest),
 * with how many closings come before each: SQLite sums the days in order
 * and hands back only those, not every day of every month.
 */
export const MIDDLE_DAYS_SQL = `
  select d.month, d.step, d.closings, d.took_ms, d.running - d.closings as before
  from (
    select month, step, closings, took_ms, sum(closings) over (partition by month order by step rows unbounded preceding) as running
    from report_close_times where unit = 'd' and month >= ? and month <= ?
  ) as d
  join report_months as m on m.month = d.month
  where d.running >= (m.completed + m.denied + 1) / 2 and d.running - d.closings < (m.completed + m.denied + 2) / 2`;

/**
 * The time taken by the closing at `position` of a month, given the day
 * that holds it: then the hour of that day, then the minute of that hour,
 * whose closings' mean time is the answer (exact when that minute holds one
 * closing, or closings that took the same time; otherwise within the minute).
 */
function timeAtPosition(db: Db, month: MonthKey, day: StepRow, position: number): number {
  let row = day;
  let left = position;
  for (let level = 1; level < TIME_UNITS.length; level++) {
    const unit = TIME_UNITS[level]!;
    const per = TIME_UNITS[level - 1]!.ms / unit.ms;
    const rows = db.$client.prepare<unknown[], StepRow>(STEPS_SQL).all(unit.unit, month, row.step * per, (row.step + 1) * per);
    let found: StepRow | undefined;
    for (const r of rows) {
      if (left <= r.closings) {
        found = r;
        break;
      }
      left -= r.closings;
    }
    // The finer rows always add up to their day's or hour's closings (the same triggers write them); this is only a guard.
    if (!found) return row.took_ms / row.closings;
    row = found;
  }
  return row.took_ms / row.closings;
}

/**
 * Medians already worked out, per connection, by month: each kept with the
 * month's `closing_changes` and the tables' rebuild, which the triggers bump
 * in the same transaction as any closing counted in or out of that month,
 * so one that still matches is the median the tables give now. Past months
 * seldom change; only theirs is worked out again when they do.
 */
const knownMedians = new WeakMap<Db, Map<MonthKey, { stamp: string; medianMs: number | null }>>();

/** The same figures from the maintained tables: a row per month, and a few rows of times for a month whose median changed. */
export function countFromTables(db: Db, input: { now: Date; timeZone: string; months?: number }, rebuiltAt?: number): Map<MonthKey, MonthCounts> {
  const { months, first, last } = windowOf(input);
  const rebuild = rebuiltAt ?? reportTablesState(db)?.rebuiltAt ?? 0;
  const counts = db.$client
    .prepare<unknown[], { month: string; received: number; completed: number; denied: number; closing_changes: number }>(
      "select month, received, completed, denied, closing_changes from report_months where month >= ? and month <= ?",
    )
    .all(first, last);
  const countsBy = new Map(counts.map((c) => [c.month, c]));
  let known = knownMedians.get(db);
  if (!known) {
    known = new Map();
    knownMedians.set(db, known);
  }
  const stampOf = (month: MonthKey) => {
    const c = countsBy.get(month);
    return `${input.timeZone} ${rebuild} ${c?.closing_changes ?? 0} ${c?.completed ?? 0} ${c?.denied ?? 0}`;
  };
  const stale = months.filter((month) => known.get(month)?.stamp !== stampOf(month));
  const middles =
    stale.length === 0 ? [] : db.$client.prepare<unknown[], StepRow & { month: string; before: number }>(MIDDLE_DAYS_SQL).all(stale[0]!, stale[stale.length - 1]!);
  const middlesBy = new Map<string, Array<StepRow & { before: number }>>();
  for (const d of middles) {
    const list = middlesBy.get(d.month) ?? [];
    list.push(d);
    middlesBy.set(d.month, list);
  }
  const at = (month: MonthKey, position: number): number | null => {
    const day = middlesBy.get(month)?.find((d) => d.before < position && position <= d.before + d.closings);
    return day ? timeAtPosition(db, month, day, position - day.before) : null;
  };
  const medianOf = (month: MonthKey, closings: number): number | null => {
    const stamp = stampOf(month);
    const kept = known.get(month);
    if (kept?.stamp === stamp) return kept.medianMs;
    let medianMs: number | null = null;
    if (closings > 0) {
      const lower = Math.floor((closings + 1) / 2);
      const upper = Math.floor((closings + 2) / 2);
      const a = at(month, lower);
      const b = upper === lower ? a : at(month, upper);
      medianMs = a === null || b === null ? null : (a + b) / 2;
    }
    if (known.size > 1_000) known.clear();
    known.set(month, { stamp, medianMs });
    return medianMs;
  };
  return new Map(
    months.map((month) => {
      const c = countsBy.get(month);
      const medianMs = medianOf(month, (c?.completed ?? 0) + (c?.denied ?? 0));
      return [month, { received: c?.received ?? 0, completed: c?.completed ?? 0, denied: c?.denied ?? 0, medianMs }];
    }),
  );
}

/**
 * Open requests past their due date with the clock running, by month due.
 * The WHERE holds RUNNING_CLOCK_SQL word for word, so SQLite answers from
 * the partial index of running requests (requests_running_due_idx) alone.
 */
export const OVERDUE_SQL = `select substr(due_on, 1, 7) as month, count(*) as n from requests where ${RUNNING_CLOCK_SQL} and due_on < ? group by month`;

function overdueByMonth(db: Db, today: CalendarDate): Array<{ month: string; n: number }> {
  return db.$client.prepare<unknown[], { month: string; n: number }>(OVERDUE_SQL).all(today);
}

function assemble(db: Db, input: { now: Date; timeZone: string; months?: number }, counts: Map<MonthKey, MonthCounts>): MonthlyReport {
  const { timeZone } = input;
  const { months, first, last, today } = windowOf(input);
  // A stopped clock is not running late: the due date moves when it restarts.
  const overdue = overdueByMonth(db, today);
  const overdueBy = new Map(overdue.map((r) => [r.month, r.n]));

  const figures = months.map((month): MonthFigures => {
    const c = counts.get(month);
    return {
      month,
      label: monthName(month),
      shortLabel: shortMonthName(month),
      received: c?.received ?? 0,
      completed: c?.completed ?? 0,
      denied: c?.denied ?? 0,
      medianDaysToClose: c?.medianMs == null ? null : toDays(c.medianMs),
      overdueNow: overdueBy.get(month) ?? 0,
    };
  });
  const sum = (pick: (m: MonthFigures) => number) => figures.reduce((total, m) => total + pick(m), 0);
  const overdueNow = overdue.reduce((total, r) => total + r.n, 0);
  return {
    timeZone,
    today,
    first,
    last,
    months: figures,
    totals: { received: sum((m) => m.received), completed: sum((m) => m.completed), denied: sum((m) => m.denied) },
    overdueNow,
    overdueDueEarlier: overdue.filter((r) => r.month < first).reduce((total, r) => total + r.n, 0),
  };
}

/** The report, from the maintained tables when they count in this time zone, otherwise from `requests`. */
export function buildMonthlyReport(db: Db, input: { now: Date; timeZone: string; months?: number }): MonthlyReport {
  const tables = reportTablesState(db);
  const counts = tables?.timeZone === input.timeZone ? countFromTables(db, input, tables.rebuiltAt) : countFromRequests(db, input);
  return assemble(db, input, counts);
}

/** The report counted from `requests` alone, whatever the tables hold: what `npm run reports:check` compares them with (`checkReportTables`). */
export function scanMonthlyReport(db: Db, input: { now: Date; timeZone: string; months?: number }): MonthlyReport {
  return assemble(db, input, countFromRequests(db, input));
}

export type TablesCheck = { months: number; differences: Array<{ month: MonthKey; tables: MonthCounts; requests: MonthCounts }> };

/**
 * Every month from the first request received or closed to this one, as
 * the tables give it and as a count over the requests gives it; the months
 * where they differ (counts at all, or medians by a minute or more, the
 * tables' precision). For `npm run reports:check`.
 */
export function checkReportTables(db: Db, input: { now: Date; timeZone: string }): TablesCheck {
  const earliest = db.$client
    .prepare<unknown[], { received: string | null; closed: number | null }>("select min(received_on) as received, min(closed_at) as closed from requests")
    .get();
  const thisMonth = monthOf(calendarDateIn(input.now, input.timeZone));
  const starts = [earliest?.received ? monthOf(earliest.received) : null, earliest?.closed != null ? monthOf(calendarDateIn(new Date(earliest.closed), input.timeZone)) : null];
  const first = starts.filter((m): m is string => m !== null && m < thisMonth).sort()[0] ?? thisMonth;
  const [fy, fm] = first.split("-").map(Number) as [number, number];
  const [ty, tm] = thisMonth.split("-").map(Number) as [number, number];
  const months = (ty - fy) * 12 + (tm - fm) + 1;
  const request = { ...input, months };
  const fromTables = countFromTables(db, request);
  const fromRequests = countFromRequests(db, request);
  const differences: TablesCheck["differences"] = [];
  for (const [month, counted] of fromRequests) {
    const kept = fromTables.get(month)!;
    const medianOff = counted.medianMs === null ? kept.medianMs !== null : kept.medianMs === null || Math.abs(kept.medianMs - counted.medianMs) >= 60_000;
    if (kept.received !== counted.received || kept.completed !== counted.completed || kept.denied !== counted.denied || medianOff) {
      differences.push({ month, tables: kept, requests: counted });
    }
  }
  return { months, differences };
}
