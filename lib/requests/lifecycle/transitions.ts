/**
 * The request state machine: one table of allowed moves, each naming who may
 * make it. Anything not in the table is refused and changes nothing.
 */
import type { RequestStatus } from "@/db/schema";
import { describeStatus } from "@/lib/vocabulary/request-statuses";

/** Who makes a move. An auditor is named so the table can refuse them: no move lists one. */
export type Actor = "supporter" | "reviewer" | "admin" | "auditor" | "system";

type Transition = { from: RequestStatus; to: RequestStatus; by: readonly Actor[] };

const STAFF: readonly Actor[] = ["reviewer", "admin"];
const OPEN_STATUSES = ["received", "in_review", "awaiting_supporter", "approved"] as const;
/**
 * What a request merged into another may have reached: nothing was carried
 * out for it. It closes with the one it was merged into, as the system, the
 * same way (lib/requests/lifecycle/duplicates.ts).
 */
export const MERGEABLE_STATUSES = ["received", "in_review", "awaiting_supporter"] as const;
const closedWithMerge = (from: RequestStatus): readonly Actor[] => ((MERGEABLE_STATUSES as readonly RequestStatus[]).includes(from) ? ["system"] : []);

export const TRANSITIONS: readonly Transition[] = [
  { from: "received", to: "in_review", by: STAFF },
  { from: "in_review", to: "awaiting_supporter", by: STAFF },
  { from: "awaiting_supporter", to: "in_review", by: ["supporter", ...STAFF] },
  { from: "in_review", to: "approved", by: STAFF },
  { from: "approved", to: "completed", by: [...STAFF, "system"] },
  // An unsubscribe needs no staff step: it is carried out and closed the moment it is received (and a merged request closes with its own).
  { from: "received", to: "completed", by: ["system"] },
  { from: "in_review", to: "completed", by: ["system"] },
  { from: "awaiting_supporter", to: "completed", by: ["system"] },
  ...OPEN_STATUSES.map((from): Transition => ({ from, to: "denied", by: [...STAFF, ...closedWithMerge(from)] })),
  ...OPEN_STATUSES.map((from): Transition => ({ from, to: "canceled", by: ["supporter", ...STAFF, ...closedWithMerge(from)] })),
];

export function isOpen(status: RequestStatus): boolean {
  return (OPEN_STATUSES as readonly RequestStatus[]).includes(status);
}

export type TransitionCheck =
  | { ok: true }
  | { ok: false; reason: "not_allowed" | "not_permitted"; message: string };

/** Whether `actor` may move a request from `from` to `to`, with a sentence if not. */
export function checkTransition(from: RequestStatus, to: RequestStatus, actor: Actor): TransitionCheck {
  const transition = TRANSITIONS.find((t) => t.from === from && t.to === to);
  if (!transition) {
    return {
      ok: false,
      reason: "not_allowed",
      message: `A request that is ${describeStatus(from)} cannot be ${describeStatus(to)}.`,
    };
  }
  if (!transition.by.includes(actor)) {
    return {
      ok: false,
      reason: "not_permitted",
      message: `You are not allowed to mark this request as ${describeStatus(to)}.`,
    };
  }
  return { ok: true };
}
