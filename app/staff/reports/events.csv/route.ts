import { getDb } from "@/db/client";
import { eventLogRecords } from "@/lib/reports/log-exports";
import { calendarDateIn } from "@/lib/calendar/dates";
import { getSettings } from "@/server/settings";
import { csvDownload, staffOnlyGet } from "@/server/staff-route";

// The full history, notes and all: staff only, checked here and not left to the proxy.
export const GET = staffOnlyGet("/staff/reports/events.csv", () =>
  csvDownload(`request-events-${calendarDateIn(new Date(), getSettings().timeZone)}.csv`, eventLogRecords(getDb())),
);
