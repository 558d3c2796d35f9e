"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { isDenialReason, recordDenialReason } from "@/lib/api/drp/denial";
import type { RequestRow } from "@/db/schema";
import type { StaffViewer } from "@/lib/auth/load-viewer";
import { SELF_COMPLETING } from "@/lib/requests/lifecycle/completion-gate";
import type { ChangeResult, RequestActor } from "@/lib/requests/lifecycle/request-change";
import { addInternalNote } from "@/lib/requests/casework/add-internal-note";
import { askSupporter } from "@/lib/requests/casework/ask-supporter";
import { assignRequest } from "@/lib/requests/casework/assign-request";
import { answerConcern, cancelRequestByStaff, denyRequest } from "@/lib/requests/casework/close-request";
import { keepBothRequests, mergeDuplicate } from "@/lib/requests/casework/duplicate-decision";
import { extendDeadline } from "@/lib/requests/casework/extend-deadline";
import { overrideLimit } from "@/lib/requests/casework/override-limit";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import {
  parseApproval,
  parseAssignment,
  parseCompletion,
  parseDuplicateDecision,
  parseExtension,
  parseNote,
  parseOverride,
  parseQuestion,
  parseReason,
  parseStep,
} from "@/lib/requests/casework/staff-forms";
import { formAction, type ActionState } from "@/server/action";
import { getPortalContext } from "@/server/settings";
import { kickWorker } from "@/server/worker";


function actor(viewer: StaffViewer): RequestActor {
  return { type: "staff", email: viewer.email, role: viewer.role };
}

/**
 * Success reloads the page with a notice. A conflict reloads it too, showing
 * the request as it now is (the form acted on may no longer be there); other
 * refusals stay on the form that was used, with the reason.
 */
function finish(result: ChangeResult, reference: string, done: string): ActionState {
  if (result.ok) {
    kickWorker();
    redirect(`/staff/requests/${reference}?done=${done}`);
  }
  if (result.reason === "changed") redirect(`/staff/requests/${reference}?conflict=1`);
  revalidatePath(`/staff/requests/${reference}`);
  return { ok: false, message: result.message };
}

const staffOnly = "staff" as const;

export const startReviewAction = formAction(
  { access: staffOnly, parse: parseStep },
  (input, viewer) => finish(startReview(getDb(), { ...input, actor: actor(viewer), now: new Date() }), input.reference, "review_started"),
);

export const approveAction = formAction(
  { access: staffOnly, parse: parseApproval },
  (input, viewer) => {
    const result = approveRequest(getDb(), { ...input, actor: actor(viewer), now: new Date(), ctx: getPortalContext() });
    return finish(result, input.reference, result.ok ? approvalNotice(result.request) : "approved");
  },
);

/**
 * Access, correction and erasure are carried out on approval and complete
 * themselves, at once or when the last outside system's task is done. An
 * erasure still in review after an approval has its first of two.
 */
function approvalNotice(request: RequestRow): string {
  if (request.status === "completed") return "carried_out";
  if (request.status === "in_review") return "first_approval";
  return SELF_COMPLETING.has(request.type) ? "awaiting_tasks" : "approved";
}

export const askAction = formAction(
  { access: staffOnly, parse: parseQuestion },
  (input, viewer) =>
    finish(askSupporter(getDb(), { ...input, actor: actor(viewer), now: new Date(), ctx: getPortalContext() }), input.reference, "question"),
);

export const extendAction = formAction(
  { access: staffOnly, parse: parseExtension },
  (input, viewer) =>
    finish(extendDeadline(getDb(), { ...input, actor: actor(viewer), now: new Date(), ctx: getPortalContext() }), input.reference, "extended"),
);

/** A concern is answered and closed in one step (see answerConcern). */
export const answerConcernAction = formAction(
  { access: staffOnly, parse: parseCompletion },
  (input, viewer) =>
    finish(
      answerConcern(getDb(), { ...input, note: input.answer, actor: actor(viewer), now: new Date(), ctx: getPortalContext() }),
      input.reference,
      "answered",
    ),
);

export const denyAction = formAction(
  {
    access: staffOnly,
    // For a request from an authorised agent, the Data Rights Protocol's reason too (chosen from a fixed list; anything else is "other").
    parse: (input) => {
      const parsed = parseReason(input);
      return parsed.ok ? { ok: true as const, value: { ...parsed.value, drpReason: isDenialReason(input.drpReason) ? input.drpReason : null } } : parsed;
    },
  },
  (input, viewer) => {
    const db = getDb();
    const result = denyRequest(db, { ...input, note: input.reason, actor: actor(viewer), now: new Date(), ctx: getPortalContext() });
    if (result.ok && input.drpReason) recordDenialReason(db, { reference: input.reference, reason: input.drpReason });
    return finish(result, input.reference, "denied");
  },
);

export const cancelAction = formAction(
  { access: staffOnly, parse: parseReason },
  (input, viewer) =>
    finish(
      cancelRequestByStaff(getDb(), { ...input, note: input.reason, actor: actor(viewer), now: new Date(), ctx: getPortalContext() }),
      input.reference,
      "canceled",
    ),
);

export const assignAction = formAction(
  { access: staffOnly, parse: parseAssignment },
  (input, viewer) => finish(assignRequest(getDb(), { ...input, actor: actor(viewer), now: new Date() }), input.reference, "assigned"),
);

export const noteAction = formAction(
  { access: staffOnly, parse: parseNote },
  (input, viewer) => finish(addInternalNote(getDb(), { ...input, actor: actor(viewer), now: new Date() }), input.reference, "noted"),
);

export const overrideLimitAction = formAction(
  { access: staffOnly, parse: parseOverride },
  (input, viewer) => finish(overrideLimit(getDb(), { ...input, actor: actor(viewer), now: new Date() }), input.reference, "overridden"),
);

/** Merges the later of two possible duplicates into the earlier (see mergeDuplicate). */
export const mergeDuplicateAction = formAction(
  { access: staffOnly, parse: parseDuplicateDecision },
  (input, viewer) => finish(mergeDuplicate(getDb(), { ...input, actor: actor(viewer), now: new Date(), ctx: getPortalContext() }), input.reference, "merged"),
);

/** Keeps two possible duplicates apart: each is answered. */
export const keepBothAction = formAction(
  { access: staffOnly, parse: parseDuplicateDecision },
  (input, viewer) => finish(keepBothRequests(getDb(), { ...input, actor: actor(viewer), now: new Date() }), input.reference, "kept_both"),
);
