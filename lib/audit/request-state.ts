/**
 * The request rows against their events. Every change of a request's
 * status, due date or assignee appends an event recording the request as
 * the change left it (./event-log.ts), so a request's last event says what
 * its row must hold. A row edited in the database without an event no
 * longer agrees, and is named with the position of the event it contradicts.
 *
 * A closed request's closing time must be when the event that closed it was
 * recorded; for a request no event has yet recorded what it is (below), its
 * day of receipt and regime must give the due date its first event recorded;
 * and every event must belong to a request still in the
 * database: a row deleted by hand leaves its events naming a request that is
 * gone.
 *
 * What the request is (its reference, type, address, name, what was asked
 * and the rest of ./request-identity.ts) must be what events recorded of it
 * since it was last reduced on the record: a request whose address or
 * request was rewritten in the database is named, however many events came
 * after the edit.
 *
 * Events written before the log recorded due dates and assignees (a
 * converted old log) say only what their status moves were: such requests
 * are checked for their status alone until their next event. Events written
 * before they recorded what the request is leave it unchecked for that,
 * likewise, until its next event.
 */
import type { Db } from "@/db/connection";
import type { Regime, RequestStatus } from "@/db/schema";
import { dueDateFor } from "@/lib/calendar/deadlines";
import { describeStatus } from "@/lib/vocabulary/request-statuses";
import { describeInstant } from "./verify-chain";
import { identityHash, IDENTITY_COLUMNS, type RequestIdentity } from "./request-identity";
import { REDACTION_ACTIONS_LIKE } from "./redaction";


export type StateProblem = {
  /** The request named; null when it is the request that is gone. */
  reference: string | null;
  /** The event the row contradicts; null when the request has no event at all. */
  eventId: number | null;
  message: string;
};

export type StateReport = {
  requests: number;
  /** Requests whose events predate the recording of due dates and assignees: checked for status only. */
  statusOnly: number;
  /** Requests no event has yet recorded what they are (filed before events did, with no event since): not checked for it. */
  identityUnrecorded: number;
  /** The first problem by position (a request with no event at all comes first), and how many requests disagree in all. */
  problem: StateProblem | null;
  disagreeing: number;
};

/** The statuses that close a request: the change to one of them sets its closing time to its event's. */
const CLOSED: ReadonlySet<RequestStatus> = new Set(["completed", "denied", "canceled"]);

type Row = {
  reference: string;
  type: string;
  subject_email: string;
  subject_name: string | null;
  details: string;
  language: string;
  channel: string;
  identity_check: string | null;
  received_at: number;
  intake_id: string | null;
  identity_salt: string | null;
  /** The event the request's identity is held to: the first to record it since the request was last reduced on the record. */
  identity_event_id: number | null;
  identity_event_hash: string | null;
  status: RequestStatus;
  due_on: string;
  assignee_email: string | null;
  closed_at: number | null;
  received_on: string;
  regime: Regime;
  first_id: number | null;
  first_due_on_after: string | null;
  last_id: number | null;
  status_after: RequestStatus | null;
  due_on_after: string | null;
  assignee_after: string | null;
  last_move: RequestStatus | null;
  last_move_id: number | null;
  last_move_at: number | null;
};

function assigneeWords(email: string | null): string {
  return email ?? "nobody";
}

/**
 * A closed request's closing time against the event that closed it (the
 * change path sets both from the same instant). Named to the minute, or to
 * the millisecond when the two fall in the same minute.
 */
function closingProblem(row: Row): StateProblem | null {
  if (!CLOSED.has(row.status) || row.last_move !== row.status || row.last_move_at === null || row.closed_at === row.last_move_at) return null;
  const recorded = new Date(row.last_move_at);
  const closed = row.closed_at === null ? null : new Date(row.closed_at);
  const sameMinute = closed !== null && describeInstant(closed) === describeInstant(recorded);
  const words = (at: Date) => (sameMinute ? at.toISOString() : describeInstant(at));
  const shown = closed === null ? "has no closing time" : `says it closed on ${words(closed)}`;
  return {
    reference: row.reference,
    eventId: row.last_move_id,
    message:
      `Request ${row.reference} ${shown}, but event ${row.last_move_id}, which closed it, was recorded on ${words(recorded)}: ` +
      "the request was changed outside the record.",
  };
}

/** The regimes as the record's sentences name them. */
const REGIME_WORDS: Record<Regime, string> = { gdpr: "the GDPR", ccpa: "the CCPA-style regime" };

/**
 * The day of receipt against the due date the request's first event
 * recorded: the clock's start decides it (one calendar month, or 45 days),
 * so a day of receipt (or a regime) edited afterwards gives another. Only
 * for requests no event has yet recorded what they are: it works the due
 * date out with today's rules, which a later version may change.
 */
function receiptProblem(row: Row): StateProblem | null {
  if (row.first_id === null || row.first_due_on_after === null) return null;
  const due = dueDateFor(row.received_on, row.regime);
  if (due === row.first_due_on_after) return null;
  return {
    reference: row.reference,
    eventId: row.first_id,
    message:
      `Request ${row.reference} says it was received on ${row.received_on} under ${REGIME_WORDS[row.regime]}, which would make it due on ${due}, ` +
      `but event ${row.first_id}, which recorded its arrival, made it due on ${row.first_due_on_after}: the request was changed outside the record.`,
  };
}

/** What the request is, as its row holds it, in the fields ./request-identity.ts hashes. */
function identityOf(row: Row): RequestIdentity {
  return {
    reference: row.reference,
    type: row.type,
    subjectEmail: row.subject_email,
    subjectName: row.subject_name,
    details: row.details,
    language: row.language,
    channel: row.channel,
    identityCheck: row.identity_check,
    regime: row.regime,
    receivedAt: row.received_at,
    receivedOn: row.received_on,
    intakeId: row.intake_id,
  };
}

/**
 * The request's row against what the event that first recorded it (since
 * its last reduction on the record) committed to: any edit of what it is, or
 * of the salt that hashes it, no longer matches.
 */
function identityProblem(row: Row): StateProblem | null {
  if (row.identity_event_id === null || row.identity_event_hash === null) return null;
  if (row.identity_salt !== null && identityHash(row.identity_salt, identityOf(row)) === row.identity_event_hash) return null;
  return {
    reference: row.reference,
    eventId: row.identity_event_id,
    message:
      `Request ${row.reference} is no longer what event ${row.identity_event_id} recorded it to be: its reference, type, address, name, what was asked, ` +
      "language, channel, identity check, regime, time or day of receipt or intake id was changed outside the record.",
  };
}

/** What is wrong with one request, if anything. */
function problemOf(row: Row): StateProblem | null {
  const { reference } = row;
  if (row.last_id === null) {
    return { reference, eventId: null, message: `Request ${reference} has no events: it was added to the database outside the record.` };
  }
  if (row.status_after === null) {
    if (row.last_move !== null && row.last_move !== row.status) {
      return {
        reference,
        eventId: row.last_move_id,
        message:
          `Request ${reference} is ${describeStatus(row.status)}, but event ${row.last_move_id}, its last change of status, left it ${describeStatus(row.last_move)}: ` +
          "the request was changed outside the record.",
      };
    }
    return identityProblem(row);
  }
  const event = row.last_id;
  const differences: string[] = [];
  if (row.status !== row.status_after) differences.push(`is ${describeStatus(row.status)}, but event ${event}, its last, left it ${describeStatus(row.status_after)}`);
  if (row.due_on !== row.due_on_after) differences.push(`is due on ${row.due_on}, but event ${event}, its last, left it due on ${row.due_on_after ?? "no date"}`);
  if (row.assignee_email !== row.assignee_after) {
    differences.push(`is assigned to ${assigneeWords(row.assignee_email)}, but event ${event}, its last, left it assigned to ${assigneeWords(row.assignee_after)}`);
  }
  // A request whose events record what it is is held to that, day of receipt and regime included; the due date
  // worked out again from them is the check only for those no event has yet recorded (it depends on today's rules).
  if (differences.length === 0) return closingProblem(row) ?? (row.identity_event_id !== null ? identityProblem(row) : receiptProblem(row));
  return { reference, eventId: event, message: `Request ${reference} ${differences.join("; it ")}: the request was changed outside the record.` };
}

/** Requests read at a time: between batches the async walk gives way to the server's other work. */
const STATE_BATCH = 5000;

type BatchRow = Row & { id: number };

const IDENTITY_SQL = Object.values(IDENTITY_COLUMNS)
  // Those the query reads anyway, below, are not named twice.
  .filter((column) => column !== "reference" && column !== "regime" && column !== "received_on")
  .map((column) => `r.${column}`)
  .join(", ");

/**
 * A batch of requests after `afterId`, in id order, each with its first and
 * last event, its last change of status, and the event its identity is held
 * to: the last removal on the record that committed to it, else the first
 * event that did (only the event that gave the request its identity salt
 * commits to it). The batch's events are read in one walk of
 * request_events_request_idx, each once.
 */
function readStates(db: Db, afterId: number, limit: number): BatchRow[] {
  const last = db.$client
    .prepare<[number, number], number | null>("select max(id) from (select id from requests where id > ? order by id limit ?)")
    .pluck()
    .get(afterId, limit);
  if (last === null || last === undefined) return [];
  return db.$client
    .prepare<{ after: number; last: number }, BatchRow>(
      `with agg as (
         select request_id, min(id) as first_id, max(id) as last_id,
                max(case when to_status is not null then id end) as last_move_id,
                coalesce(max(case when identity_hash is not null and action like '${REDACTION_ACTIONS_LIKE}' then id end),
                         min(case when identity_hash is not null then id end)) as identity_event_id
           from request_events
          where request_id > :after and request_id <= :last
          group by request_id)
       select r.id, r.reference, r.status, r.due_on, r.assignee_email, r.closed_at, r.received_on, r.regime,
              ${IDENTITY_SQL}, r.identity_salt,
              i.id as identity_event_id, i.identity_hash as identity_event_hash,
              f.id as first_id, f.due_on_after as first_due_on_after,
              e.id as last_id, e.status_after, e.due_on_after, e.assignee_after,
              m.to_status as last_move, m.id as last_move_id, m.at as last_move_at
         from requests r
         left join agg on agg.request_id = r.id
         left join request_events f on f.id = agg.first_id
         left join request_events e on e.id = agg.last_id
         left join request_events m on m.id = agg.last_move_id
         left join request_events i on i.id = agg.identity_event_id
        where r.id > :after and r.id <= :last
        order by r.id`,
    )
    .all({ after: afterId, last });
}

/** The count so far, fed a batch of requests at a time. */
class StateTally {
  private report: StateReport = { requests: 0, statusOnly: 0, identityUnrecorded: 0, problem: null, disagreeing: 0 };

  take(rows: readonly Row[]): void {
    for (const row of rows) {
      this.report.requests++;
      if (row.last_id !== null && row.status_after === null) this.report.statusOnly++;
      if (row.last_id !== null && row.identity_event_id === null) this.report.identityUnrecorded++;
      this.note(problemOf(row));
    }
  }

  /** A problem found; the one named is the earliest in the log. */
  note(problem: StateProblem | null): void {
    if (!problem) return;
    this.report.disagreeing++;
    const first = this.report.problem;
    if (first === null || (problem.eventId ?? 0) < (first.eventId ?? 0)) this.report.problem = problem;
  }

  finish(db: Db): StateReport {
    for (const gone of requestsGone(db)) this.note(gone);
    return this.report;
  }
}

/** Every request, a batch at a time, in id order. */
function* stateBatches(db: Db, batchSize = STATE_BATCH): Generator<BatchRow[]> {
  for (let afterId = 0; ; ) {
    const batch = readStates(db, afterId, batchSize);
    if (batch.length === 0) return;
    yield batch;
    afterId = batch[batch.length - 1]!.id;
  }
}

/** Checks every request, a batch at a time. */
export function verifyRequestStates(db: Db, options: { batchSize?: number } = {}): StateReport {
  const tally = new StateTally();
  for (const batch of stateBatches(db, options.batchSize)) tally.take(batch);
  return tally.finish(db);
}

/**
 * The same, giving way to other work between batches: for the running
 * server's daily checks (a million requests take seconds, which no page
 * should wait behind).
 */
export async function verifyRequestStatesAsync(db: Db, options: { batchSize?: number } = {}): Promise<StateReport> {
  const tally = new StateTally();
  for (const batch of stateBatches(db, options.batchSize)) {
    tally.take(batch);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return tally.finish(db);
}

/**
 * Events whose request is no longer in the database: the request was
 * deleted by hand (Rightsdesk never deletes one). One walk of the covering
 * index of events by request, with a look-up of each request by its id.
 */
function requestsGone(db: Db): StateProblem[] {
  const rows = db.$client
    .prepare<[], { request_id: number; first_id: number; last_id: number; events: number }>(
      `select e.request_id, min(e.id) as first_id, max(e.id) as last_id, count(*) as events
         from request_events e
        where e.request_id not in (select id from requests)
        group by e.request_id`,
    )
    .all();
  return rows.map((row) => {
    const which = row.events === 1 ? `Event ${row.first_id} is` : `Events ${row.first_id} to ${row.last_id} (${row.events} in all) are`;
    return {
      reference: null,
      eventId: row.first_id,
      message: `${which} about a request that is no longer in the database (its number was ${row.request_id}): the request was deleted outside the record.`,
    };
  });
}
