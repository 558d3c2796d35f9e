import { formatCalendarDate, formatInstant } from "@/lib/calendar/format";
import type { Deadline } from "@/lib/requests/lifecycle/deadlines";
import { countOf } from "@/lib/language/plural";

export function DateOnly({ date }: { date: string }) {
  return <time dateTime={date}>{formatCalendarDate(date)}</time>;
}

export function Instant({ at, timeZone }: { at: Date; timeZone: string }) {
  return <time dateTime={at.toISOString()}>{formatInstant(at, timeZone)}</time>;
}

export function daysLeftText(deadline: Deadline): string {
  if (deadline.state === "paused") {
    return `clock stopped, ${countOf(deadline.daysLeft, "day")} left when it restarts`;
  }
  if (deadline.daysLeft < 0) {
    const late = -deadline.daysLeft;
    return `${countOf(late, "day")} overdue`;
  }
  if (deadline.daysLeft === 0) return "due today";
  return `${countOf(deadline.daysLeft, "day")} left`;
}

export function DaysLeft({ deadline }: { deadline: Deadline }) {
  return <span className={`deadline-${deadline.state}`}>{daysLeftText(deadline)}</span>;
}
