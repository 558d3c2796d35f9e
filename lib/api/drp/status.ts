/**
 * A request as DRP's Exercise Status object (section 3.03): Rightsdesk's
 * states mapped to DRP's (section 3.02). Worked out afresh from the draft,
 * the request and its log each time, so the status endpoint and the
 * callbacks cannot disagree.
 *
 * | Rightsdesk                                   | DRP                                   |
 * | draft waiting for the emailed link           | in_progress / need_user_verification  |
 * | draft never confirmed (24 hours)             | denied / insuf_verification           |
 * | refused on arrival by a per-supporter limit  | denied / too_many_requests            |
 * | received, in review, waiting, approved       | in_progress (expected_by = due date)  |
 * | completed                                    | fulfilled (an access: results_url)    |
 * | completed access whose export has expired    | expired                               |
 * | refused by staff                             | denied / the reason staff chose, or other |
 * | cancelled by the person or revoked by agent  | revoked                               |
 * | cancelled by staff                           | denied / other                        |
 */
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/connection";
import { accessExports, requestEvents, requests, type DrpRequest } from "@/db/schema";
import type { PortalContext } from "@/lib/settings/portal-context";
import { endOfDayIn } from "@/lib/calendar/months";

export const DRP_STATES = ["open", "in_progress", "fulfilled", "revoked", "denied", "expired"] as const;
export const DRP_REASONS = ["need_user_verification", "suspected_fraud", "insuf_verification", "no_match", "claim_not_covered", "outside_jurisdiction", "too_many_requests", "other"] as const;
/** The reasons staff can choose when they refuse an agent's request. */
export const DENIAL_REASONS = ["suspected_fraud", "insuf_verification", "no_match", "claim_not_covered", "outside_jurisdiction", "too_many_requests", "other"] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

const Iso = z.string();
export const ExerciseStatusSchema = z.strictObject({
  request_id: z.string(),
  agent_request_id: z.string().optional(),
  status: z.enum(DRP_STATES),
  reason: z.enum(DRP_REASONS).optional(),
  received_at: Iso.optional(),
  expected_by: Iso.optional(),
  processing_details: z.string().optional(),
  user_verification_url: z.string().optional(),
  results_url: z.string().optional(),
  expires_at: Iso.optional(),
});
export type ExerciseStatus = z.output<typeof ExerciseStatusSchema>;

export function userVerificationUrl(ctx: Pick<PortalContext, "appUrl">, requestId: string): string {
  return `${ctx.appUrl}/agents/verify/${requestId}`;
}

export const SUPPORTED_EXERCISE_TYPES = { access: "access", deletion: "erasure" } as const;

export function drpStatusOf(db: Executor, drp: DrpRequest, input: { now: Date; ctx: PortalContext }): ExerciseStatus {
  const base: ExerciseStatus = {
    request_id: drp.id,
    ...(drp.agentRequestId !== null ? { agent_request_id: drp.agentRequestId } : {}),
    status: "open",
    received_at: drp.createdAt.toISOString(),
  };
  if (drp.refusedReason) {
    return { ...base, status: "denied", reason: drp.refusedReason as DenialReason, ...(drp.refusedDetails ? { processing_details: drp.refusedDetails } : {}) };
  }
  const request = db.select().from(requests).where(eq(requests.intakeId, drp.id)).get();
  if (!request) {
    if (drp.revokedAt) return { ...base, status: "revoked" };
    if (drp.verificationExpiresAt && drp.verificationExpiresAt.getTime() > input.now.getTime()) {
      return {
        ...base,
        status: "in_progress",
        reason: "need_user_verification",
        user_verification_url: userVerificationUrl(input.ctx, drp.id),
        expires_at: drp.verificationExpiresAt.toISOString(),
        processing_details: "We emailed the person a link to confirm the request is theirs; it goes ahead once they follow it.",
      };
    }
    return { ...base, status: "denied", reason: "insuf_verification", processing_details: "The person did not confirm the request by the emailed link in time." };
  }
  const expectedBy = endOfDayIn(request.dueOn, input.ctx.timeZone).toISOString();
  const closing = () =>
    db
      .select({ actorType: requestEvents.actorType, note: requestEvents.note })
      .from(requestEvents)
      .where(and(eq(requestEvents.requestId, request.id), eq(requestEvents.toStatus, request.status)))
      .orderBy(desc(requestEvents.id))
      .get();
  switch (request.status) {
    case "received":
    case "in_review":
    case "approved":
      return {
        ...base,
        status: "in_progress",
        expected_by: expectedBy,
        ...(request.extendedAt ? { processing_details: `The deadline was extended: ${request.extensionReason ?? "the reason was sent to the person"}` } : {}),
      };
    case "awaiting_supporter":
      return {
        ...base,
        status: "in_progress",
        expected_by: expectedBy,
        processing_details: "We asked the person something by email and are waiting for their answer; the deadline moves by the days we wait.",
      };
    case "completed": {
      if (request.type !== "access") return { ...base, status: "fulfilled" };
      const exported = db.select({ expiresAt: accessExports.expiresAt }).from(accessExports).where(eq(accessExports.requestId, request.id)).get();
      if (exported && exported.expiresAt.getTime() <= input.now.getTime()) return { ...base, status: "expired" };
      return {
        ...base,
        status: "fulfilled",
        // The person downloads it there after signing in with their address: the data never goes through the agent unasked.
        results_url: `${input.ctx.appUrl}/requests/${request.reference}`,
        ...(exported ? { expires_at: exported.expiresAt.toISOString() } : {}),
      };
    }
    case "denied": {
      const note = closing()?.note;
      return { ...base, status: "denied", reason: (drp.denialReason as DenialReason | null) ?? "other", ...(note ? { processing_details: note } : {}) };
    }
    case "canceled": {
      const event = closing();
      if (drp.revokedAt || event?.actorType === "supporter") return { ...base, status: "revoked" };
      return { ...base, status: "denied", reason: "other", ...(event?.note ? { processing_details: event.note } : {}) };
    }
  }
}

/** Whether a status is final (section 3.02): no callback can follow it, bar expiry of a fulfilled access. */
export function isFinalStatus(status: ExerciseStatus): boolean {
  return status.status !== "open" && status.status !== "in_progress";
}
