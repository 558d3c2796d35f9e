/**
 * A task is done when its webhook answered 2xx or a staff member ticked it.
 * The last one done lets a carried-out correction or erasure close itself.
 */
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { externalSystems, requestTasks, requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { finishIfReady } from "@/lib/requests/fulfilment/finish";
import type { PortalContext } from "@/lib/settings/portal-context";
import { applyChange, loadForChange, type ChangeResult, type RequestActor } from "@/lib/requests/lifecycle/request-change";

export function markTaskDone(
  tx: Tx,
  input: { taskId: number; actor: RequestActor; response: string; now: Date; ctx: PortalContext },
): ChangeResult {
  const task = tx
    .select({ id: requestTasks.id, requestId: requestTasks.requestId, status: requestTasks.status, name: externalSystems.name })
    .from(requestTasks)
    .innerJoin(externalSystems, eq(externalSystems.id, requestTasks.systemId))
    .where(eq(requestTasks.id, input.taskId))
    .get();
  const request = task ? tx.select().from(requests).where(eq(requests.id, task.requestId)).get() : undefined;
  if (!task || !request) return { ok: false, reason: "not_found", message: "We could not find that task." };
  if (task.status !== "open") return { ok: false, reason: "not_allowed", message: "That task is already done." };
  tx.update(requestTasks)
    .set({
      status: "done",
      lastResponse: input.response,
      completedAt: input.now,
      completedBy: input.actor.type === "staff" ? input.actor.email : "system",
      nextAttemptAt: null,
    })
    .where(and(eq(requestTasks.id, task.id), eq(requestTasks.status, "open")))
    .run();
  const noted = applyChange(tx, request, { actor: input.actor, action: "task_done", now: input.now, note: `${task.name}: ${input.response}` });
  if (!noted.ok) return noted;
  return { ok: true, request: finishIfReady(tx, noted.request, input) ?? noted.request };
}

/** Staff tick a manual task (or one of a switched-off webhook) on the request page, with a note of what they did. */
export function tickManualTask(
  db: Db,
  input: { reference: string; taskId: number; note: string; actor: RequestActor & { type: "staff" }; now: Date; ctx: PortalContext },
): ChangeResult {
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    const task = tx
      .select({ requestId: requestTasks.requestId, kind: externalSystems.kind, active: externalSystems.active })
      .from(requestTasks)
      .innerJoin(externalSystems, eq(externalSystems.id, requestTasks.systemId))
      .where(eq(requestTasks.id, input.taskId))
      .get();
    if (!task || task.requestId !== loaded.request.id) return { ok: false, reason: "not_found", message: "We could not find that task." };
    // A switched-off webhook is never called again, so its open tasks are dealt with by hand.
    if (task.kind !== "manual" && task.active) return { ok: false, reason: "not_allowed", message: "Webhook tasks are done when the system answers." };
    return markTaskDone(tx, { taskId: input.taskId, actor: input.actor, response: input.note, now: input.now, ctx: input.ctx });
  });
}
