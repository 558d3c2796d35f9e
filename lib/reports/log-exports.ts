/**
 * The request log and the event log as CSV records, read in keyset batches
 * (by id, each batch starting after the last id seen), so a million rows
 * never sit in memory at once and batch 1,000 costs what batch 1 costs.
 * Codes, not labels, and UTC instants: the files are for sorting and
 * filtering, and for showing a regulator exactly what is stored.
 */
import { asc, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { requestEvents, requests } from "@/db/schema";
import { csvRecord } from "./csv";

export const EXPORT_BATCH_SIZE = 1000;

export const REQUEST_LOG_COLUMNS = [
  "reference",
  "type",
  "status",
  "channel",
  "subject_email",
  "received_at",
  "received_on",
  "due_on",
  "closed_at",
  "assignee_email",
  "extended",
  "days_clock_stopped",
] as const;

export const EVENT_LOG_COLUMNS = [
  "event_id",
  "reference",
  "at",
  "actor_type",
  "actor_email",
  "action",
  "from_status",
  "to_status",
  "note",
  "hash",
] as const;

/** Calls `fetch` with the last id seen until it returns an empty batch. */
function* inBatches<T extends { id: number }>(fetch: (afterId: number) => T[]): Generator<T> {
  let afterId = 0;
  for (;;) {
    const batch = fetch(afterId);
    if (batch.length === 0) return;
    yield* batch;
    afterId = batch[batch.length - 1]!.id;
  }
}

/** One record per request, oldest first, after a header. */
export function* requestLogRecords(db: Db, batchSize = EXPORT_BATCH_SIZE): Generator<string> {
  yield csvRecord(REQUEST_LOG_COLUMNS);
  const rows = inBatches((afterId) =>
    db
      .select({
        id: requests.id,
        reference: requests.reference,
        type: requests.type,
        status: requests.status,
        channel: requests.channel,
        subjectEmail: requests.subjectEmail,
        receivedAt: requests.receivedAt,
        receivedOn: requests.receivedOn,
        dueOn: requests.dueOn,
        closedAt: requests.closedAt,
        assigneeEmail: requests.assigneeEmail,
        extendedAt: requests.extendedAt,
        daysClockStopped: requests.daysClockStopped,
      })
      .from(requests)
      .where(gt(requests.id, afterId))
      .orderBy(asc(requests.id))
      .limit(batchSize)
      .all(),
  );
  for (const r of rows) {
    yield csvRecord([
      r.reference,
      r.type,
      r.status,
      r.channel,
      r.subjectEmail,
      r.receivedAt,
      r.receivedOn,
      r.dueOn,
      r.closedAt,
      r.assigneeEmail,
      r.extendedAt ? "yes" : "no",
      r.daysClockStopped,
    ]);
  }
}

/** One record per event, in the order they were recorded (the chain's order), after a header. */
export function* eventLogRecords(db: Db, batchSize = EXPORT_BATCH_SIZE): Generator<string> {
  yield csvRecord(EVENT_LOG_COLUMNS);
  const rows = inBatches((afterId) =>
    db
      .select({
        id: requestEvents.id,
        // A left join: an event is exported even if its request row were somehow gone.
        reference: requests.reference,
        at: requestEvents.at,
        actorType: requestEvents.actorType,
        actorEmail: requestEvents.actorEmail,
        action: requestEvents.action,
        fromStatus: requestEvents.fromStatus,
        toStatus: requestEvents.toStatus,
        note: requestEvents.note,
        hash: requestEvents.hash,
      })
      .from(requestEvents)
      .leftJoin(requests, eq(requests.id, requestEvents.requestId))
      .where(gt(requestEvents.id, afterId))
      .orderBy(asc(requestEvents.id))
      .limit(batchSize)
      .all(),
  );
  for (const e of rows) {
    yield csvRecord([e.id, e.reference, e.at, e.actorType, e.actorEmail, e.action, e.fromStatus, e.toStatus, e.note, e.hash]);
  }
}
