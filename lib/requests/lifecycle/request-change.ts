/**
 * The one path by which a request changes: load it, check the caller may
 * act and that nobody changed it meanwhile, apply the change, append the
 * event. Every workflow operation is a thin use of these.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Executor, Tx } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { requests, type RequestRow, type RequestStatus, type StaffRole } from "@/db/schema";
import { checkTransition, type Actor } from "@/lib/requests/lifecycle/transitions";
import { movesByItself } from "@/lib/vocabulary/request-types";
import { describeStatus } from "@/lib/vocabulary/request-statuses";
import { mergedIntoOf, openMergedInto, settleOnClose } from "./duplicates";
import { checkEventData, recordEvent, type EventKind } from "./events";

export type RequestActor =
  | { type: "staff"; email: string; role: StaffRole }
  | { type: "supporter"; email: string }
  | { type: "system" };

export type ChangeFailure = {
  ok: false;
  reason: "not_found" | "not_allowed" | "not_permitted" | "changed" | "invalid";
  message: string;
};
export type ChangeResult = { ok: true; request: RequestRow } | ChangeFailure;

export function actorRole(actor: RequestActor): Actor {
  return actor.type === "staff" ? actor.role : actor.type;
}

/**
 * Staff are named in the log; a supporter is not, because the request already
 * says whose it is, and the chained log cannot forget an address once written
 * (an erased supporter's address must leave every table).
 */
export function actorEmail(actor: RequestActor): string | null {
  return actor.type === "staff" ? actor.email : null;
}

export const NOT_FOUND_MESSAGE = "We could not find that request.";
export const UNSUBSCRIBE_MOVES_ITSELF =
  "An unsubscribe needs no staff step and cannot be refused or withdrawn: it was carried out when it arrived, and completes by itself once every connected system has answered.";
export const AUDITOR_MESSAGE = "Auditors can see every request and its history, but cannot change anything.";

/** A request's whole row by its id, with a statement prepared once per connection: every change reads one. */
export function requestById(tx: Executor, id: number): RequestRow | undefined {
  return preparedOnce(tx, "requests: one by id", (ex) => ex.select().from(requests).where(eq(requests.id, sql.placeholder("id"))).prepare()).get({ id });
}

/** The same by its reference. */
export function requestByReference(tx: Executor, reference: string): RequestRow | undefined {
  return preparedOnce(tx, "requests: one by reference", (ex) =>
    ex.select().from(requests).where(eq(requests.reference, sql.placeholder("reference"))).prepare(),
  ).get({ reference });
}

/**
 * Loads a request for a change. A supporter may only reach their own; a
 * stale `expectedVersion` means someone else acted first.
 */
export function loadForChange(
  tx: Tx,
  input: { reference: string; actor: RequestActor; expectedVersion?: number },
): { ok: true; request: RequestRow } | ChangeFailure {
  const request = requestByReference(tx, input.reference);
  if (!request || (input.actor.type === "supporter" && request.subjectEmail !== input.actor.email)) {
    return { ok: false, reason: "not_found", message: NOT_FOUND_MESSAGE };
  }
  if (input.expectedVersion !== undefined && request.version !== input.expectedVersion) {
    return changedFailure(request);
  }
  return { ok: true, request };
}

function changedFailure(request: RequestRow): ChangeFailure {
  return {
    ok: false,
    reason: "changed",
    message: `Someone else changed this request while you were looking at it; it is now ${describeStatus(request.status)}. Check it and try again.`,
  };
}

type Columns = Partial<Omit<typeof requests.$inferInsert, "id" | "version" | "reference">>;

/**
 * Writes a change and its event. `to` moves the status (checked against the
 * transition table); without it the status stays and only the record grows.
 */
export function applyChange(
  tx: Tx,
  request: RequestRow,
  change: { actor: RequestActor; action: EventKind; now: Date; to?: RequestStatus; note?: string | null; set?: Columns },
): ChangeResult {
  // A change whose event would not fit its kind is a mistake in the code: it stops before anything is written.
  checkEventData(change.action, change.note ?? null);
  // An auditor reads the record and changes nothing, whatever the change: a status, a note, an assignment.
  if (change.actor.type === "staff" && change.actor.role === "auditor") {
    return { ok: false, reason: "not_permitted", message: AUDITOR_MESSAGE };
  }
  // A request merged into another is worked through that one, and closes with it (below).
  const mergedInto = change.actor.type === "system" ? null : mergedIntoOf(tx, request);
  if (mergedInto) {
    return { ok: false, reason: "not_allowed", message: `This request was merged into ${mergedInto.reference} and closes with it. Work on ${mergedInto.reference} instead.` };
  }
  if (movesByItself(request.type) && change.to !== undefined && change.actor.type !== "system") {
    return { ok: false, reason: "not_allowed", message: UNSUBSCRIBE_MOVES_ITSELF };
  }
  if (change.to !== undefined) {
    const check = checkTransition(request.status, change.to, actorRole(change.actor));
    if (!check.ok) return { ok: false, reason: check.reason, message: check.message };
  }
  const closing = change.to === "completed" || change.to === "denied" || change.to === "canceled";
  const updated = tx
    .update(requests)
    .set({
      ...change.set,
      ...(change.to !== undefined ? { status: change.to } : {}),
      ...(closing ? { closedAt: change.now, clockStoppedOn: null } : {}),
      version: request.version + 1,
      updatedAt: change.now,
    })
    .where(and(eq(requests.id, request.id), eq(requests.version, request.version)))
    .returning()
    .get();
  if (!updated) {
    const current = requestById(tx, request.id);
    return current ? changedFailure(current) : { ok: false, reason: "not_found", message: NOT_FOUND_MESSAGE };
  }
  recordEvent(tx, {
    requestId: request.id,
    at: change.now,
    actorType: change.actor.type,
    actorEmail: actorEmail(change.actor),
    action: change.action,
    fromStatus: change.to !== undefined ? request.status : null,
    toStatus: change.to ?? null,
    note: change.note ?? null,
  });
  if (!closing) return { ok: true, request: updated };
  closeTogether(tx, updated, { to: change.to as "completed" | "denied" | "canceled", now: change.now });
  // Settling a question of a duplicate clears the request's flag: hand back the row as it now is.
  return { ok: true, request: updated.possibleDuplicate ? (requestById(tx, updated.id) ?? updated) : updated };
}

const SYSTEM_ACTOR: RequestActor = { type: "system" };

/**
 * A request has closed: any question of a duplicate it was part of is
 * settled, and the requests merged into it close with it, the same way and
 * each on its own record. Their supporter is told once, in this request's
 * email, which names them.
 */
function closeTogether(tx: Tx, closed: RequestRow, input: { to: "completed" | "denied" | "canceled"; now: Date }): void {
  settleOnClose(tx, { requestId: closed.id, now: input.now });
  for (const merged of openMergedInto(tx, closed.id)) {
    const result = applyChange(tx, merged, {
      actor: SYSTEM_ACTOR,
      action: input.to,
      to: input.to,
      now: input.now,
      note: `Closed with ${closed.reference}, into which it was merged: that request's answer answers this one.`,
    });
    if (!result.ok) throw new Error(`Could not close ${merged.reference} with ${closed.reference}: ${result.message}`);
  }
}
