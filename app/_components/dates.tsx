/**
 * Dates as people read them. Light enough for client components (the team
 * table uses DateOnly): the words for days left, which need the message
 * catalogues, are in ./days-left.tsx, so a client page does not carry all
 * four languages' catalogues.
 */
import { formatCalendarDate, formatInstant } from "@/lib/calendar/format";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";

/** A day of the organisation's calendar, in the reader's language (English on the staff pages). */
export function DateOnly({ date, language = BASE_LANGUAGE }: { date: string; language?: Language }) {
  return <time dateTime={date}>{formatCalendarDate(date, language)}</time>;
}

/** A moment, in the organisation's time zone and the reader's language. */
export function Instant({ at, timeZone, language = BASE_LANGUAGE }: { at: Date; timeZone: string; language?: Language }) {
  return <time dateTime={at.toISOString()}>{formatInstant(at, timeZone, language)}</time>;
}
