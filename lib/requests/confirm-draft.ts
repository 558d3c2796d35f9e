import { eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { requestDrafts, requests, type RequestType } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { PortalContext } from "@/lib/portal/context";
import { fileRequest } from "./file-request";
import type { RequestDetails, RequestSubmission } from "./request-form";

export type ConfirmDraftResult =
  | { ok: true; reference: string; alreadyConfirmed: boolean }
  | { ok: false; reason: "not_found" | "expired" }
  /** A per-supporter limit refuses it now (it was checked when submitted too, but things change in between). */
  | { ok: false; reason: "limit"; message: string; type: RequestType };

/**
 * Confirms a draft for the signed-in owner of its address. Following the same
 * link again finds the request already made instead of making a second one.
 */
export function confirmDraft(
  db: Db,
  input: { draftKey: string; viewerEmail: string; now: Date; ctx: PortalContext },
): ConfirmDraftResult {
  return inTransaction(db, (tx): ConfirmDraftResult => {
    const draft = tx.select().from(requestDrafts).where(eq(requestDrafts.key, input.draftKey)).get();
    // A draft for another address is reported exactly like a missing one.
    if (!draft || draft.email !== input.viewerEmail) return { ok: false, reason: "not_found" };
    if (draft.requestId !== null) {
      const filed = tx
        .select({ reference: requests.reference })
        .from(requests)
        .where(eq(requests.id, draft.requestId))
        .get();
      return filed ? { ok: true, reference: filed.reference, alreadyConfirmed: true } : { ok: false, reason: "not_found" };
    }
    if (draft.expiresAt.getTime() <= input.now.getTime()) return { ok: false, reason: "expired" };

    const submission: RequestSubmission = {
      type: draft.type,
      email: draft.email,
      ...(draft.name ? { name: draft.name } : {}),
      details: draft.details as RequestDetails,
    };
    const filed = fileRequest(tx, { submission, now: input.now, ctx: input.ctx });
    if (!filed.ok) return { ok: false, reason: "limit", message: filed.message, type: draft.type };
    // The request now holds the details; the draft keeps only the link to it.
    tx.update(requestDrafts).set({ requestId: filed.id, details: {}, name: null }).where(eq(requestDrafts.id, draft.id)).run();
    return { ok: true, reference: filed.reference, alreadyConfirmed: false };
  });
}
