/**
 * Staff steps that move a request along without writing to the supporter:
 * starting review and approving.
 */
import type { Db } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { correctionApprovalBlocker } from "@/lib/fulfilment/correction";
import { carryOutApproved } from "@/lib/fulfilment/finish";
import type { PortalContext } from "@/lib/portal/context";
import { applyChange, loadForChange, type ChangeResult, type RequestActor } from "../request-change";

type StepInput = { reference: string; actor: RequestActor; expectedVersion: number; now: Date; note?: string };

export function startReview(db: Db, input: StepInput): ChangeResult {
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    // The table lets staff move awaiting_supporter → in_review, but that move
    // must restart the stopped clock (answerQuestion does); this step would
    // leave it stopped for good.
    if (loaded.request.status === "awaiting_supporter") {
      return { ok: false, reason: "not_allowed", message: "This request is waiting for the supporter's answer; review resumes when they reply." };
    }
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

/** Approving also carries the request out (see lib/fulfilment/finish.ts), in the same transaction. */
export function approveRequest(db: Db, input: StepInput & { ctx: PortalContext }): ChangeResult {
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    if (loaded.request.type === "correction" && loaded.request.status === "in_review") {
      const blocker = correctionApprovalBlocker(tx, loaded.request);
      if (blocker) return { ok: false, reason: "invalid", message: blocker };
    }
    const approved = applyChange(tx, loaded.request, {
      actor: input.actor,
      action: "approved",
      to: "approved",
      now: input.now,
      note: input.note ?? null,
    });
    if (!approved.ok) return approved;
    return { ok: true, request: carryOutApproved(tx, approved.request, { now: input.now, ctx: input.ctx }) };
  });
}
