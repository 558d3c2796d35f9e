import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { requestEvents, requests, type ActorType, type RequestStatus, type RequestType } from "@/db/schema";
import type { RequestDetails } from "@/lib/requests/request-form";
import { requestTypeLabel } from "@/lib/requests/request-types";
import { describeDetails } from "@/lib/requests/supporter-views";
import { calendarDateIn } from "@/lib/workflow/dates";
import { deadlineOf, type Deadline } from "@/lib/workflow/deadlines";
import { describeStatus, isOpen } from "@/lib/workflow/transitions";

export type StaffRequestView = {
  reference: string;
  type: RequestType;
  typeLabel: string;
  status: RequestStatus;
  statusLabel: string;
  email: string;
  name: string | null;
  channel: string;
  receivedAt: Date;
  dueOn: string;
  closedAt: Date | null;
  deadline: Deadline | null;
  asked: Array<{ label: string; value: string }>;
  timeline: Array<{
    at: Date;
    actorType: ActorType;
    actorEmail: string | null;
    action: string;
    fromStatus: string | null;
    toStatus: string | null;
    note: string | null;
  }>;
};

/** Everything staff see about one request, with its full timeline. */
export function getStaffRequest(db: Db, input: { reference: string; timeZone: string; now: Date }): StaffRequestView | null {
  const row = db.select().from(requests).where(eq(requests.reference, input.reference)).get();
  if (!row) return null;
  const events = db.select().from(requestEvents).where(eq(requestEvents.requestId, row.id)).orderBy(asc(requestEvents.id)).all();
  return {
    reference: row.reference,
    type: row.type,
    typeLabel: requestTypeLabel(row.type),
    status: row.status,
    statusLabel: describeStatus(row.status),
    email: row.subjectEmail,
    name: row.subjectName,
    channel: row.channel,
    receivedAt: row.receivedAt,
    dueOn: row.dueOn,
    closedAt: row.closedAt,
    deadline: isOpen(row.status)
      ? deadlineOf(row.receivedOn, row.dueOn, calendarDateIn(input.now, input.timeZone), row.clockStoppedOn)
      : null,
    asked: describeDetails(row.details as RequestDetails),
    timeline: events.map((e) => ({
      at: e.at,
      actorType: e.actorType,
      actorEmail: e.actorEmail,
      action: e.action,
      fromStatus: e.fromStatus ? describeStatus(e.fromStatus) : null,
      toStatus: e.toStatus ? describeStatus(e.toStatus) : null,
      note: e.note,
    })),
  };
}
