/**
 * Once a day: closed requests past REQUEST_RETENTION_MONTHS are reduced to
 * their statistics (lib/record/retention.ts). Runs before the day's anchor,
 * so the anchor signs the log with the day's removals on it.
 */
import { calendarDateIn } from "@/lib/calendar/dates";
import { countOf } from "@/lib/language/plural";
import { claimDay, dayTaken, finishDay } from "@/lib/record/daily-runs";
import { applyRetention } from "@/lib/record/retention";
import type { Job } from "./job";

export function requestRetentionJob(options: { months: number; timeZone: string; log: (line: string) => void }): Job {
  return {
    name: "request-retention",
    async run(db, now) {
      const day = calendarDateIn(now, options.timeZone);
      if (dayTaken(db, { job: "retention", day, now }) || !claimDay(db, { job: "retention", day, now })) return;
      const { reduced } = await applyRetention(db, { now, months: options.months, timeZone: options.timeZone });
      const outcome = `${countOf(reduced, "request")} closed over ${options.months} months ago reduced to ${reduced === 1 ? "its" : "their"} statistics.`;
      finishDay(db, { job: "retention", day, now: new Date(), outcome });
      if (reduced > 0) options.log(`[record] ${outcome}`);
    },
  };
}
