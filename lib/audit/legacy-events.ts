/**
 * Logs written before notes could be removed hashed each note straight into
 * the chain, so no note could ever leave without breaking it. Migration
 * converts such a log once: it checks the old chain by the old rule first
 * (a broken one is refused, never laundered into a fresh chain), then gives
 * every event a salted commitment to its note and re-hashes the chain the
 * current way, all in one transaction. The old head hash is kept in
 * `event_log_conversions`, so anyone who wrote it down can see what became
 * of it.
 */
import { createHash } from "node:crypto";
import type { Db } from "@/db/connection";
import type { ActorType, RequestStatus } from "@/db/schema";
import { inRawTransaction } from "@/db/transaction";
import { contentHash, eventHash, newSalt } from "./event-log";

type LegacyRow = {
  id: number;
  request_id: number;
  at: number;
  actor_type: ActorType;
  actor_email: string | null;
  action: string;
  from_status: RequestStatus | null;
  to_status: RequestStatus | null;
  note: string | null;
  prev_hash: string;
  hash: string;
  content_hash: string | null;
};

type LegacyFields = {
  id: number;
  prevHash: string;
  requestId: number;
  at: Date;
  actorType: ActorType;
  actorEmail: string | null;
  action: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  note: string | null;
};

/** The hash an event had under the first format: the note itself was hashed into the chain. */
export function legacyEventHash(event: LegacyFields): string {
  const content = JSON.stringify([
    event.id,
    event.prevHash,
    event.requestId,
    event.at.getTime(),
    event.actorType,
    event.actorEmail,
    event.action,
    event.fromStatus,
    event.toStatus,
    event.note,
  ]);
  return createHash("sha256").update(content).digest("hex");
}

/** Thrown when an old log cannot be converted; its message is the one sentence to show. */
export class LegacyLogError extends Error {
  override name = "LegacyLogError";
}

const BATCH = 5000;

/** Converts an old log, if this database holds one; returns how many events were converted. */
export function convertLegacyEvents(db: Db, now: Date = new Date()): number {
  const sqlite = db.$client;
  const waiting = sqlite.prepare("select 1 from request_events where content_hash is null limit 1").get();
  if (!waiting) return 0;
  return inRawTransaction(sqlite, () => {
    const read = sqlite.prepare<[number, number], LegacyRow>(
      "select id, request_id, at, actor_type, actor_email, action, from_status, to_status, note, prev_hash, hash, content_hash from request_events where id > ? order by id limit ?",
    );
    const write = sqlite.prepare("update request_events set content_salt = ?, content_hash = ?, prev_hash = ?, hash = ? where id = ?");
    let legacyPrevious = "";
    let previous = "";
    let count = 0;
    let afterId = 0;
    for (;;) {
      const rows = read.all(afterId, BATCH);
      if (rows.length === 0) break;
      for (const row of rows) {
        const expectedId = count + 1;
        const fields: LegacyFields = {
          id: row.id,
          prevHash: row.prev_hash,
          requestId: row.request_id,
          at: new Date(row.at),
          actorType: row.actor_type,
          actorEmail: row.actor_email,
          action: row.action,
          fromStatus: row.from_status,
          toStatus: row.to_status,
          note: row.note,
        };
        if (row.content_hash !== null) {
          throw new LegacyLogError(`The request log cannot be converted to the current format: event ${row.id} is in the current format although earlier or later events are not.`);
        }
        if (row.id !== expectedId || row.prev_hash !== legacyPrevious || legacyEventHash(fields) !== row.hash) {
          throw new LegacyLogError(
            `The request log cannot be converted to the current format: event ${row.id} does not fit the chain as it was written, so the log was changed. ` +
              "Restore the database from a backup made before the change.",
          );
        }
        legacyPrevious = row.hash;
        const salt = newSalt();
        const committed = contentHash(salt, row.note);
        const hash = eventHash({ ...fields, prevHash: previous, statusAfter: null, dueOnAfter: null, assigneeAfter: null, contentHash: committed, identityHash: null });
        write.run(salt, committed, previous, hash, row.id);
        previous = hash;
        count++;
      }
      afterId = rows[rows.length - 1]!.id;
    }
    sqlite
      .prepare("insert into event_log_conversions (converted_at, events, legacy_head_hash, head_hash) values (?, ?, ?, ?)")
      .run(now.getTime(), count, legacyPrevious, previous);
    return count;
  });
}
