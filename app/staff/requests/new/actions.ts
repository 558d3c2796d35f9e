"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { parseRecordedRequest, recordRequest } from "@/lib/requests/casework/record-request";
import { calendarDateIn } from "@/lib/calendar/dates";
import { formAction } from "@/server/action";
import { getPortalContext, getSettings } from "@/server/settings";
import { kickWorker } from "@/server/worker";

export const recordRequestAction = formAction(
  {
    access: "staff",
    parse: (input) => parseRecordedRequest(input, calendarDateIn(new Date(), getSettings().timeZone), getSettings().languages),
  },
  (input, viewer) => {
    const recorded = recordRequest(getDb(), { ...input, staffEmail: viewer.email, now: new Date(), ctx: getPortalContext() });
    if (!recorded.ok) {
      return {
        ok: false,
        message: recorded.message,
        fieldErrors: {
          limitOverride: `${recorded.message} To record it anyway, give your reason for overriding the limit; it goes on the record.`,
        },
      };
    }
    kickWorker();
    redirect(`/staff/requests/${recorded.reference}?done=recorded`);
  },
);
