/**
 * One task per active outside system for each approved access, correction
 * or erasure request: webhooks are called by the worker, manual tasks are
 * ticked by staff.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Executor, Tx } from "@/db/connection";
import { externalSystems, requestTasks, type RequestRow } from "@/db/schema";

export function createTasksFor(tx: Tx, request: RequestRow, now: Date): number {
  const systems = tx.select().from(externalSystems).where(eq(externalSystems.active, true)).all();
  for (const system of systems) {
    tx.insert(requestTasks)
      .values({
        requestId: request.id,
        systemId: system.id,
        status: "open",
        attempts: 0,
        nextAttemptAt: system.kind === "webhook" ? now : null,
      })
      .onConflictDoNothing()
      .run();
  }
  return systems.length;
}

export type TaskView = {
  id: number;
  systemName: string;
  kind: "webhook" | "manual";
  status: "open" | "done";
  attempts: number;
  nextAttemptAt: Date | null;
  lastResponse: string | null;
  completedAt: Date | null;
  completedBy: string | null;
  /** Staff tick it by hand: a manual system's task, or one of a webhook that was switched off and is no longer called. */
  byHand: boolean;
};

export function listTasks(tx: Executor, requestId: number): TaskView[] {
  const rows = tx
    .select({
      active: externalSystems.active,
      id: requestTasks.id,
      systemName: externalSystems.name,
      kind: externalSystems.kind,
      status: requestTasks.status,
      attempts: requestTasks.attempts,
      nextAttemptAt: requestTasks.nextAttemptAt,
      lastResponse: requestTasks.lastResponse,
      completedAt: requestTasks.completedAt,
      completedBy: requestTasks.completedBy,
    })
    .from(requestTasks)
    .innerJoin(externalSystems, eq(externalSystems.id, requestTasks.systemId))
    .where(and(eq(requestTasks.requestId, requestId)))
    .orderBy(asc(requestTasks.id))
    .all();
  return rows.map(({ active, ...task }) => ({ ...task, byHand: task.kind === "manual" || !active }));
}
