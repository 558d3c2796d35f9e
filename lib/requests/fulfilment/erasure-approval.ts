/**
 * The control before an erasure: approving one deletes at once and cannot be
 * undone, so the approver confirms having seen what goes and what stays, and
 * where the organisation asks for it (lib/org/approval-policy.ts) a second,
 * different staff member must approve too. Both approvals are on the record.
 */
import { desc, eq } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { requestEvents, type RequestRow } from "@/db/schema";
import { formatInstant } from "@/lib/calendar/format";
import { loadApprovalPolicy } from "@/lib/org/approval-policy";

/** The event of the first of two approvals; staff-only, since nothing has happened to the supporter's data yet. */
export const FIRST_APPROVAL_ACTION = "erasure_first_approval";

/** Said to an approval that erases (the only one, or the second of two) without its box ticked. */
export const CONFIRM_ERASURE_MESSAGE =
  "Tick the box to confirm you have checked what will be deleted and what will be kept: approving erases at once, and it cannot be undone.";

/** Said to the first of two approvals without its box ticked: it erases nothing itself, so it must not say it does. */
export const CONFIRM_FIRST_APPROVAL_MESSAGE =
  "Tick the box to confirm you have checked what will be deleted and what will be kept once a different staff member gives the second approval, which cannot be undone.";

export type FirstApproval = { by: string; at: Date };

/**
 * The first approval that still stands: the latest one, unless the request
 * changed status since (a question to the supporter, say), which calls for a
 * fresh look.
 */
export function standingFirstApproval(tx: Executor, requestId: number): FirstApproval | null {
  const events = tx
    .select({ action: requestEvents.action, actorEmail: requestEvents.actorEmail, at: requestEvents.at, toStatus: requestEvents.toStatus })
    .from(requestEvents)
    .where(eq(requestEvents.requestId, requestId))
    .orderBy(desc(requestEvents.id))
    .all();
  for (const event of events) {
    if (event.action === FIRST_APPROVAL_ACTION) return event.actorEmail ? { by: event.actorEmail, at: event.at } : null;
    if (event.toStatus !== null) return null;
  }
  return null;
}

export type ErasureApprovalStep =
  /** Not an erasure under review: the usual approval (and its checks) apply. */
  | { kind: "not_erasure" }
  | { kind: "refused"; message: string }
  /** Record this approval as the first of two; nothing is erased yet. */
  | { kind: "first" }
  /** Approve and carry out; the note names the first approver, when there was one. */
  | { kind: "final"; note: string | null };

/** What an approval of `request` by `approverEmail` does now. */
export function erasureApprovalStep(
  tx: Executor,
  request: RequestRow,
  input: { approverEmail: string; confirmed: boolean; timeZone: string },
): ErasureApprovalStep {
  if (request.type !== "erasure" || request.status !== "in_review") return { kind: "not_erasure" };
  const first = loadApprovalPolicy(tx).erasureNeedsTwoApprovals ? { given: standingFirstApproval(tx, request.id) } : null;
  if (first?.given && first.given.by === input.approverEmail) {
    return { kind: "refused", message: "You gave the first approval; a different staff member must give the second before anything is erased." };
  }
  if (!input.confirmed) return { kind: "refused", message: first && !first.given ? CONFIRM_FIRST_APPROVAL_MESSAGE : CONFIRM_ERASURE_MESSAGE };
  if (!first) return { kind: "final", note: null };
  if (!first.given) return { kind: "first" };
  return { kind: "final", note: `Second approval. First approval by ${first.given.by} on ${formatInstant(first.given.at, input.timeZone)}.` };
}
