/**
 * The three ways staff close a request, each with the email that tells the
 * supporter: completed (with an optional answer), denied (the reason and the
 * right to complain), or canceled by staff (the reason, e.g. a duplicate).
 */
import type { Db, Tx } from "@/db/connection";
import type { RequestRow, RequestStatus } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { completionBlocker } from "@/lib/requests/lifecycle/completion-gate";
import { enqueueMail } from "@/lib/mail/outbox";
import { withReceipt } from "@/lib/record/receipts";
import { completionMail } from "@/lib/mail/emails/completion";
import type { MailDraft } from "@/lib/mail/templates";
import { denialMail } from "@/lib/mail/emails/denial";
import { staffCancellationMail } from "@/lib/mail/emails/staff-cancellation";
import type { PortalContext } from "@/lib/settings/portal-context";
import { orgNameFor } from "@/lib/settings/org-name";
import { applyChange, loadForChange, type ChangeResult, type RequestActor } from "../lifecycle/request-change";
import { mergedReferences } from "../lifecycle/duplicates";
import { requestUrl } from "../lifecycle/links";

type CloseInput = {
  reference: string;
  actor: RequestActor;
  expectedVersion: number;
  /** The answer (completed) or the reason (denied, canceled). */
  note: string | null;
  now: Date;
  ctx: PortalContext;
};

function close(
  db: Db,
  input: CloseInput,
  to: Extract<RequestStatus, "completed" | "denied" | "canceled">,
  mail: (request: RequestRow, orgName: string, tx: Tx) => MailDraft,
  check?: (request: RequestRow) => string | null,
): ChangeResult {
  return inTransaction(db, (tx: Tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    return closeLoaded(tx, loaded.request, input, to, mail, check);
  });
}

/** Closes a request already loaded in the caller's transaction, with the email that says so. */
function closeLoaded(
  tx: Tx,
  request: RequestRow,
  input: CloseInput,
  to: Extract<RequestStatus, "completed" | "denied" | "canceled">,
  mail: (request: RequestRow, orgName: string, tx: Tx) => MailDraft,
  check?: (request: RequestRow) => string | null,
): ChangeResult {
  const problem = check?.(request) ?? (to === "completed" ? completionBlocker(tx, request, input.actor) : null);
  if (problem) return { ok: false, reason: "invalid", message: problem };
  const result = applyChange(tx, request, { actor: input.actor, action: to, to, now: input.now, note: input.note });
  if (!result.ok) return result;
  enqueueMail(
    tx,
    {
      ...withReceipt(tx, mail(result.request, orgNameFor(tx, result.request.language, input.ctx), tx), { requestId: result.request.id, now: input.now, ctx: input.ctx }),
      to: result.request.subjectEmail,
      kind: to === "canceled" ? "cancellation" : to,
      requestId: result.request.id,
    },
    { now: input.now, appUrl: input.ctx.appUrl },
  );
  return result;
}

/** The requests merged into this one, closed with it just now: its one email names them. */
const alsoOf = (tx: Tx, r: RequestRow) => mergedReferences(tx, r.id);

const answerMail = (input: CloseInput) => (r: RequestRow, orgName: string, tx: Tx) =>
  completionMail.draft({
    language: r.language,
    regime: r.regime,
    orgName,
    reference: r.reference,
    type: r.type,
    note: input.note,
    requestUrl: requestUrl(input.ctx, r),
    alsoReferences: alsoOf(tx, r),
  });

/** A concern is answered in writing: closing one needs that answer. */
const needsAnswer = (input: CloseInput) => (r: RequestRow) =>
  r.type === "concern" && !input.note ? "Write your answer to the supporter's concern before closing it." : null;

/** The staff event of a concern's answer: it moves the concern through approval on its way to closing. */
export const ANSWERED_ACTION = "answered";

export function completeRequest(db: Db, input: CloseInput): ChangeResult {
  return close(db, input, "completed", answerMail(input), needsAnswer(input));
}

/**
 * Staff answer a concern and close it in one step: nothing is "carried out"
 * for a concern, so its approval and its completion are the same act. The
 * state machine's moves are kept (in review → approved → completed, each on
 * the record) and the answer is emailed with the completion.
 */
export function answerConcern(db: Db, input: CloseInput): ChangeResult {
  return inTransaction(db, (tx: Tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    let request = loaded.request;
    if (request.type !== "concern") return { ok: false, reason: "not_allowed", message: "Only a concern is answered and closed this way." };
    const missing = needsAnswer(input)(request);
    if (missing) return { ok: false, reason: "invalid", message: missing };
    if (request.status === "in_review") {
      const answered = applyChange(tx, request, { actor: input.actor, action: ANSWERED_ACTION, to: "approved", now: input.now });
      if (!answered.ok) return answered;
      request = answered.request;
    }
    return closeLoaded(tx, request, input, "completed", answerMail(input));
  });
}

export function denyRequest(db: Db, input: CloseInput & { note: string }): ChangeResult {
  return close(db, input, "denied", (r, orgName, tx) =>
    denialMail.draft({
      language: r.language,
      regime: r.regime,
      orgName,
      reference: r.reference,
      type: r.type,
      reason: input.note,
      requestUrl: requestUrl(input.ctx, r),
      alsoReferences: alsoOf(tx, r),
    }),
  );
}

export function cancelRequestByStaff(db: Db, input: CloseInput & { note: string }): ChangeResult {
  return close(db, input, "canceled", (r, orgName, tx) =>
    staffCancellationMail.draft({
      language: r.language,
      regime: r.regime,
      orgName,
      reference: r.reference,
      type: r.type,
      reason: input.note,
      requestUrl: requestUrl(input.ctx, r),
      alsoReferences: alsoOf(tx, r),
    }),
  );
}
