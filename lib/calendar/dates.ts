/**
 * Calendar dates as "YYYY-MM-DD" strings. Deadlines are days, not instants:
 * a request is due by the end of a day in the organisation's time zone.
 */
import { dateFormat } from "./date-format";
export type CalendarDate = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: CalendarDate): [number, number, number] {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`Not a calendar date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function format(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The number written by the ASCII digits value[from, from + count). */
function digitsAt(value: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + (value.charCodeAt(i) - 48);
  return n;
}

export function isCalendarDate(value: string): boolean {
  // Tested, then read by character (the pattern's digits are ASCII), not matched: an import checks every date of a
  // million rows, and each match made an array, three strings and, through daysInMonth, a Date.
  if (!DATE_PATTERN.test(value)) return false;
  const m = digitsAt(value, 5, 2);
  const d = digitsAt(value, 8, 2);
  // Every month has 28 days: only a later day needs its month's length.
  return m >= 1 && m <= 12 && d >= 1 && (d <= 28 || d <= daysInMonth(digitsAt(value, 0, 4), m));
}

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(utcTime(year, month, 0)).getUTCDate();
}

/** The Gregorian calendar repeats every 400 years, which are 146,097 days. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

/**
 * `Date.UTC` for every year a calendar date can hold (0000–9999): `Date.UTC`
 * itself reads the years 0–99 as 1900–1999, so those are taken four hundred
 * years on, where the calendar is the same, and brought back. Months and days
 * past their end carry over as with `Date.UTC`.
 */
export function utcTime(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0): number {
  if (year >= 0 && year <= 99) return Date.UTC(year + 400, monthIndex, day, hour, minute, second) - FOUR_CENTURIES_MS;
  return Date.UTC(year, monthIndex, day, hour, minute, second);
}

/** The same day `months` later, or that month's last day where it does not exist. */
export function addCalendarMonths(date: CalendarDate, months: number): CalendarDate {
  const [year, month, day] = parts(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const newYear = Math.floor(monthIndex / 12);
  const newMonth = (monthIndex % 12) + 1;
  return format(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [year, month, day] = parts(date);
  const shifted = new Date(utcTime(year, month - 1, day + days));
  return format(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** Days since 1970-01-01 of each date seen, kept: a queue page or an API list works out two per row, and there are few distinct dates. */
const epochDays = new Map<CalendarDate, number>();
const EPOCH_DAYS_KEPT = 50_000;

function epochDay(date: CalendarDate): number {
  let day = epochDays.get(date);
  if (day === undefined) {
    const [year, month, dayOfMonth] = parts(date);
    day = utcTime(year, month - 1, dayOfMonth) / 86_400_000;
    if (epochDays.size >= EPOCH_DAYS_KEPT) epochDays.clear();
    epochDays.set(date, day);
  }
  return day;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return epochDay(to) - epochDay(from);
}

/**
 * The last answer for each time zone, with the second it holds for: a
 * zone's day only ever starts on a whole second (every offset in the time
 * zone database is whole seconds), so every instant within one second falls
 * on the same day. Filing a request, the queue and the request pages ask for
 * today's date with "now", and a burst of them asks within the same second;
 * asking Intl is the costly part (a few per cent of a filing's transaction).
 */
const lastDayIn = new Map<string, { second: number; date: CalendarDate }>();
const ZONES_KEPT = 100;

/** The calendar date an instant falls on in the given IANA time zone. */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  const second = Math.floor(instant.getTime() / 1000);
  const last = lastDayIn.get(timeZone);
  if (last !== undefined && last.second === second) return last.date;
  const formatted = dateFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(instant);
  const get = (type: string) => Number(formatted.find((p) => p.type === type)?.value);
  const date = format(get("year"), get("month"), get("day"));
  if (lastDayIn.size >= ZONES_KEPT && last === undefined) lastDayIn.clear();
  lastDayIn.set(timeZone, { second, date });
  return date;
}

/**
 * The first calendar day inside a keeping period of `years` that ends on
 * `now`'s day in the organisation's time zone: what a donation, or a
 * connected database's row kept by its map, must be dated on or after to be
 * kept. One rule for both. A period ending on 29 February starts on
 * 1 March, as many years back are a year of days each.
 */
export function keepPeriodStart(now: Date, years: number, timeZone: string): CalendarDate {
  const [year, month, day] = parts(calendarDateIn(now, timeZone));
  const start = new Date(Date.UTC(2000, month - 1, day));
  start.setUTCFullYear(year - years, month - 1, day);
  return format(start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate());
}
