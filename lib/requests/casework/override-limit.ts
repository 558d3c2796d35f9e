/**
 * A request a per-supporter limit flagged (under gdpr: a repeat access
 * request within a few months, possibly excessive) stays flagged until staff
 * either refuse it or override the limit with a reason. Both the flag and the
 * override are events on the request's record.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db, Executor } from "@/db/connection";
import { requestEvents, requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { FLAGGED_ACTION, OVERRIDDEN_ACTION } from "../lifecycle/events";
import { applyChange, loadForChange, type ChangeResult, type RequestActor } from "../lifecycle/request-change";

export type LimitFlag = {
  /** Why it was flagged, for staff. */
  note: string;
  /** Set once staff overrode the limit. */
  overridden: { by: string | null; at: Date; reason: string | null } | null;
};

/** The request's limit flag and whether it was overridden since, or null when it was never flagged. */
export function limitFlagOf(db: Executor, reference: string): LimitFlag | null {
  const events = db
    .select({ action: requestEvents.action, note: requestEvents.note, at: requestEvents.at, actorEmail: requestEvents.actorEmail })
    .from(requestEvents)
    .innerJoin(requests, eq(requests.id, requestEvents.requestId))
    .where(and(eq(requests.reference, reference), inArray(requestEvents.action, [FLAGGED_ACTION, OVERRIDDEN_ACTION])))
    .orderBy(desc(requestEvents.id))
    .all();
  const flagged = events.find((e) => e.action === FLAGGED_ACTION);
  if (!flagged) return null;
  const override = events.find((e) => e.action === OVERRIDDEN_ACTION);
  return {
    note: flagged.note ?? "",
    overridden: override ? { by: override.actorEmail, at: override.at, reason: override.note } : null,
  };
}

/** Staff accept a flagged request despite the limit; the reason goes on the record. */
export function overrideLimit(
  db: Db,
  input: { reference: string; expectedVersion: number; actor: RequestActor; reason: string; now: Date },
): ChangeResult {
  if (input.actor.type !== "staff") return { ok: false, reason: "not_permitted", message: "Only staff can override a limit." };
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    const flag = limitFlagOf(tx, input.reference);
    if (!flag || flag.overridden) {
      return { ok: false, reason: "invalid", message: "No limit holds this request back, so there is nothing to override." };
    }
    return applyChange(tx, loaded.request, {
      actor: input.actor,
      action: OVERRIDDEN_ACTION,
      now: input.now,
      note: input.reason,
    });
  });
}
