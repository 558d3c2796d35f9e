import type { Db } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { enqueueMail } from "@/lib/mail/outbox";
import { questionMail } from "@/lib/mail/emails/question";
import type { PortalContext } from "@/lib/settings/portal-context";
import { orgNameFor } from "@/lib/settings/org-name";
import { applyChange, loadForChange, type ChangeResult, type RequestActor } from "../lifecycle/request-change";
import { requestUrl, todayIn } from "../lifecycle/links";

/**
 * Staff need something from the supporter: the question is emailed and the
 * legal clock stops until the supporter answers (UK GDPR Art. 12A).
 */
export function askSupporter(
  db: Db,
  input: { reference: string; actor: RequestActor; expectedVersion: number; question: string; now: Date; ctx: PortalContext },
): ChangeResult {
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    const result = applyChange(tx, loaded.request, {
      actor: input.actor,
      action: "question",
      to: "awaiting_supporter",
      now: input.now,
      note: input.question,
      set: { clockStoppedOn: todayIn(input.ctx, input.now) },
    });
    if (!result.ok) return result;
    enqueueMail(
      tx,
      {
        ...questionMail.draft({
          language: result.request.language,
          orgName: orgNameFor(tx, result.request.language, input.ctx),
          reference: result.request.reference,
          question: input.question,
          requestUrl: requestUrl(input.ctx, result.request),
        }),
        to: result.request.subjectEmail,
        kind: "question",
        requestId: result.request.id,
      },
      { now: input.now, appUrl: input.ctx.appUrl },
    );
    return result;
  });
}
