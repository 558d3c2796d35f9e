/**
 * A concern is a conversation: staff write to the supporter (emailed), the
 * supporter replies on their request's page, while it is open.
 */
import type { Db } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { enqueueMail } from "@/lib/mail/outbox";
import { concernMessageMail } from "@/lib/mail/emails/concern-message";
import type { PortalContext } from "@/lib/settings/portal-context";
import { orgNameFor } from "@/lib/settings/org-name";
import { applyChange, loadForChange, type ChangeResult, type RequestActor } from "@/lib/requests/lifecycle/request-change";
import { requestUrl } from "@/lib/requests/lifecycle/links";
import { isOpen } from "@/lib/requests/lifecycle/transitions";

export function postConcernMessage(
  db: Db,
  input: { reference: string; actor: RequestActor; message: string; now: Date; ctx: PortalContext },
): ChangeResult {
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    const request = loaded.request;
    if (request.type !== "concern") return { ok: false, reason: "not_allowed", message: "Messages belong to concerns." };
    if (!isOpen(request.status)) return { ok: false, reason: "not_allowed", message: "This concern is closed; start a new request to raise something else." };
    if (input.actor.type === "system") return { ok: false, reason: "not_permitted", message: "Only people write messages." };
    const result = applyChange(tx, request, { actor: input.actor, action: "message", now: input.now, note: input.message });
    if (!result.ok) return result;
    if (input.actor.type === "staff") {
      enqueueMail(
        tx,
        {
          ...concernMessageMail.draft({
            language: request.language,
            orgName: orgNameFor(tx, request.language, input.ctx),
            reference: request.reference,
            message: input.message,
            requestUrl: requestUrl(input.ctx, request),
          }),
          to: request.subjectEmail,
          kind: "message",
          requestId: request.id,
        },
        { now: input.now, appUrl: input.ctx.appUrl },
      );
    }
    return result;
  });
}
