/**
 * Staff steps that move a request along without writing to the supporter:
 * starting review and approving.
 */
import type { Db } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { correctionApprovalBlocker } from "@/lib/requests/fulfilment/correction";
import { erasureApprovalStep, FIRST_APPROVAL_ACTION } from "@/lib/requests/fulfilment/erasure-approval";
import { carryOutApproved } from "@/lib/requests/fulfilment/finish";
import type { PortalContext } from "@/lib/settings/portal-context";
import { applyChange, loadForChange, type ChangeResult, type RequestActor } from "../lifecycle/request-change";

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

/**
 * Approving also carries the request out (see lib/requests/fulfilment/finish.ts), in
 * the same transaction. An erasure must be confirmed, and where the policy
 * asks for two approvals the first is only recorded (see
 * lib/requests/fulfilment/erasure-approval.ts): the request stays in review.
 */
export function approveRequest(db: Db, input: StepInput & { ctx: PortalContext; confirmedErasure?: boolean }): ChangeResult {
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    if (loaded.request.type === "correction" && loaded.request.status === "in_review") {
      const blocker = correctionApprovalBlocker(tx, loaded.request);
      if (blocker) return { ok: false, reason: "invalid", message: blocker };
    }
    let note = input.note ?? null;
    if (input.actor.type === "staff") {
      const step = erasureApprovalStep(tx, loaded.request, { approverEmail: input.actor.email, confirmed: input.confirmedErasure === true, timeZone: input.ctx.timeZone });
      if (step.kind === "refused") return { ok: false, reason: "invalid", message: step.message };
      if (step.kind === "first") {
        return applyChange(tx, loaded.request, {
          actor: input.actor,
          action: FIRST_APPROVAL_ACTION,
          now: input.now,
          note: "First of two approvals. Nothing is erased until a second staff member approves.",
        });
      }
      if (step.kind === "final" && step.note) note = note ? `${step.note} ${note}` : step.note;
    }
    const approved = applyChange(tx, loaded.request, {
      actor: input.actor,
      action: "approved",
      to: "approved",
      now: input.now,
      note,
    });
    if (!approved.ok) return approved;
    return { ok: true, request: carryOutApproved(tx, approved.request, { now: input.now, ctx: input.ctx }) };
  });
}
