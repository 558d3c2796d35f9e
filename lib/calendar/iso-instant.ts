/**
 * An instant stored as milliseconds, written exactly as Date's toISOString
 * writes it (2026-03-01T09:30:00.000Z), for files of a million rows: the
 * day's part is worked out once per day and kept, the time of day by
 * arithmetic, so no Date is made per row.
 */
const DAY_MS = 86_400_000;
/** Days kept: a few years of them; past this the cache starts again. */
const DAYS_KEPT = 20_000;

const days = new Map<number, string>();

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

export function isoInstant(ms: number): string {
  // Whole milliseconds, as Date keeps them; outside years 1970–9999 toISOString's own rules (six-digit years) apply.
  const whole = Math.trunc(ms);
  if (!(whole >= 0 && whole < 253_402_300_800_000)) return new Date(whole).toISOString();
  const day = Math.floor(whole / DAY_MS);
  let date = days.get(day);
  if (date === undefined) {
    if (days.size >= DAYS_KEPT) days.clear();
    date = new Date(day * DAY_MS).toISOString().slice(0, 11);
    days.set(day, date);
  }
  let rest = whole - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${date}${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(rest - seconds * 1000, 3)}Z`;
}
