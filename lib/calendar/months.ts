/**
 * Calendar months in the organisation's time zone. Reports count by month
 * as the organisation sees it: a request closed at 00:30 on 1 April in
 * London belongs to April, though it is still 31 March in UTC. SQLite knows
 * no time zones, so each month becomes a pair of UTC instants here and the
 * database compares plain numbers.
 */
import { dateFormat } from "@/lib/calendar/date-format";
import { addDays, calendarDateIn, utcTime, type CalendarDate } from "@/lib/calendar/dates";

/** "2026-05". */
export type MonthKey = string;

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;

function monthParts(month: MonthKey): [number, number] {
  const match = MONTH_PATTERN.exec(month);
  const m = Number(match?.[2]);
  if (!match || m < 1 || m > 12) throw new RangeError(`Not a month: ${month}`);
  return [Number(match[1]), m];
}

export function monthOf(date: CalendarDate): MonthKey {
  return date.slice(0, 7);
}

export function addMonths(month: MonthKey, months: number): MonthKey {
  const [year, m] = monthParts(month);
  const index = year * 12 + (m - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** `count` months, oldest first, the last being `last`. */
export function monthsEndingWith(last: MonthKey, count: number): MonthKey[] {
  return Array.from({ length: count }, (_, i) => addMonths(last, i - count + 1));
}

export function firstDayOf(month: MonthKey): CalendarDate {
  monthParts(month);
  return `${month}-01`;
}

/** "May 2026". */
export function monthName(month: MonthKey): string {
  const [year, m] = monthParts(month);
  return dateFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(utcTime(year, m - 1, 1)));
}

/** "May". */
export function shortMonthName(month: MonthKey): string {
  const [year, m] = monthParts(month);
  return dateFormat("en-GB", { month: "short", timeZone: "UTC" }).format(new Date(utcTime(year, m - 1, 1)));
}

/** How far the time zone's clocks are ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const format = dateFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const parts = format.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = utcTime(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The first instant of a calendar day in a time zone. Usually midnight; where
 * the clocks jump forward at midnight (Chile, Cuba) midnight does not exist
 * and the day starts at the jump.
 */
export function startOfDayIn(date: CalendarDate, timeZone: string): Date {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const wall = utcTime(year, month - 1, day);
  // Two rounds settle the offset in force on either side of a change.
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  const onTheDay = [first, second].filter((t) => calendarDateIn(new Date(t), timeZone) === date);
  return new Date(onTheDay.length > 0 ? Math.min(...onTheDay) : Math.max(first, second));
}

/** The last second of a calendar day in a time zone: a second before the next day starts there. */
export function endOfDayIn(date: CalendarDate, timeZone: string): Date {
  return new Date(startOfDayIn(addDays(date, 1), timeZone).getTime() - 1000);
}

/**
 * Spans already worked out, by month and zone: finding one asks Intl for
 * the zone's offset four times, which costs more than the report that
 * needs twelve of them. A zone's rules only change with the Node that runs
 * this, so what is kept stays right; the map is emptied when it grows large.
 */
const knownSpans = new Map<string, [number, number]>();
const MOST_KNOWN_SPANS = 10_000;

/** A month as the UTC instants it spans in the time zone: [starts, ends). */
export function monthSpan(month: MonthKey, timeZone: string): { starts: Date; ends: Date } {
  const key = `${month} ${timeZone}`;
  let span = knownSpans.get(key);
  if (!span) {
    span = [startOfDayIn(firstDayOf(month), timeZone).getTime(), startOfDayIn(firstDayOf(addMonths(month, 1)), timeZone).getTime()];
    if (knownSpans.size >= MOST_KNOWN_SPANS) knownSpans.clear();
    knownSpans.set(key, span);
  }
  return { starts: new Date(span[0]), ends: new Date(span[1]) };
}
