/**
 * The request log is append-only and chained: each event stores the hash of
 * the one before it (across all requests) and a hash of its own content.
 * Editing, deleting or slipping in an event anywhere breaks the chain at
 * that point, which `verifyEventChain` finds.
 */
import { createHash } from "node:crypto";
import { asc, desc, gt } from "drizzle-orm";
import type { Db, Executor } from "@/db/connection";
import { requestEvents, type ActorType, type RequestEvent, type RequestStatus } from "@/db/schema";

export type NewEvent = {
  requestId: number;
  at: Date;
  actorType: ActorType;
  actorEmail: string | null;
  action: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  note: string | null;
};

type HashedFields = NewEvent & { id: number; prevHash: string };

/** The hash of an event: its id, content and predecessor, in a fixed order. */
export function eventHash(event: HashedFields): string {
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

/**
 * Appends one event at the end of the chain. Call it inside the transaction
 * that makes the change it records, so the two commit together.
 */
export function appendEvent(tx: Executor, event: NewEvent): RequestEvent {
  const last = tx
    .select({ id: requestEvents.id, hash: requestEvents.hash })
    .from(requestEvents)
    .orderBy(desc(requestEvents.id))
    .limit(1)
    .get();
  const row = { ...event, id: (last?.id ?? 0) + 1, prevHash: last?.hash ?? "" };
  return tx
    .insert(requestEvents)
    .values({ ...row, hash: eventHash(row) })
    .returning()
    .get();
}

export type ChainProblem = {
  eventId: number;
  kind: "changed" | "out_of_order" | "missing_before";
  message: string;
};

export type ChainReport = {
  events: number;
  problem: ChainProblem | null;
  /** The last event's hash: written down elsewhere, it also proves nothing was cut off the end. */
  headHash: string;
};

/** Walks the whole log in order and names the first event that does not fit. */
export function verifyEventChain(db: Db, batchSize = 5000): ChainReport {
  let previous: { id: number; hash: string } | null = null;
  let count = 0;
  for (;;) {
    const batch: RequestEvent[] = db
      .select()
      .from(requestEvents)
      .where(previous ? gt(requestEvents.id, previous.id) : undefined)
      .orderBy(asc(requestEvents.id))
      .limit(batchSize)
      .all();
    if (batch.length === 0) break;
    for (const event of batch) {
      count++;
      const expectedPrev = previous?.hash ?? "";
      // appendEvent numbers events 1, 2, 3, ... with no gaps, so a gap is itself a sign of
      // deletion, even where a forger re-chained the next event to hide it.
      const expectedId: number = (previous?.id ?? 0) + 1;
      if (event.id !== expectedId) {
        return {
          events: count,
          headHash: previous?.hash ?? "",
          problem: {
            eventId: event.id,
            kind: "missing_before",
            message: previous
              ? `Event ${event.id} does not follow event ${previous.id}: the events between them were deleted, or this one was inserted out of order.`
              : `Event ${event.id} is the first in the log, but the log starts at event 1: the events before it were deleted.`,
          },
        };
      }
      if (event.prevHash !== expectedPrev) {
        return {
          events: count,
          headHash: previous?.hash ?? "",
          problem: {
            eventId: event.id,
            kind: "out_of_order",
            message: `Event ${event.id} does not follow the event before it: it was inserted out of order, or an earlier event was deleted or replaced.`,
          },
        };
      }
      if (eventHash(event) !== event.hash) {
        return {
          events: count,
          headHash: previous?.hash ?? "",
          problem: {
            eventId: event.id,
            kind: "changed",
            message: `Event ${event.id} was changed after it was recorded: its content no longer matches its hash.`,
          },
        };
      }
      previous = { id: event.id, hash: event.hash };
    }
  }
  return { events: count, problem: null, headHash: previous?.hash ?? "" };
}
