/**
 * The part of an access export that comes from connected systems: one
 * section per database or list server, named by the system, holding what
 * its task gathered when the request was carried out. The export also says
 * which systems were searched, including those where nothing was found.
 */
import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { externalSystems, requestTasks } from "@/db/schema";
import type { ExportedTable } from "@/lib/systems/connectors/database-work";
import type { ListMembership } from "@/lib/systems/connectors/system-work";

export type ConnectedSection = {
  /** The system's name as the organisation calls it, e.g. "CRM". */
  system: string;
  kind: "postgres" | "mysql" | "mailman";
  /** When it was searched (ISO 8601). */
  searchedAt: string;
  /** A database's mapped tables and their rows. */
  tables?: ExportedTable[];
  /** A list server's lists the address is on. */
  lists?: ListMembership[];
};

/** What an access task stores as its result. */
export type AccessTaskResult = { work: "access"; searchedAt: string; tables?: ExportedTable[]; lists?: ListMembership[] };

export function isAccessResult(value: unknown): value is AccessTaskResult {
  return typeof value === "object" && value !== null && (value as { work?: unknown }).work === "access";
}

/** The sections gathered by this request's connected systems' tasks, in the order the systems were listed. */
export function connectedSectionsOf(tx: Executor, requestId: number): ConnectedSection[] {
  return tx
    .select({ name: externalSystems.name, kind: externalSystems.kind, result: requestTasks.result })
    .from(requestTasks)
    .innerJoin(externalSystems, eq(externalSystems.id, requestTasks.systemId))
    .where(and(eq(requestTasks.requestId, requestId), isNotNull(requestTasks.result)))
    .orderBy(asc(externalSystems.name))
    .all()
    .flatMap(({ name, kind, result }) =>
      isAccessResult(result) && (kind === "postgres" || kind === "mysql" || kind === "mailman")
        ? [{ system: name, kind, searchedAt: result.searchedAt, ...(result.tables ? { tables: result.tables } : {}), ...(result.lists ? { lists: result.lists } : {}) }]
        : [],
    );
}

/** Once the export holds the rows, the task keeps only that the system was searched and how much was found. */
export function reduceAccessResults(tx: Executor, requestId: number): void {
  const tasks = tx.select({ id: requestTasks.id, result: requestTasks.result }).from(requestTasks).where(eq(requestTasks.requestId, requestId)).all();
  for (const task of tasks) {
    if (!isAccessResult(task.result)) continue;
    const rows = (task.result.tables ?? []).reduce((n, t) => n + t.rows.length, 0);
    tx.update(requestTasks)
      .set({ result: { work: "access", searchedAt: task.result.searchedAt, rowsFound: rows, listsFound: task.result.lists?.length ?? 0 } })
      .where(eq(requestTasks.id, task.id))
      .run();
  }
}
