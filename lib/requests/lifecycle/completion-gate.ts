/**
 * The one check every completion path makes, staff or system: a request
 * that outside systems must act on cannot close while any of their tasks is
 * open, and the kinds Rightsdesk carries out itself close only by doing so.
 */
import { and, count, eq } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { requestTasks, type RequestRow, type RequestType } from "@/db/schema";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { countOf, pluralWord } from "@/lib/language/plural";

/**
 * Request types whose data lives in outside systems too: each active system
 * gets a task on approval (an unsubscribe, on filing: each connected system
 * where it has something to do).
 */
export const TYPES_WITH_TASKS: ReadonlySet<RequestType> = new Set(["access", "correction", "erasure", "unsubscribe"]);

/** Carried out by Rightsdesk (on approval, or an unsubscribe on filing) and closed by the system once every task is done. */
export const SELF_COMPLETING: ReadonlySet<RequestType> = new Set(["access", "correction", "erasure", "unsubscribe"]);

export function openTaskCount(tx: Executor, requestId: number): number {
  return tx.select({ n: count() }).from(requestTasks).where(and(eq(requestTasks.requestId, requestId), eq(requestTasks.status, "open"))).get()?.n ?? 0;
}

/** Why this request cannot be completed now by this actor, or null if it can. */
export function completionBlocker(tx: Executor, request: RequestRow, actor: RequestActor): string | null {
  if (TYPES_WITH_TASKS.has(request.type)) {
    const open = openTaskCount(tx, request.id);
    if (open > 0) {
      return `This request cannot be completed while ${countOf(open, "outside system")} still ${pluralWord(open, "has", "have")} an open task.`;
    }
  }
  if (actor.type !== "system" && SELF_COMPLETING.has(request.type)) {
    return "This request completes by itself once it has been carried out and every outside system has been dealt with.";
  }
  return null;
}
