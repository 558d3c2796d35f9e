import type { Db } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { enqueueMail } from "@/lib/mail/outbox";
import { extensionMail } from "@/lib/mail/emails/extension";
import type { PortalContext } from "@/lib/settings/portal-context";
import { orgNameFor } from "@/lib/settings/org-name";
import { extendDueDate } from "@/lib/calendar/deadlines";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { movesByItself } from "@/lib/vocabulary/request-types";
import { applyChange, loadForChange, UNSUBSCRIBE_MOVES_ITSELF, type ChangeResult, type RequestActor } from "../lifecycle/request-change";
import { requestUrl, todayIn } from "../lifecycle/links";

/** Extends the deadline once, before it passes, and sends the supporter the reason. */
export function extendDeadline(
  db: Db,
  input: {
    reference: string;
    actor: RequestActor;
    expectedVersion: number;
    amount: string;
    reason: string;
    now: Date;
    ctx: PortalContext;
  },
): ChangeResult {
  if (input.actor.type !== "staff") return { ok: false, reason: "not_permitted", message: "Only staff can extend a deadline." };
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    const { request } = loaded;
    if (!isOpen(request.status)) return { ok: false, reason: "not_allowed", message: "A closed request cannot be extended." };
    if (movesByItself(request.type)) return { ok: false, reason: "not_allowed", message: UNSUBSCRIBE_MOVES_ITSELF };
    const extension = extendDueDate({
      regime: request.regime,
      receivedOn: request.receivedOn,
      daysClockStopped: request.daysClockStopped,
      dueOn: request.dueOn,
      today: todayIn(input.ctx, input.now),
      alreadyExtended: request.extendedAt !== null,
      amount: input.amount,
      clockStoppedOn: request.clockStoppedOn,
    });
    if (!extension.ok) return { ok: false, reason: "not_allowed", message: extension.message };
    const result = applyChange(tx, request, {
      actor: input.actor,
      action: "extended",
      now: input.now,
      note: input.reason,
      set: { dueOn: extension.newDueOn, extendedAt: input.now, extensionReason: input.reason },
    });
    if (!result.ok) return result;
    enqueueMail(
      tx,
      {
        ...extensionMail.draft({
          language: request.language,
          regime: request.regime,
          orgName: orgNameFor(tx, request.language, input.ctx),
          reference: request.reference,
          reason: input.reason,
          newDueOn: extension.newDueOn,
          requestUrl: requestUrl(input.ctx, request),
        }),
        to: request.subjectEmail,
        kind: "extension",
        requestId: request.id,
      },
      { now: input.now, appUrl: input.ctx.appUrl },
    );
    return result;
  });
}
