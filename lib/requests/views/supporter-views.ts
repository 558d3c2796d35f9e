/**
 * What a supporter sees of their own requests: view models with exactly the
 * fields the pages show, never another supporter's rows.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { requestEvents, requests, type RequestStatus, type RequestType } from "@/db/schema";
import { describeStatus, isOpen } from "@/lib/requests/lifecycle/transitions";
import { calendarDateIn } from "@/lib/calendar/dates";
import { deadlineOf, type Deadline } from "@/lib/requests/lifecycle/deadlines";
import { CORRECTABLE_FIELD_LABELS, CORRECTABLE_FIELDS, type RequestDetails } from "@/lib/vocabulary/request-details";
import { describeEvent, describeMessage, supporterSeesEvent } from "../lifecycle/events";
import { requestTypeLabel } from "@/lib/vocabulary/request-types";

export type SupporterRequestSummary = {
  reference: string;
  type: RequestType;
  typeLabel: string;
  status: RequestStatus;
  statusLabel: string;
  receivedAt: Date;
  dueOn: string;
  open: boolean;
};

export type RequestHistoryEntry = {
  at: Date;
  what: string;
  note: string | null;
};

export type SupporterRequestView = SupporterRequestSummary & {
  deadline: Deadline | null;
  closedAt: Date | null;
  /** What the supporter asked, as label/value pairs in their own words. */
  asked: Array<{ label: string; value: string }>;
  history: RequestHistoryEntry[];
  /** Staff's open question, while the request waits for the supporter's answer. */
  pendingQuestion: string | null;
  version: number;
};

export function listSupporterRequests(db: Db, email: string): SupporterRequestSummary[] {
  return db
    .select({
      reference: requests.reference,
      type: requests.type,
      status: requests.status,
      receivedAt: requests.receivedAt,
      dueOn: requests.dueOn,
    })
    .from(requests)
    .where(eq(requests.subjectEmail, email))
    .orderBy(desc(requests.receivedAt), desc(requests.id))
    .all()
    .map((r) => ({
      ...r,
      typeLabel: requestTypeLabel(r.type),
      statusLabel: describeStatus(r.status),
      open: isOpen(r.status),
    }));
}

/** Who reads the lines: the supporter about their own request, or staff about the supporter's. */
export type Voice = "supporter" | "staff";

const VOICE_WORDS: Record<Voice, { note: string; concern: string; newValue: string; erasureConfirmed: string }> = {
  supporter: { note: "Your note", concern: "Your concern", newValue: "New", erasureConfirmed: "You confirmed you want your data deleted." },
  staff: {
    note: "The supporter's note",
    concern: "The supporter's concern",
    newValue: "Proposed",
    erasureConfirmed: "The supporter confirmed they want their data deleted.",
  },
};

/** Plain-language lines for what was asked, in the words of whoever reads them. */
export function describeDetails(details: RequestDetails, voice: Voice = "supporter"): Array<{ label: string; value: string }> {
  const words = VOICE_WORDS[voice];
  const note = "note" in details && details.note ? [{ label: words.note, value: details.note }] : [];
  switch (details.type) {
    case "access":
      return note;
    case "correction":
      return [
        ...CORRECTABLE_FIELDS.filter((f) => details.changes[f] !== undefined).map((f) => ({
          label: `${words.newValue} ${CORRECTABLE_FIELD_LABELS[f].toLowerCase()}`,
          value: details.changes[f] ?? "",
        })),
        ...note,
      ];
    case "erasure":
      return [{ label: "Confirmed", value: words.erasureConfirmed }, ...note];
    case "unsubscribe":
      return details.lists && details.lists.length > 0 ? [{ label: "Only these lists", value: details.lists.join(", ") }] : [];
    case "concern":
      return [{ label: words.concern, value: details.message }];
  }
}


const ownRequest = (db: Db) =>
  db
    .select()
    .from(requests)
    .where(and(eq(requests.reference, sql.placeholder("reference")), eq(requests.subjectEmail, sql.placeholder("email"))))
    .prepare();

const eventsOfRequest = (db: Db) =>
  db.select().from(requestEvents).where(eq(requestEvents.requestId, sql.placeholder("requestId"))).orderBy(asc(requestEvents.id)).prepare();

export function getSupporterRequest(
  db: Db,
  input: { reference: string; email: string; timeZone: string; now: Date; orgName: string },
): SupporterRequestView | null {
  const row = preparedOnce(db, "supporterRequest", ownRequest).get({ reference: input.reference, email: input.email });
  if (!row) return null;
  const events = preparedOnce(db, "supporterRequestEvents", eventsOfRequest).all({ requestId: row.id });
  const open = isOpen(row.status);
  return {
    reference: row.reference,
    type: row.type,
    typeLabel: requestTypeLabel(row.type),
    status: row.status,
    statusLabel: describeStatus(row.status),
    receivedAt: row.receivedAt,
    dueOn: row.dueOn,
    open,
    closedAt: row.closedAt,
    version: row.version,
    deadline: open
      ? deadlineOf(row.receivedOn, row.dueOn, calendarDateIn(input.now, input.timeZone), row.clockStoppedOn)
      : null,
    asked: describeDetails(row.details as RequestDetails),
    pendingQuestion:
      row.status === "awaiting_supporter" ? (events.filter((e) => e.action === "question").at(-1)?.note ?? null) : null,
    history: events
      .filter((e) => supporterSeesEvent(e.action))
      .map((e) => ({
        at: e.at,
        what: e.action === "message" ? describeMessage(e.actorType, "supporter", input.orgName) : describeEvent(e.action),
        // Staff's own record of how identity was checked stays with staff.
        note: e.action === "recorded" ? null : e.note,
      })),
  };
}
