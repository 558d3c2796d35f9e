import type { Worker } from "@/lib/jobs/scheduler";

/**
 * The worker started by instrumentation.ts (see ./start-worker.ts), shared
 * through globalThis because pages, actions and instrumentation are bundled
 * separately. This file imports nothing heavy, so server actions can kick
 * the worker without pulling the mail renderer into their bundle.
 */
export const runningWorker = globalThis as typeof globalThis & { __rightsdeskWorker?: Worker };

/**
 * Asks the worker to deliver now, after something was queued. With
 * MAIL_WORKER=separate there is none in this process, and the separate
 * worker picks the message up on its next round.
 */
export function kickWorker(): void {
  runningWorker.__rightsdeskWorker?.kick();
}
