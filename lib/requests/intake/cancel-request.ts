import type { Db, Tx } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { enqueueMail } from "@/lib/mail/outbox";
import { withReceipt } from "@/lib/record/receipts";
import { cancellationMail } from "@/lib/mail/emails/cancellation";
import type { PortalContext } from "@/lib/settings/portal-context";
import { mergedReferences } from "../lifecycle/duplicates";
import { orgNameFor } from "@/lib/settings/org-name";
import { applyChange, loadForChange } from "../lifecycle/request-change";

export type CancelResult =
  | { ok: true }
  | { ok: false; reason: "not_found" | "not_allowed" | "not_permitted" | "changed" | "invalid"; message: string };

const NOT_FOUND = "We could not find that request among yours.";

/** A supporter withdraws one of their own open requests, through the same change path as every other step. */
export function cancelRequestBySupporter(
  db: Db,
  input: { reference: string; supporterEmail: string; reason?: string; now: Date; ctx: PortalContext },
): CancelResult {
  return inTransaction(db, (tx): CancelResult => cancelRequestBySupporterIn(tx, input));
}

/** The same, inside the caller's transaction (an authorised agent revoking it on the supporter's behalf, with its own record). */
export function cancelRequestBySupporterIn(
  tx: Tx,
  input: { reference: string; supporterEmail: string; reason?: string; now: Date; ctx: PortalContext },
): CancelResult {
  const actor = { type: "supporter" as const, email: input.supporterEmail };
  // Someone else's request is indistinguishable from one that does not exist.
  const loaded = loadForChange(tx, { reference: input.reference, actor });
  if (!loaded.ok) return { ...loaded, ...(loaded.reason === "not_found" ? { message: NOT_FOUND } : {}) };
  const result = applyChange(tx, loaded.request, {
    actor,
    action: "canceled",
    to: "canceled",
    now: input.now,
    note: input.reason ?? null,
  });
  if (!result.ok) return result;
  const request = result.request;
  enqueueMail(
    tx,
    {
      ...withReceipt(
        tx,
        cancellationMail.draft({
          language: request.language,
          orgName: orgNameFor(tx, request.language, input.ctx),
          reference: request.reference,
          type: request.type,
          requestUrl: `${input.ctx.appUrl}/requests`,
          // Requests merged into this one were withdrawn with it.
          alsoReferences: mergedReferences(tx, request.id),
        }),
        { requestId: request.id, now: input.now, ctx: input.ctx },
      ),
      to: request.subjectEmail,
      kind: "cancellation",
      requestId: request.id,
    },
    { now: input.now, appUrl: input.ctx.appUrl },
  );
  return { ok: true };
}
