import { wordsFor } from "@/lib/language/catalogue";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";
import type { Deadline } from "@/lib/calendar/deadlines";

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
