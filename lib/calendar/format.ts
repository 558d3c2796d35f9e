/**
 * Dates as people read them, in their language: the one place dates are
 * turned into words. Calendar dates (due dates, days of receipt) are days of
 * the organisation's calendar and are shown as that day whatever the
 * reader's language; instants are shown in the organisation's time zone.
 */
import { dateFormat } from "@/lib/calendar/date-format";
import { utcTime, type CalendarDate } from "@/lib/calendar/dates";
import { BASE_LANGUAGE, formattingLocale, type Language } from "@/lib/language/languages";

/** "12 December 2026", "12 décembre 2026", "12 de diciembre de 2026", "12. Dezember 2026". */
export function formatCalendarDate(date: CalendarDate, language: Language = BASE_LANGUAGE): string {
  const [y, m, d] = date.split("-").map(Number);
  return dateFormat(formattingLocale(language), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(utcTime(y ?? 1970, (m ?? 1) - 1, d ?? 1)),
  );
}

/** "12 December 2026 at 14:05" (or its like in `language`) in the organisation's time zone. */
export function formatInstant(instant: Date, timeZone: string, language: Language = BASE_LANGUAGE): string {
  return dateFormat(formattingLocale(language), { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone }).format(
    instant,
  );
}
