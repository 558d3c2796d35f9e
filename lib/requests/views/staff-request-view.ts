import type { Language } from "@/lib/language/languages";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import {
  requestEvents,
  requests,
  type ActorType,
  type Regime,
  type RequestChannel,
  type RequestStatus,
  type RequestType,
} from "@/db/schema";
import { describeRedaction, redactionReasonOf } from "@/lib/audit/redaction";
import { calendarDateIn, daysBetween, type CalendarDate } from "@/lib/calendar/dates";
import { deadlineOf, type Deadline } from "@/lib/calendar/deadlines";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { movesByItself } from "@/lib/vocabulary/request-types";
import { describeStatus } from "@/lib/vocabulary/request-statuses";
import { mergedIntoOf, mergedReferences, openDuplicateQuestions } from "../lifecycle/duplicates";
import { describeEvent, describeMessage, supporterSeesEvent } from "../lifecycle/events";
import type { RequestDetails } from "@/lib/vocabulary/request-details";
import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { describeDetails } from "./supporter-views";

export type StaffRequestView = {
  reference: string;
  version: number;
  type: RequestType;
  typeLabel: string;
  status: RequestStatus;
  statusLabel: string;
  open: boolean;
  email: string;
  name: string | null;
  channel: RequestChannel;
  /** The language the request was made in: every email to the supporter is in it, and staff write to them in it. */
  language: Language;
  identityCheck: string | null;
  /** Set when another program filed it; lib/api names the program. */
  intakeId: string | null;
  regime: Regime;
  receivedAt: Date;
  dueOn: string;
  closedAt: Date | null;
  deadline: Deadline | null;
  extensionReason: string | null;
  /** Whether the deadline may still be extended: once, before it passes. */
  canExtend: boolean;
  /** Moved only by Rightsdesk itself (an unsubscribe): staff are offered no step, no extension, no refusal or closing. */
  movesByItself: boolean;
  daysClockStopped: number;
  assigneeEmail: string | null;
  asked: Array<{ label: string; value: string }>;
  /** The earlier request this one was merged into: it is worked there and closes with it. */
  mergedInto: string | null;
  /** The requests merged into this one, which close with it. */
  mergedIn: string[];
  /** Open questions of duplicates: the other request, and whether it came first. */
  duplicates: Array<{ reference: string; status: string; earlier: boolean }>;
  timeline: Array<{
    at: Date;
    actorType: ActorType;
    actorEmail: string | null;
    label: string;
    /** Who did it, in words ("rita@example.org", "the supporter", "the system"); null where the label already says. */
    by: string | null;
    internal: boolean;
    fromStatus: string | null;
    toStatus: string | null;
    note: string | null;
    /** Set when what was written here was removed on the record: when, and why. */
    removed: { at: Date; because: string } | null;
    /** The due date this step moved, from what to what (an extension, a stopped clock restarting); null when it stayed. */
    dueMoved: { from: CalendarDate; to: CalendarDate } | null;
  }>;
};

/** For each event that moved the due date, from what to what: each event records the due date it left. */
function dueMovesOf(events: ReadonlyArray<{ id: number; dueOnAfter: string | null }>): Map<number, { from: CalendarDate; to: CalendarDate }> {
  const moves = new Map<number, { from: CalendarDate; to: CalendarDate }>();
  let due: string | null = null;
  for (const e of events) {
    if (e.dueOnAfter === null) continue;
    if (due !== null && e.dueOnAfter !== due) moves.set(e.id, { from: due, to: e.dueOnAfter });
    due = e.dueOnAfter;
  }
  return moves;
}

/** For each event whose note was removed, the removal event after it that records when and why. */
function removalsOf(events: ReadonlyArray<{ id: number; action: string; at: Date; contentSalt: string | null }>): Map<number, { at: Date; because: string }> {
  const removals = new Map<number, { at: Date; because: string }>();
  let waiting: number[] = [];
  for (const e of events) {
    const reason = redactionReasonOf(e.action);
    if (reason) {
      for (const id of waiting) removals.set(id, { at: e.at, because: describeRedaction(reason) });
      waiting = [];
    } else if (e.contentSalt === null) {
      waiting.push(e.id);
    }
  }
  return removals;
}

/** Everything staff see about one request, with its full timeline. */
export function getStaffRequest(db: Db, input: { reference: string; timeZone: string; now: Date; orgName?: string }): StaffRequestView | null {
  const row = db.select().from(requests).where(eq(requests.reference, input.reference)).get();
  if (!row) return null;
  const events = db.select().from(requestEvents).where(eq(requestEvents.requestId, row.id)).orderBy(asc(requestEvents.id)).all();
  const today = calendarDateIn(input.now, input.timeZone);
  const open = isOpen(row.status);
  const removals = removalsOf(events);
  const dueMoves = dueMovesOf(events);
  return {
    reference: row.reference,
    version: row.version,
    type: row.type,
    typeLabel: requestTypeLabel(row.type),
    status: row.status,
    statusLabel: describeStatus(row.status),
    open,
    email: row.subjectEmail,
    name: row.subjectName,
    channel: row.channel,
    language: row.language,
    identityCheck: row.identityCheck,
    intakeId: row.intakeId,
    regime: row.regime,
    receivedAt: row.receivedAt,
    dueOn: row.dueOn,
    closedAt: row.closedAt,
    deadline: open ? deadlineOf(row.receivedOn, row.dueOn, today, row.clockStoppedOn) : null,
    extensionReason: row.extensionReason,
    canExtend: open && !movesByItself(row.type) && row.extendedAt === null && daysBetween(row.clockStoppedOn ?? today, row.dueOn) >= 0,
    movesByItself: movesByItself(row.type),
    daysClockStopped: row.daysClockStopped,
    assigneeEmail: row.assigneeEmail,
    asked: describeDetails(row.details as RequestDetails, "staff"),
    mergedInto: mergedIntoOf(db, row)?.reference ?? null,
    mergedIn: mergedReferences(db, row.id),
    duplicates: openDuplicateQuestions(db, row.id).map((q) => ({ reference: q.other.reference, status: describeStatus(q.other.status), earlier: q.otherIsEarlier })),
    timeline: events.map((e) => ({
      at: e.at,
      actorType: e.actorType,
      actorEmail: e.actorEmail,
      label: e.action === "message" ? describeMessage(e.actorType, "staff", input.orgName ?? "") : describeEvent(e.action),
      by: e.action === "message" && e.actorType === "supporter" ? null : (e.actorEmail ?? (e.actorType === "supporter" ? "the supporter" : "the system")),
      internal: !supporterSeesEvent(e.action),
      fromStatus: e.fromStatus ? describeStatus(e.fromStatus) : null,
      toStatus: e.toStatus ? describeStatus(e.toStatus) : null,
      note: e.note,
      removed: removals.get(e.id) ?? null,
      dueMoved: dueMoves.get(e.id) ?? null,
    })),
  };
}
