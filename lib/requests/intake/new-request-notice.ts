/**
 * Tells staff a request has arrived, as NEW_REQUEST_NOTICE says: every staff
 * member ("team"), nobody ("off"), or one staff member to whom each new
 * request is assigned as it arrives (only they are told). Runs inside the
 * transaction that files the request, so the request and its notices commit
 * together.
 */
import { asc, eq, inArray } from "drizzle-orm";
import { CASEWORK_ROLES } from "@/lib/auth/load-viewer";
import type { Tx } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { requests, staff, type RequestChannel, type RequestType } from "@/db/schema";
import { enqueueMails } from "@/lib/mail/outbox";
import { newRequestNoticeMail } from "@/lib/mail/emails/new-request";
import type { PortalContext } from "@/lib/settings/portal-context";
import type { CalendarDate } from "@/lib/calendar/dates";
import { recordEvent } from "@/lib/requests/lifecycle/events";

export const NEW_REQUEST_KIND = "new-request";

export function noticeNewRequest(
  tx: Tx,
  input: {
    request: { id: number; reference: string; type: RequestType; channel: RequestChannel; receivedOn: CalendarDate; dueOn: CalendarDate };
    /** The staff member who recorded it by hand, if one did: they already know. */
    recordedBy: string | null;
    now: Date;
    ctx: PortalContext;
  },
): void {
  const { request, now, ctx } = input;
  const setting = ctx.newRequestNotice ?? "team";
  if (setting === "off") return;

  // The team that works requests: auditors read the record and are not sent each arrival.
  const team = preparedOnce(tx, "new-request notice: the team", (ex) =>
    ex.select({ email: staff.email }).from(staff).where(inArray(staff.role, CASEWORK_ROLES)).orderBy(asc(staff.email)).prepare(),
  )
    .all()
    .map((m) => m.email);
  // A named assignee who has left the staff list (or is now an auditor) is ignored: the team hears instead.
  const assignee = typeof setting === "object" && team.includes(setting.assignee) ? setting.assignee : null;
  if (assignee) {
    tx.update(requests).set({ assigneeEmail: assignee }).where(eq(requests.id, request.id)).run();
    recordEvent(tx, {
      requestId: request.id,
      at: now,
      actorType: "system",
      actorEmail: null,
      action: "assigned",
      fromStatus: null,
      toStatus: null,
      note: `Assigned to ${assignee} on arrival`,
    });
  }

  const recipients = (assignee ? [assignee] : team).filter((email) => email !== input.recordedBy);
  const notice = (email: string) =>
    newRequestNoticeMail.draft({
      orgName: ctx.orgName,
      reference: request.reference,
      type: request.type,
      channel: request.channel,
      receivedOn: request.receivedOn,
      dueOn: request.dueOn,
      staffUrl: `${ctx.appUrl}/staff/requests/${request.reference}`,
      assignedToYou: email === assignee,
    });
  // One insert for the whole team: filing stays as quick with twenty staff as with one.
  enqueueMails(
    tx,
    recipients.map((email) => ({ ...notice(email), to: email, kind: NEW_REQUEST_KIND, requestId: request.id })),
    { now, appUrl: ctx.appUrl },
  );
}
