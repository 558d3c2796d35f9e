import { getDb } from "@/db/client";
import { requestLogRecords } from "@/lib/reports/log-exports";
import { calendarDateIn } from "@/lib/calendar/dates";
import { getSettings } from "@/server/settings";
import { csvDownload, staffOnlyGet } from "@/server/staff-route";

// Every requester's address is in this file: staff only, checked here and not left to the proxy.
export const GET = staffOnlyGet("/staff/reports/requests.csv", () =>
  csvDownload(`requests-${calendarDateIn(new Date(), getSettings().timeZone)}.csv`, requestLogRecords(getDb())),
);
