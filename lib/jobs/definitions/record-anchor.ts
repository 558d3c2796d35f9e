/**
 * Once a day: the record is checked and its head signed, appended to
 * ANCHOR_FILE and emailed to the admins; if the check fails, nothing is
 * signed and the admins are alerted (lib/record/anchor.ts).
 */
import { calendarDateIn } from "@/lib/calendar/dates";
import { anchorRecord, type AnchorSettings } from "@/lib/record/anchor";
import { claimDay, dayTaken, finishDay } from "@/lib/record/daily-runs";
import type { Job } from "./job";

export function recordAnchorJob(options: AnchorSettings & { timeZone: string; log: (line: string) => void }): Job {
  return {
    name: "record-anchor",
    async run(db, now) {
      const day = calendarDateIn(now, options.timeZone);
      if (dayTaken(db, { job: "anchor", day, now }) || !claimDay(db, { job: "anchor", day, now })) return;
      const outcome = await anchorRecord(db, options, { now, reason: "daily" });
      const said = outcome.ok ? `Signed the log at event ${outcome.anchor.position}.` : `Nothing signed: ${outcome.problem}`;
      finishDay(db, { job: "anchor", day, now: new Date(), outcome: said });
      options.log(`[record] daily anchor: ${said}`);
      // The copy to the admins (or the alert) should go out now.
      return outcome.admins > 0;
    },
  };
}
