import type { CalendarDate } from "@/lib/workflow/dates";

// Making an Intl.DateTimeFormat costs a few hundred microseconds and using one about one, so each is made once
// (per time zone) and kept: a page of fifty requests would otherwise spend tens of milliseconds on dates alone.
const calendarDates = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const instants = new Map<string, Intl.DateTimeFormat>();

function instantFormat(timeZone: string): Intl.DateTimeFormat {
  let format = instants.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone });
    instants.set(timeZone, format);
  }
  return format;
}

/** "12 December 2026": unambiguous in every English-speaking country. */
export function formatCalendarDate(date: CalendarDate): string {
  const [y, m, d] = date.split("-").map(Number);
  return calendarDates.format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
}

/** "12 December 2026, 14:05" in the organisation's time zone. */
export function formatInstant(instant: Date, timeZone: string): string {
  return instantFormat(timeZone).format(instant);
}
