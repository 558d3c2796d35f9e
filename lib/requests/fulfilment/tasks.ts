/**
 * One task per active outside system for each approved access, correction
 * or erasure request: webhooks are called by the worker, manual tasks are
 * ticked by staff.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor, Tx } from "@/db/connection";
import { externalSystems, requestTasks, type RequestRow, type SystemKind } from "@/db/schema";
import { CONNECTOR_KINDS } from "@/lib/systems/connectors/connection-settings";

export function createTasksFor(tx: Tx, request: RequestRow, now: Date): number {
  const systems = tx.select().from(externalSystems).where(eq(externalSystems.active, true)).all();
  for (const system of systems) {
    tx.insert(requestTasks)
      .values({
        requestId: request.id,
        systemId: system.id,
        status: "open",
        attempts: 0,
        // Webhooks and connected systems are worked by the background worker, at once; manual tasks wait for staff.
        nextAttemptAt: system.kind === "manual" ? null : now,
      })
      .onConflictDoNothing()
      .run();
  }
  return systems.length;
}

/**
 * An unsubscribe's tasks: one for each connected system switched on where
 * an unsubscribe has something to do (`reaches`: a list server, or a
 * database whose map says how a subscription ends). Returns how many.
 */
export function createUnsubscribeTasks(tx: Tx, request: RequestRow, now: Date, reaches: (system: { kind: SystemKind; datasetMap: string | null }) => boolean): number {
  const systems = tx
    .select({ id: externalSystems.id, kind: externalSystems.kind, datasetMap: externalSystems.datasetMap })
    .from(externalSystems)
    .where(and(eq(externalSystems.active, true), inArray(externalSystems.kind, ["postgres", "mysql", "mailman"])))
    .all()
    .filter(reaches);
  for (const system of systems) {
    tx.insert(requestTasks).values({ requestId: request.id, systemId: system.id, status: "open", attempts: 0, nextAttemptAt: now }).onConflictDoNothing().run();
  }
  return systems.length;
}

export type TaskView = {
  id: number;
  systemName: string;
  kind: SystemKind;
  status: "open" | "done";
  attempts: number;
  nextAttemptAt: Date | null;
  lastResponse: string | null;
  completedAt: Date | null;
  completedBy: string | null;
  /** Staff tick it by hand: a manual system's task, one of a system that was switched off and is no longer called, or a stopped one. */
  byHand: boolean;
  /** A connected system's task whose failure trying again cannot mend: open, not tried again until staff press Try again. */
  stopped: boolean;
};

/** The systems Rightsdesk calls itself, whose tasks it tries (and may stop trying); a manual system's tasks are ticked by staff. */
const CALLED_KINDS: readonly SystemKind[] = [...CONNECTOR_KINDS, "webhook"];

/** A called system's open task with no next try: it failed in a way that trying again would not mend (see connector-tasks, webhooks). */
export function isStoppedTask(task: { kind: SystemKind; status: "open" | "done"; nextAttemptAt: Date | null }): boolean {
  return task.status === "open" && CALLED_KINDS.includes(task.kind) && task.nextAttemptAt === null;
}

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
  return rows.map(({ active, ...task }) => {
    const stopped = active && isStoppedTask(task);
    return { ...task, byHand: task.kind === "manual" || !active || stopped, stopped };
  });
}
