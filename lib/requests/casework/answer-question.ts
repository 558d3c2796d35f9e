import type { Db } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import type { PortalContext } from "@/lib/settings/portal-context";
import { restartClock } from "@/lib/calendar/deadlines";
import { applyChange, loadForChange, type ChangeResult } from "../lifecycle/request-change";
import { todayIn } from "../lifecycle/links";

/**
 * The supporter answers staff's question: the request goes back to review and
 * the due date moves later by the days the clock stood still.
 */
export function answerQuestion(
  db: Db,
  input: { reference: string; supporterEmail: string; answer: string; now: Date; ctx: PortalContext },
): ChangeResult {
  const actor = { type: "supporter" as const, email: input.supporterEmail };
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, { reference: input.reference, actor });
    if (!loaded.ok) return loaded;
    const { request } = loaded;
    if (request.status !== "awaiting_supporter" || request.clockStoppedOn === null) {
      return { ok: false, reason: "not_allowed", message: "We are not waiting for an answer on this request any more." };
    }
    const restarted = restartClock({
      dueOn: request.dueOn,
      stoppedOn: request.clockStoppedOn,
      restartedOn: todayIn(input.ctx, input.now),
    });
    return applyChange(tx, request, {
      actor,
      action: "reply",
      to: "in_review",
      now: input.now,
      note: input.answer,
      set: {
        dueOn: restarted.dueOn,
        clockStoppedOn: null,
        daysClockStopped: request.daysClockStopped + restarted.daysStopped,
      },
    });
  });
}
