import { getDb } from "@/db/client";
import { choiceRecords } from "@/lib/reports/opt-outs";
import { calendarDateIn } from "@/lib/calendar/dates";
import { getSettings } from "@/server/settings";
import { csvDownload, staffOnlyGet } from "@/server/staff-route";

// Every address that made a choice is in this file: staff only, checked here and not left to the proxy.
export const GET = staffOnlyGet("/staff/reports/choices.csv", () =>
  csvDownload(`email-choices-${calendarDateIn(new Date(), getSettings().timeZone)}.csv`, choiceRecords(getDb())),
);
