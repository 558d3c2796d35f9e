/**
 * Staff's answer to a possible duplicate: merge the later request into the
 * earlier one, or keep both. Either can be chosen from either request's
 * page; the form names the other request, and the pair's flag says which
 * came first. Both requests' records say what was decided.
 */
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { requests, type RequestRow } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { requestsMergedMail } from "@/lib/mail/emails/requests-merged";
import { enqueueMail } from "@/lib/mail/outbox";
import { orgNameFor } from "@/lib/settings/org-name";
import type { PortalContext } from "@/lib/settings/portal-context";
import { openPair, settlePair } from "../lifecycle/duplicates";
import { requestUrl } from "../lifecycle/links";
import { applyChange, loadForChange, type ChangeResult, type RequestActor } from "../lifecycle/request-change";
import { isOpen, MERGEABLE_STATUSES } from "../lifecycle/transitions";
import { describeStatus } from "@/lib/vocabulary/request-statuses";

type DecisionInput = {
  /** The request whose page the decision was made on, at the version shown. */
  reference: string;
  expectedVersion: number;
  /** The other request of the pair. */
  otherReference: string;
  actor: RequestActor;
  now: Date;
};

type Pair = { later: RequestRow; earlier: RequestRow; pairId: number; shown: "later" | "earlier" };

const NO_QUESTION = "These two requests are not waiting for a decision about being duplicates (it may have been decided already). Reload the page.";

function loadPair(tx: Tx, input: DecisionInput): { ok: true; pair: Pair } | { ok: false; result: ChangeResult } {
  const loaded = loadForChange(tx, { reference: input.reference, actor: input.actor, expectedVersion: input.expectedVersion });
  if (!loaded.ok) return { ok: false, result: loaded };
  const other = tx.select().from(requests).where(eq(requests.reference, input.otherReference)).get();
  if (!other) return { ok: false, result: { ok: false, reason: "invalid", message: NO_QUESTION } };
  const shown = loaded.request;
  const asLater = openPair(tx, { laterId: shown.id, earlierId: other.id });
  const asEarlier = asLater ? undefined : openPair(tx, { laterId: other.id, earlierId: shown.id });
  const found = asLater ?? asEarlier;
  if (!found) return { ok: false, result: { ok: false, reason: "invalid", message: NO_QUESTION } };
  return {
    ok: true,
    pair: asLater ? { later: shown, earlier: other, pairId: found.id, shown: "later" } : { later: other, earlier: shown, pairId: found.id, shown: "earlier" },
  };
}

/** The request of the pair whose page it was, as it now is. */
function shownNow(tx: Tx, pair: Pair): ChangeResult {
  const row = tx.select().from(requests).where(eq(requests.id, pair.shown === "later" ? pair.later.id : pair.earlier.id)).get();
  return row ? { ok: true, request: row } : { ok: false, reason: "not_found", message: "We could not find that request." };
}

/**
 * Merges the later request into the earlier: from now on it is worked
 * through the earlier one and closes with it, the same way, and the
 * supporter is told once, now, that the two are joined, and at the end gets
 * one answer, the earlier one's, naming both. Only a later
 * request on which nothing has been carried out can be merged, and only into
 * an open request that was not itself merged away.
 */
export function mergeDuplicate(db: Db, input: DecisionInput & { ctx: PortalContext }): ChangeResult {
  return inTransaction(db, (tx): ChangeResult => {
    const found = loadPair(tx, input);
    if (!found.ok) return found.result;
    const { later, earlier, pairId } = found.pair;
    if (!(MERGEABLE_STATUSES as readonly string[]).includes(later.status)) {
      return { ok: false, reason: "not_allowed", message: `${later.reference} is ${describeStatus(later.status)}: only a request not yet approved can be merged into another.` };
    }
    if (!isOpen(earlier.status) || earlier.mergedIntoId !== null) {
      return { ok: false, reason: "not_allowed", message: `${earlier.reference} is ${earlier.mergedIntoId !== null ? "itself merged into another request" : describeStatus(earlier.status)}: nothing can be merged into it.` };
    }
    if (tx.select({ id: requests.id }).from(requests).where(eq(requests.mergedIntoId, later.id)).get()) {
      return { ok: false, reason: "not_allowed", message: `Other requests were merged into ${later.reference}; it cannot be merged in turn.` };
    }
    const merged = applyChange(tx, later, {
      actor: input.actor,
      action: "merged",
      now: input.now,
      note: `Merged into ${earlier.reference}, which asks for the same thing. It closes with that request, and one answer covers both.`,
      set: { mergedIntoId: earlier.id, clockStoppedOn: null },
    });
    if (!merged.ok) return merged;
    const into = applyChange(tx, earlier, {
      actor: input.actor,
      action: "merged_in",
      now: input.now,
      note: `${later.reference} was merged into this request: closing this one closes both, and the one email names both.`,
    });
    if (!into.ok) return into;
    // One message for the pair, in the same transaction as the merge: the supporter hears of it once.
    enqueueMail(
      tx,
      {
        ...requestsMergedMail.draft({
          language: earlier.language,
          orgName: orgNameFor(tx, earlier.language, input.ctx),
          reference: earlier.reference,
          merged: later.reference,
          type: earlier.type,
          requestUrl: requestUrl(input.ctx, into.request),
        }),
        to: earlier.subjectEmail,
        kind: "merged",
        requestId: earlier.id,
      },
      { now: input.now, appUrl: input.ctx.appUrl },
    );
    settlePair(tx, { pairId, laterId: later.id, earlierId: earlier.id, resolution: "merged", by: input.actor.type === "staff" ? input.actor.email : null, now: input.now });
    return shownNow(tx, found.pair);
  });
}

/** Keeps both requests apart: they are answered each on its own. */
export function keepBothRequests(db: Db, input: DecisionInput & { reason: string | null }): ChangeResult {
  return inTransaction(db, (tx): ChangeResult => {
    const found = loadPair(tx, input);
    if (!found.ok) return found.result;
    const { later, earlier, pairId } = found.pair;
    const why = input.reason ? ` ${input.reason}` : "";
    for (const [request, other] of [
      [later, earlier],
      [earlier, later],
    ] as const) {
      const kept = applyChange(tx, request, { actor: input.actor, action: "duplicate_kept", now: input.now, note: `Not a duplicate of ${other.reference}: both are answered.${why}` });
      if (!kept.ok) return kept;
    }
    settlePair(tx, { pairId, laterId: later.id, earlierId: earlier.id, resolution: "kept", by: input.actor.type === "staff" ? input.actor.email : null, now: input.now });
    return shownNow(tx, found.pair);
  });
}
