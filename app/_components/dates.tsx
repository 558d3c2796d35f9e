import { formatCalendarDate, formatInstant } from "@/lib/calendar/format";
import { wordsFor } from "@/lib/language/catalogue";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";
import type { Deadline } from "@/lib/calendar/deadlines";

/** A day of the organisation's calendar, in the reader's language (English on the staff pages). */
export function DateOnly({ date, language = BASE_LANGUAGE }: { date: string; language?: Language }) {
  return <time dateTime={date}>{formatCalendarDate(date, language)}</time>;
}

/** A moment, in the organisation's time zone and the reader's language. */
export function Instant({ at, timeZone, language = BASE_LANGUAGE }: { at: Date; timeZone: string; language?: Language }) {
  return <time dateTime={at.toISOString()}>{formatInstant(at, timeZone, language)}</time>;
}

export function daysLeftText(deadline: Deadline, language: Language = BASE_LANGUAGE): string {
  const words = wordsFor(language);
  if (deadline.state === "paused") return words("deadline.paused", { days: deadline.daysLeft });
  if (deadline.daysLeft < 0) return words("deadline.overdue", { days: -deadline.daysLeft });
  if (deadline.daysLeft === 0) return words("deadline.today");
  return words("deadline.left", { days: deadline.daysLeft });
}

export function DaysLeft({ deadline, language = BASE_LANGUAGE }: { deadline: Deadline; language?: Language }) {
  return <span className={`deadline-${deadline.state}`}>{daysLeftText(deadline, language)}</span>;
}
