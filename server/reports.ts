import "server-only";
import { getDb } from "@/db/client";
import { keptWhileUnchanged } from "@/db/change-version";
import { calendarDateIn } from "@/lib/calendar/dates";
import { buildMonthlyReport } from "@/lib/reports/monthly-report";
import { buildOptOutReport } from "@/lib/reports/opt-outs";
import { getSettings } from "./settings";

/**
 * The reports page's figures (and its chart's), worked out once and kept
 * while nothing is written to the database (db/change-version.ts) on the
 * same day: a report changes only with the record or the date, and staff
 * reload it. Callers check the staff session first.
 */
export function reportsOf(months: number) {
  const { timeZone } = getSettings();
  const now = new Date();
  const today = calendarDateIn(now, timeZone);
  return keptWhileUnchanged(getDb(), JSON.stringify(["reports", timeZone, today, months]), () => ({
    report: buildMonthlyReport(getDb(), { now, timeZone, months }),
    optOuts: buildOptOutReport(getDb(), { now, timeZone, months }),
  }));
}
