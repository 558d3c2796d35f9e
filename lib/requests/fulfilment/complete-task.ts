/**
 * A task is done when its webhook answered 2xx or a staff member ticked it.
 * The last one done lets a carried-out correction or erasure close itself.
 */
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { externalSystems, requestTasks, requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { finishIfReady } from "@/lib/requests/fulfilment/finish";
import { isStoppedTask } from "@/lib/requests/fulfilment/tasks";
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

/** Staff tick a manual task (or one of a switched-off system, or a stopped one) on the request page, with a note of what they did. */
export function tickManualTask(
  db: Db,
  input: { reference: string; taskId: number; note: string; actor: RequestActor & { type: "staff" }; now: Date; ctx: PortalContext },
): ChangeResult {
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    const task = tx
      .select({ requestId: requestTasks.requestId, kind: externalSystems.kind, active: externalSystems.active, status: requestTasks.status, nextAttemptAt: requestTasks.nextAttemptAt })
      .from(requestTasks)
      .innerJoin(externalSystems, eq(externalSystems.id, requestTasks.systemId))
      .where(eq(requestTasks.id, input.taskId))
      .get();
    if (!task || task.requestId !== loaded.request.id) return { ok: false, reason: "not_found", message: "We could not find that task." };
    // A switched-off system is never called again, and a stopped task is not tried again: their open tasks are dealt with by hand.
    if (task.kind !== "manual" && task.active && !isStoppedTask(task)) {
      const message =
        task.kind === "webhook"
          ? "Webhook tasks are done when the system answers."
          : "This system's task is done when the system answers; it can be marked done by hand once it has stopped, or once the system is switched off.";
      return { ok: false, reason: "not_allowed", message };
    }
    return markTaskDone(tx, { taskId: input.taskId, actor: input.actor, response: input.note, now: input.now, ctx: input.ctx });
  });
}

/**
 * Staff try a stopped task again once they have put its cause right (the
 * map, the connection, the row in the system): the worker takes it up at
 * its next beat, and the record says who asked.
 */
export function retryStoppedTask(
  db: Db,
  input: { reference: string; taskId: number; actor: RequestActor & { type: "staff" }; now: Date },
): ChangeResult {
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    const task = tx
      .select({ requestId: requestTasks.requestId, kind: externalSystems.kind, active: externalSystems.active, status: requestTasks.status, nextAttemptAt: requestTasks.nextAttemptAt, name: externalSystems.name })
      .from(requestTasks)
      .innerJoin(externalSystems, eq(externalSystems.id, requestTasks.systemId))
      .where(eq(requestTasks.id, input.taskId))
      .get();
    if (!task || task.requestId !== loaded.request.id) return { ok: false, reason: "not_found", message: "We could not find that task." };
    if (!task.active) return { ok: false, reason: "not_allowed", message: `${task.name} is switched off: switch it on on its page first, or mark the task done by hand.` };
    if (!isStoppedTask(task)) return { ok: false, reason: "not_allowed", message: "That task has not stopped: it is done, or already being tried." };
    const noted = applyChange(tx, loaded.request, { actor: input.actor, action: "task_retried", now: input.now, note: `${task.name}: to be tried again.` });
    if (!noted.ok) return noted;
    tx.update(requestTasks)
      .set({ nextAttemptAt: input.now, lastResponse: "To be tried again: asked by staff." })
      .where(and(eq(requestTasks.id, input.taskId), eq(requestTasks.status, "open")))
      .run();
    return noted;
  });
}
