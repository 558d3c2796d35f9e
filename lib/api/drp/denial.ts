/**
 * When staff refuse a request an authorised agent sent, they can say which
 * of DRP's reasons (section 3.02) it is, so the agent can tell the person in
 * its own words; without a choice the agent hears "other". The written
 * reason goes as processing_details either way.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { drpRequests, requests } from "@/db/schema";
import { DENIAL_REASONS, type DenialReason } from "./status";

export const DENIAL_REASON_WORDS: Record<DenialReason, string> = {
  other: "Another reason (the one written below)",
  no_match: "We hold no data we can match to this person",
  insuf_verification: "We could not verify the person's identity",
  suspected_fraud: "We believe the request was made fraudulently",
  claim_not_covered: "What was asked is not covered by the law it relies on",
  outside_jurisdiction: "That law does not cover this person",
  too_many_requests: "More requests than we are obliged to answer",
};

export function isDenialReason(value: unknown): value is DenialReason {
  return typeof value === "string" && (DENIAL_REASONS as readonly string[]).includes(value);
}

/** Records the reason on the agent's request behind `reference`; false when no agent sent that request. */
export function recordDenialReason(db: Db, input: { reference: string; reason: DenialReason }): boolean {
  const request = db.select({ intakeId: requests.intakeId }).from(requests).where(eq(requests.reference, input.reference)).get();
  if (!request?.intakeId) return false;
  return db.update(drpRequests).set({ denialReason: input.reason }).where(eq(drpRequests.id, request.intakeId)).run().changes === 1;
}
