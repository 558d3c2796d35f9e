/**
 * The event stream: the request log read after a cursor, each event of a
 * public kind as a reference and a kind. The log's ids run 1, 2, 3 … without
 * gaps and commit in order (lib/audit/event-log.ts), so "after id N" misses
 * nothing and repeats nothing, whenever it is read.
 */
import { and, asc, eq, gt, inArray, isNotNull, lte, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { requestEvents, requests, type RequestStatus, type RequestType } from "@/db/schema";
import { MAPPED_ACTIONS, publicKindOf, type PublicEventKind } from "./event-kinds";
import type { ApiEvent } from "./schemas";

export type LoggedEvent = {
  id: number;
  at: Date;
  action: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  requestId: number;
  reference: string;
  type: RequestType;
  intakeId: string | null;
};

/** The most events one read looks through, so a page with a narrow filter still answers quickly. */
export const SCAN_WINDOW = 5000;

/** Logged events after `after`, up to `until`, that can be public (a status move, or one of the mapped actions). */
export function loggedEventsAfter(db: Executor, input: { after: number; until: number; limit?: number }): LoggedEvent[] {
  const query = db
    .select({
      id: requestEvents.id,
      at: requestEvents.at,
      action: requestEvents.action,
      fromStatus: requestEvents.fromStatus,
      toStatus: requestEvents.toStatus,
      requestId: requestEvents.requestId,
      reference: requests.reference,
      type: requests.type,
      intakeId: requests.intakeId,
    })
    .from(requestEvents)
    .innerJoin(requests, eq(requests.id, requestEvents.requestId))
    .where(
      and(
        gt(requestEvents.id, input.after),
        lte(requestEvents.id, input.until),
        or(isNotNull(requestEvents.toStatus), inArray(requestEvents.action, MAPPED_ACTIONS)),
      ),
    )
    .orderBy(asc(requestEvents.id));
  return input.limit === undefined ? query.all() : query.limit(input.limit).all();
}

export function lastEventId(db: Executor): number {
  return db.select({ id: sql<number | null>`max(${requestEvents.id})` }).from(requestEvents).get()?.id ?? 0;
}

export function publicEventOf(event: LoggedEvent, kind: PublicEventKind): ApiEvent {
  return {
    id: String(event.id),
    kind,
    at: event.at.toISOString(),
    reference: event.reference,
    type: event.type,
    to_status: event.toStatus,
    intake_id: kind === "request.received" ? event.intakeId : null,
  };
}

/**
 * A page of the stream after `after`. It looks through at most SCAN_WINDOW
 * logged events, so `next_after` moves on even where none of them is of the
 * kinds asked for; a caller keeps asking with it until a page comes back
 * empty at the end.
 */
export function readEventStream(
  db: Executor,
  input: { after: number; limit: number; kinds: readonly PublicEventKind[] | null },
): { events: ApiEvent[]; next_after: string } {
  const head = lastEventId(db);
  const until = Math.min(head, input.after + SCAN_WINDOW);
  const logged = loggedEventsAfter(db, { after: input.after, until, limit: input.kinds ? undefined : input.limit });
  const events: ApiEvent[] = [];
  let reached = until;
  for (const event of logged) {
    const kind = publicKindOf(event);
    if (!kind || (input.kinds && !input.kinds.includes(kind))) continue;
    events.push(publicEventOf(event, kind));
    if (events.length === input.limit) {
      reached = event.id;
      break;
    }
  }
  return { events, next_after: String(Math.max(input.after, reached)) };
}
