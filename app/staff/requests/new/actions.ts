"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { StaffRole } from "@/db/schema";
import type { Viewer } from "@/lib/auth/load-viewer";
import { parseRecordedRequest, recordRequest, type RecordedRequestInput } from "@/lib/requests/workflow/record-request";
import { calendarDateIn } from "@/lib/workflow/dates";
import { formAction } from "@/server/action";
import { getPortalContext, getSettings } from "@/server/settings";
import { kickWorker } from "@/server/worker";

export const recordRequestAction = formAction<RecordedRequestInput, Viewer & { role: StaffRole }>(
  { access: "staff", parse: (input) => parseRecordedRequest(input, calendarDateIn(new Date(), getSettings().timeZone)) },
  (input, viewer) => {
    const { reference } = recordRequest(getDb(), { ...input, staffEmail: viewer.email, now: new Date(), ctx: getPortalContext() });
    kickWorker();
    redirect(`/staff/requests/${reference}?done=recorded`);
  },
);
