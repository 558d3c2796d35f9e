/**
 * Removing what people wrote from the log without breaking it. An event's
 * note and its salt are deleted; the event keeps the salted hash it
 * committed to, so the chain still verifies, and nobody can test a guess at
 * the removed text against it. Every removal is itself an event of the
 * request (`content_removed_<reason>`), in the same transaction, so the
 * verifier can tell a removal on the record (reported as "redacted", with
 * when and why) from text deleted behind the record's back (tampering).
 */
import { and, eq, isNotNull, notLike } from "drizzle-orm";
import type { Tx } from "@/db/connection";
import { requestEvents, requests } from "@/db/schema";
import { appendEvent } from "./event-log";

export const REDACTION_REASONS = ["erasure", "retention"] as const;
export type RedactionReason = (typeof REDACTION_REASONS)[number];

const ACTION_PREFIX = "content_removed_";

/** The action of the event that records a removal for this reason. */
export function redactionAction(reason: RedactionReason): string {
  return `${ACTION_PREFIX}${reason}`;
}

/** Every removal event's action, as a pattern of SQL's LIKE. */
export const REDACTION_ACTIONS_LIKE = `${ACTION_PREFIX}%`;

/** The reason a removal event records, or null for any other event. */
export function redactionReasonOf(action: string): RedactionReason | null {
  if (!action.startsWith(ACTION_PREFIX)) return null;
  const reason = action.slice(ACTION_PREFIX.length);
  return REDACTION_REASONS.find((r) => r === reason) ?? null;
}

/** Why content was removed, in words. */
export function describeRedaction(reason: RedactionReason): string {
  return reason === "erasure" ? "the supporter's data was erased at their request" : "the request passed its retention period";
}

/**
 * Removes the notes (and their salts) of every earlier event of a request
 * that has one, and records that it did. Removal events keep their own content: they hold
 * nothing anyone wrote, and they are what proves the removals lawful.
 * The request's identity salt goes first, so the removal event gives it a
 * new one and commits under it to what is left of the request, and the hash
 * an earlier event made with the old one can no longer confirm a guess at
 * what was removed.
 * Returns how many events lost their content.
 */
export function removeEventContent(tx: Tx, input: { requestId: number; reason: RedactionReason; now: Date }): number {
  const removed = tx
    .update(requestEvents)
    .set({ note: null, contentSalt: null })
    .where(
      and(
        eq(requestEvents.requestId, input.requestId),
        isNotNull(requestEvents.contentSalt),
        // An event that holds no text keeps its salt: nothing was written there, and the record must not say it was removed.
        isNotNull(requestEvents.note),
        notLike(requestEvents.action, REDACTION_ACTIONS_LIKE),
      ),
    )
    .run().changes;
  tx.update(requests).set({ identitySalt: null }).where(eq(requests.id, input.requestId)).run();
  appendEvent(tx, {
    requestId: input.requestId,
    at: input.now,
    actorType: "system",
    actorEmail: null,
    action: redactionAction(input.reason),
    fromStatus: null,
    toStatus: null,
    note: null,
  });
  return removed;
}
