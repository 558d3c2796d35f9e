/**
 * Bulk actions from the queue, carried out in the background: on each beat
 * the pending requests of the oldest unfinished action, for at most a second,
 * handing the event loop back every few tens of milliseconds so the web
 * server keeps answering pages meanwhile. Whatever is left goes on at once on
 * the next beat, and after a restart (see lib/queue/bulk-actions.ts).
 */
import { processBulkWork } from "@/lib/queue/bulk-actions";
import type { PortalContext } from "@/lib/settings/portal-context";
import type { Job } from "./job";

/** How long one beat works on bulk actions, and how long at most between two hand-backs of the event loop. */
export const BULK_BEAT_MS = 1000;
export const BULK_SLICE_MS = 25;

export function bulkActionsJob(ctx: PortalContext): Job {
  return {
    name: "bulk-actions",
    run: (db) =>
      processBulkWork(db, {
        ctx,
        now: () => new Date(),
        budgetMs: BULK_BEAT_MS,
        sliceMs: BULK_SLICE_MS,
        pause: () => new Promise((resolve) => setImmediate(resolve)),
      }),
  };
}
