import { dateFormat } from "@/lib/calendar/date-format";
import type { CalendarDate } from "@/lib/calendar/dates";

/** "12 December 2026": unambiguous in every English-speaking country. */
export function formatCalendarDate(date: CalendarDate): string {
  const [y, m, d] = date.split("-").map(Number);
  return dateFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
}

/** "12 December 2026, 14:05" in the organisation's time zone. */
export function formatInstant(instant: Date, timeZone: string): string {
  return dateFormat("en-GB", { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone }).format(instant);
}
