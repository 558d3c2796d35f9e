/**
 * The figures on /staff/reports, per calendar month in the organisation's
 * time zone. Each figure is one SQL aggregate, so the cost does not grow
 * with what the page shows, only with the rows the database has to scan.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { REQUEST_STATUSES } from "@/db/schema";
import { calendarDateIn, type CalendarDate } from "@/lib/calendar/dates";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
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
const OPEN_STATUSES = REQUEST_STATUSES.filter(isOpen);

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

export function buildMonthlyReport(db: Db, input: { now: Date; timeZone: string; months?: number }): MonthlyReport {
  const { timeZone } = input;
  const today = calendarDateIn(input.now, timeZone);
  const months = monthsEndingWith(monthOf(today), input.months ?? DEFAULT_REPORT_MONTHS);
  const first = months[0]!;
  const last = months[months.length - 1]!;
  const spans = months.map((month) => ({ month, ...monthSpan(month, timeZone) }));
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

  // A stopped clock is not running late: the due date moves when it restarts.
  const overdue = db.all<{ month: string; n: number }>(sql`
    select substr(due_on, 1, 7) as month, count(*) as n
    from requests
    where status in (${inList(OPEN_STATUSES)}) and due_on < ${today} and clock_stopped_on is null
    group by month`);

  const receivedBy = new Map(received.map((r) => [r.month, r.n]));
  const closedBy = new Map(closed.map((r) => [r.month, r]));
  const overdueBy = new Map(overdue.map((r) => [r.month, r.n]));

  const figures = months.map((month): MonthFigures => {
    const c = closedBy.get(month);
    return {
      month,
      label: monthName(month),
      shortLabel: shortMonthName(month),
      received: receivedBy.get(month) ?? 0,
      completed: c?.completed ?? 0,
      denied: c?.denied ?? 0,
      medianDaysToClose: c?.median_ms == null ? null : toDays(c.median_ms),
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
