/**
 * Completing a request the system carried out by itself (an access export,
 * for instance): the `system` actor moves it approved → completed and the
 * supporter is emailed, in the caller's transaction. Any condition that must
 * hold before a request may complete belongs here, in one place.
 */
import type { Tx } from "@/db/connection";
import type { RequestRow } from "@/db/schema";
import { enqueueMail } from "@/lib/mail/outbox";
import { completionMail } from "@/lib/mail/templates";
import type { PortalContext } from "@/lib/portal/context";
import { applyChange, type ChangeResult } from "./request-change";
import { requestUrl } from "./workflow/context";

export function completeIfReady(tx: Tx, request: RequestRow, input: { now: Date; ctx: PortalContext; note: string }): ChangeResult {
  const result = applyChange(tx, request, { actor: { type: "system" }, action: "completed", to: "completed", now: input.now, note: input.note });
  if (!result.ok) return result;
  const done = result.request;
  enqueueMail(
    tx,
    {
      ...completionMail({ orgName: input.ctx.orgName, reference: done.reference, type: done.type, note: input.note, requestUrl: requestUrl(input.ctx, done) }),
      to: done.subjectEmail,
      kind: "completed",
      requestId: done.id,
    },
    { now: input.now, appUrl: input.ctx.appUrl },
  );
  return result;
}
