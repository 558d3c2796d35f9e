/**
 * Possible duplicates: a request from an address that already has an open
 * request of the same type. Both are flagged, each naming the other; staff
 * then merge the later into the earlier (one answer closes both, and the
 * supporter is told once, in it) or keep both. A question still open when
 * either request closes some other way is settled as "closed".
 *
 * The flag is a row in `request_duplicates` per pair, with the request's
 * `possible_duplicate` column kept in step for the queue's filter. Flagging
 * changes no request's version: nothing about the request itself changed,
 * and nobody's open form should go stale because a new one arrived.
 */
import { and, asc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { preparedOnce } from "@/db/prepared";
import type { Executor } from "@/db/connection";
import { requestDuplicates, requests, type DuplicateResolution, type RequestRow, type RequestType } from "@/db/schema";
import { recordEvent } from "./events";

const OPEN = ["received", "in_review", "awaiting_supporter", "approved"] as const;

/** Whether a request has any unsettled question of a duplicate, as the queue's filter reads it. */
function refreshFlag(tx: Executor, requestId: number): void {
  const open = tx
    .select({ id: requestDuplicates.id })
    .from(requestDuplicates)
    .where(and(isNull(requestDuplicates.resolution), or(eq(requestDuplicates.requestId, requestId), eq(requestDuplicates.earlierId, requestId))))
    .limit(1)
    .get();
  tx.update(requests).set({ possibleDuplicate: open !== undefined }).where(eq(requests.id, requestId)).run();
}

/**
 * Flags a request just filed against every open request of the same type
 * from the same address (none that was itself merged away), in the filing's
 * transaction. Returns the earlier requests' references.
 */
export function flagDuplicates(
  tx: Executor,
  input: { request: { id: number; reference: string; type: RequestType; subjectEmail: string }; now: Date },
): string[] {
  const { request, now } = input;
  const earlier = preparedOnce(tx, "duplicates: open requests of the same address and type", (ex) =>
    ex
      .select({ id: requests.id, reference: requests.reference })
      .from(requests)
      .where(
        and(
          eq(requests.subjectEmail, sql.placeholder("email")),
          eq(requests.type, sql.placeholder("type")),
          ne(requests.id, sql.placeholder("id")),
          inArray(requests.status, [...OPEN]),
          isNull(requests.mergedIntoId),
        ),
      )
      .orderBy(asc(requests.receivedAt), asc(requests.id))
      .prepare(),
  ).all({ email: request.subjectEmail, type: request.type, id: request.id });
  for (const other of earlier) {
    tx.insert(requestDuplicates).values({ requestId: request.id, earlierId: other.id, flaggedAt: now }).onConflictDoNothing().run();
    const note = (ref: string) => `Possibly the same as ${ref}: the same address asked for the same thing while both are open. Merge them, or keep both.`;
    recordEvent(tx, { requestId: request.id, at: now, actorType: "system", actorEmail: null, action: "duplicate_flagged", fromStatus: null, toStatus: null, note: note(other.reference) });
    recordEvent(tx, { requestId: other.id, at: now, actorType: "system", actorEmail: null, action: "duplicate_flagged", fromStatus: null, toStatus: null, note: note(request.reference) });
    tx.update(requests).set({ possibleDuplicate: true }).where(inArray(requests.id, [request.id, other.id])).run();
  }
  return earlier.map((e) => e.reference);
}

export type DuplicateQuestion = {
  /** The other request of the pair, and whether it came first. */
  other: { id: number; reference: string; status: RequestRow["status"] };
  otherIsEarlier: boolean;
  flaggedAt: Date;
};

/** The unsettled questions of duplicates this request is part of, oldest first. */
export function openDuplicateQuestions(tx: Executor, requestId: number): DuplicateQuestion[] {
  const rows = tx
    .select({ requestId: requestDuplicates.requestId, earlierId: requestDuplicates.earlierId, flaggedAt: requestDuplicates.flaggedAt })
    .from(requestDuplicates)
    .where(and(isNull(requestDuplicates.resolution), or(eq(requestDuplicates.requestId, requestId), eq(requestDuplicates.earlierId, requestId))))
    .orderBy(asc(requestDuplicates.id))
    .all();
  return rows.flatMap((row) => {
    const otherId = row.requestId === requestId ? row.earlierId : row.requestId;
    const other = tx.select({ id: requests.id, reference: requests.reference, status: requests.status }).from(requests).where(eq(requests.id, otherId)).get();
    return other ? [{ other, otherIsEarlier: row.earlierId === otherId, flaggedAt: row.flaggedAt }] : [];
  });
}

/** The pair's unsettled question, if there is one: `later` flagged against `earlier`. */
export function openPair(tx: Executor, input: { laterId: number; earlierId: number }): { id: number } | undefined {
  return tx
    .select({ id: requestDuplicates.id })
    .from(requestDuplicates)
    .where(and(eq(requestDuplicates.requestId, input.laterId), eq(requestDuplicates.earlierId, input.earlierId), isNull(requestDuplicates.resolution)))
    .get();
}

/** Settles one pair's question, and the flags of both requests with it. */
export function settlePair(tx: Executor, input: { pairId: number; laterId: number; earlierId: number; resolution: DuplicateResolution; by: string | null; now: Date }): void {
  tx.update(requestDuplicates)
    .set({ resolution: input.resolution, resolvedBy: input.by, resolvedAt: input.now })
    .where(eq(requestDuplicates.id, input.pairId))
    .run();
  refreshFlag(tx, input.laterId);
  refreshFlag(tx, input.earlierId);
}

/** A request closed some other way: every question it was part of is settled, and the other requests' flags follow. */
export function settleOnClose(tx: Executor, input: { requestId: number; now: Date }): void {
  const open = tx
    .select({ id: requestDuplicates.id, requestId: requestDuplicates.requestId, earlierId: requestDuplicates.earlierId })
    .from(requestDuplicates)
    .where(and(isNull(requestDuplicates.resolution), or(eq(requestDuplicates.requestId, input.requestId), eq(requestDuplicates.earlierId, input.requestId))))
    .all();
  for (const pair of open) settlePair(tx, { pairId: pair.id, laterId: pair.requestId, earlierId: pair.earlierId, resolution: "closed", by: null, now: input.now });
}

/** The open requests merged into this one, which close with it. */
export function openMergedInto(tx: Executor, requestId: number): RequestRow[] {
  return tx
    .select()
    .from(requests)
    .where(and(eq(requests.mergedIntoId, requestId), inArray(requests.status, [...OPEN])))
    .orderBy(asc(requests.id))
    .all();
}

/** The references of every request merged into this one, for the one email that answers them all. */
export function mergedReferences(tx: Executor, requestId: number): string[] {
  return tx.select({ reference: requests.reference }).from(requests).where(eq(requests.mergedIntoId, requestId)).orderBy(asc(requests.id)).all().map((r) => r.reference);
}

/** The request this one was merged into, if it was. */
export function mergedIntoOf(tx: Executor, request: Pick<RequestRow, "mergedIntoId">): { id: number; reference: string } | null {
  if (request.mergedIntoId === null) return null;
  return tx.select({ id: requests.id, reference: requests.reference }).from(requests).where(eq(requests.id, request.mergedIntoId)).get() ?? null;
}
