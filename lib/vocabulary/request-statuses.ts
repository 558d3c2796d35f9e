import type { RequestStatus } from "@/db/schema";

/**
 * Each stored status in the staff pages' English, as a sentence says it ("a
 * request that is in review"): the queue, the request's page, the refusals
 * of a move, and the record's check all name a status this way.
 */
const STATUS_WORDS: Record<RequestStatus, string> = {
  received: "received",
  in_review: "in review",
  awaiting_supporter: "waiting for the supporter",
  approved: "approved",
  completed: "completed",
  denied: "refused",
  canceled: "cancelled",
};

export function describeStatus(status: RequestStatus): string {
  return STATUS_WORDS[status];
}
