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
import { preparedOnce } from "@/db/prepared";
import { isoInstant } from "@/lib/calendar/iso-instant";
import { csvRecord, csvText } from "./csv";

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

/**
 * The request log's query, on the raw connection: a million rows of
 * drizzle's row objects and Date objects cost more than the rest of the
 * download, so the columns come as arrays, the instants as milliseconds.
 */
const REQUEST_LOG_BATCH = `select id, reference, type, status, channel, subject_email, received_at, received_on, due_on, closed_at,
  assignee_email, extended_at is not null, days_clock_stopped from requests where id > ? order by id limit ?`;

type RequestLogRow = [number, string, string, string, string, string, number, string, string, number | null, string | null, number, number];

/** A nullable text column, escaped like every other field (csvText neutralises formulas and quotes as needed). */
function text(value: string | null): string {
  return value === null ? "" : csvText(value);
}

function instant(ms: number | null): string {
  return ms === null ? "" : csvText(isoInstant(ms));
}

/** One record per request, oldest first, after a header. */
export function* requestLogRecords(db: Db, batchSize = EXPORT_BATCH_SIZE): Generator<string> {
  yield csvRecord(REQUEST_LOG_COLUMNS);
  const statement = preparedOnce(db, "request-log-export", (d) => d.$client.prepare<[number, number], RequestLogRow>(REQUEST_LOG_BATCH).raw(true));
  let afterId = 0;
  for (;;) {
    const batch = statement.all(afterId, batchSize) as RequestLogRow[];
    if (batch.length === 0) return;
    for (const r of batch) {
      yield `${text(r[1])},${text(r[2])},${text(r[3])},${text(r[4])},${text(r[5])},${instant(r[6])},${text(r[7])},${text(r[8])},${instant(r[9])},${text(r[10])},${r[11] ? "yes" : "no"},${r[12]}\r\n`;
    }
    afterId = batch[batch.length - 1]![0];
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
