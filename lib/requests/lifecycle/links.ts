import type { RequestRow } from "@/db/schema";
import type { PortalContext } from "@/lib/settings/portal-context";
import { calendarDateIn, type CalendarDate } from "@/lib/calendar/dates";

export function requestUrl(ctx: PortalContext, request: Pick<RequestRow, "reference">): string {
  return `${ctx.appUrl}/requests/${request.reference}`;
}

export function todayIn(ctx: PortalContext, now: Date): CalendarDate {
  return calendarDateIn(now, ctx.timeZone);
}
