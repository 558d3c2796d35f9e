/**
 * Staff steps that move a request along without writing to the supporter:
 * starting review and approving.
 */
import type { Db } from "@/db/connection";
import { applyChange, inTransaction, loadForChange, type ChangeResult, type RequestActor } from "../request-change";

type StepInput = { reference: string; actor: RequestActor; expectedVersion: number; now: Date; note?: string };

export function startReview(db: Db, input: StepInput): ChangeResult {
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    const assignSelf = loaded.request.assigneeEmail === null && input.actor.type === "staff";
    return applyChange(tx, loaded.request, {
      actor: input.actor,
      action: "review_started",
      to: "in_review",
      now: input.now,
      // Whoever starts the review takes the request unless someone already has it.
      ...(assignSelf && input.actor.type === "staff" ? { set: { assigneeEmail: input.actor.email } } : {}),
    });
  });
}

export function approveRequest(db: Db, input: StepInput): ChangeResult {
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    return applyChange(tx, loaded.request, {
      actor: input.actor,
      action: "approved",
      to: "approved",
      now: input.now,
      note: input.note ?? null,
    });
  });
}
