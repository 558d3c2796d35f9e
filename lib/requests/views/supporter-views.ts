/**
 * What a supporter sees of their own requests: view models with exactly the
 * fields the pages show, never another supporter's rows.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { requestEvents, requests, type RequestEvent, type RequestRow, type RequestStatus, type RequestType } from "@/db/schema";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { movesByItself } from "@/lib/vocabulary/request-types";
import { describeStatus } from "@/lib/vocabulary/request-statuses";
import { calendarDateIn } from "@/lib/calendar/dates";
import { deadlineOf, type Deadline } from "@/lib/calendar/deadlines";
import { CORRECTABLE_FIELD_LABELS, CORRECTABLE_FIELDS, type CorrectableField, type RequestDetails } from "@/lib/vocabulary/request-details";
import { messagesFor, wordsFor, type Messages, type Words } from "@/lib/language/catalogue";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";
import { describeEvent, DOWNLOAD_NOTES, supporterSeesEvent } from "../lifecycle/events";
import { SIGNED_LINKS } from "../lifecycle/signed-links";

export type SupporterRequestSummary = {
  reference: string;
  type: RequestType;
  typeLabel: string;
  status: RequestStatus;
  statusLabel: string;
  receivedAt: Date;
  dueOn: string;
  open: boolean;
  /** An unsubscribe is honoured at once: it has no answer date to show, whatever its row's due date says. */
  atOnce: boolean;
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
  /** Open, and the supporter may still withdraw it (not one Rightsdesk moves by itself, such as an unsubscribe). */
  canCancel: boolean;
  version: number;
};

/** The supporter's requests, newest first, described in their language. */
export function listSupporterRequests(db: Db, email: string, language: Language = BASE_LANGUAGE): SupporterRequestSummary[] {
  const words = wordsFor(language);
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
      typeLabel: words(`requestTypes.${r.type}.label`),
      statusLabel: words(`statuses.${r.status}`),
      open: isOpen(r.status),
      atOnce: movesByItself(r.type),
    }));
}

/** Who reads the lines: the supporter about their own request, or staff about the supporter's. */
export type Voice = "supporter" | "staff";

const STAFF_WORDS = {
  note: "The supporter's note",
  concern: "The supporter's concern",
  confirmed: "Confirmed",
  erasureConfirmed: "The supporter confirmed they want their data deleted.",
};

/**
 * Plain-language lines for what was asked, in the words of whoever reads
 * them: staff in English, the supporter in their language.
 */
export function describeDetails(details: RequestDetails, voice: Voice = "supporter", language: Language = BASE_LANGUAGE): Array<{ label: string; value: string }> {
  const words = wordsFor(language);
  const say =
    voice === "staff"
      ? { ...STAFF_WORDS, newValue: (f: CorrectableField) => `Proposed ${CORRECTABLE_FIELD_LABELS[f].toLowerCase()}` }
      : {
          note: words("details.note"),
          concern: words("details.concern"),
          confirmed: words("details.confirmed"),
          erasureConfirmed: words("details.erasureConfirmed"),
          newValue: (f: CorrectableField) => words(`details.new.${f}`),
        };
  const note = "note" in details && details.note ? [{ label: say.note, value: details.note }] : [];
  switch (details.type) {
    case "access":
      return note;
    case "correction":
      return [
        ...CORRECTABLE_FIELDS.filter((f) => details.changes[f] !== undefined).map((f) => ({ label: say.newValue(f), value: details.changes[f] ?? "" })),
        ...note,
      ];
    case "erasure":
      return [{ label: say.confirmed, value: say.erasureConfirmed }, ...note];
    case "unsubscribe":
      return details.lists && details.lists.length > 0 ? [{ label: "Only these lists", value: details.lists.join(", ") }] : [];
    case "concern":
      return [{ label: say.concern, value: details.message }];
  }
}

const ownRequest = (db: Db) =>
  db
    .select({
      id: requests.id,
      reference: requests.reference,
      type: requests.type,
      status: requests.status,
      details: requests.details,
      receivedAt: requests.receivedAt,
      receivedOn: requests.receivedOn,
      dueOn: requests.dueOn,
      clockStoppedOn: requests.clockStoppedOn,
      closedAt: requests.closedAt,
      version: requests.version,
    })
    .from(requests)
    .where(and(eq(requests.reference, sql.placeholder("reference")), eq(requests.subjectEmail, sql.placeholder("email"))))
    .prepare();

/** Only what the supporter's page reads of each event: not the chain's hashes and salts, which every page would otherwise map. */
const eventsOfRequest = (db: Db) =>
  db
    .select({ at: requestEvents.at, action: requestEvents.action, actorType: requestEvents.actorType, note: requestEvents.note })
    .from(requestEvents)
    .where(eq(requestEvents.requestId, sql.placeholder("requestId")))
    .orderBy(asc(requestEvents.id))
    .prepare();

/**
 * What the supporter reads of each history entry: the words of its kind and,
 * for a step a person took, what they wrote. What the system wrote on the
 * record is staff's account, in English; the supporter reads the same fact
 * in their own language instead.
 */
function historyEntry(
  event: Pick<RequestEvent, "action" | "actorType" | "note">,
  request: Pick<RequestRow, "type" | "details">,
  words: Words,
  orgName: string,
): { what: string; note: string | null } {
  const { action, actorType, note } = event;
  if (action === "message") return { what: actorType === "supporter" ? words("history.yourMessage") : words("history.staffMessage", { orgName }), note };
  const what = hasSupporterWords(action) ? words(`history.events.${action}`) : describeEvent(action);
  // Staff's own record of how identity was checked stays with staff.
  if (action === "recorded") return { what, note: null };
  // A merge's note is staff's account, in English: the catalogue's words for it say the same to the supporter.
  if (action === "merged" || action === "merged_in") return { what, note: null };
  if (action === "downloaded") {
    const format = (Object.keys(DOWNLOAD_NOTES) as Array<keyof typeof DOWNLOAD_NOTES>).find((f) => DOWNLOAD_NOTES[f] === note);
    return { what, note: format ? words(`history.downloadedAs.${format}`) : note };
  }
  if (actorType !== "system" || note === null) return { what, note };
  return { what, note: systemNote(event, request, words) };
}

/** The supporter's words for what the system recorded on their request. */
function systemNote(event: Pick<RequestEvent, "action" | "note">, request: Pick<RequestRow, "type" | "details">, words: Words): string | null {
  const { action } = event;
  const type: RequestType = request.type;
  if (action === "erased") return words("history.systemNotes.erased");
  if (action === "corrected") return words("history.systemNotes.corrected");
  if (action === "filed") return words(event.note === SIGNED_LINKS.preferences.note ? "history.systemNotes.viaPreferences" : "history.systemNotes.viaLink");
  if (action !== "completed") return null;
  switch (type) {
    case "access":
      return words("history.systemNotes.accessReady");
    case "erasure":
      return words("history.systemNotes.erasureDone");
    case "correction":
      return words("history.systemNotes.correctionDone");
    case "unsubscribe": {
      // An unsubscribe that names lists left those only, and says so.
      const lists = (request.details as { lists?: unknown } | null)?.lists;
      return words(Array.isArray(lists) && lists.length > 0 ? "history.systemNotes.unsubscribedSome" : "history.systemNotes.unsubscribed");
    }
    case "concern":
      return null;
  }
}

/** The kinds of event the catalogues have the supporter's words for (every kind the supporter sees; a test keeps it so). */
export function hasSupporterWords(action: string): action is keyof Messages["history"]["events"] {
  return Object.hasOwn(messagesFor(BASE_LANGUAGE).history.events, action);
}

export function getSupporterRequest(
  db: Db,
  input: { reference: string; email: string; timeZone: string; now: Date; orgName: string; language?: Language },
): SupporterRequestView | null {
  const language = input.language ?? BASE_LANGUAGE;
  const words = wordsFor(language);
  const row = preparedOnce(db, "supporterRequest", ownRequest).get({ reference: input.reference, email: input.email });
  if (!row) return null;
  const events = preparedOnce(db, "supporterRequestEvents", eventsOfRequest).all({ requestId: row.id });
  const open = isOpen(row.status);
  return {
    reference: row.reference,
    type: row.type,
    typeLabel: words(`requestTypes.${row.type}.label`),
    status: row.status,
    statusLabel: words(`statuses.${row.status}`),
    receivedAt: row.receivedAt,
    dueOn: row.dueOn,
    open,
    atOnce: movesByItself(row.type),
    canCancel: open && !movesByItself(row.type),
    closedAt: row.closedAt,
    version: row.version,
    deadline: open && !movesByItself(row.type)
      ? deadlineOf(row.receivedOn, row.dueOn, calendarDateIn(input.now, input.timeZone), row.clockStoppedOn)
      : null,
    asked: describeDetails(row.details as RequestDetails, "supporter", language),
    pendingQuestion:
      row.status === "awaiting_supporter" ? (events.filter((e) => e.action === "question").at(-1)?.note ?? null) : null,
    history: events.filter((e) => supporterSeesEvent(e.action)).map((e) => ({ at: e.at, ...historyEntry(e, row, words, input.orgName) })),
  };
}
