/**
 * The background loop that delivers mail and tidies expired data. It runs
 * every few seconds and can be woken at once after something was queued.
 */
import type { Db } from "@/db/connection";
import { purgeExpiredDrafts } from "@/lib/requests/purge-expired-drafts";
import { deliverDueMail } from "./deliver";
import type { MailTransport } from "./transport";

export type Worker = { kick(): void; stop(): Promise<void> };

export function startWorker(options: {
  db: Db;
  transport: MailTransport;
  intervalMs?: number;
  log?: (line: string) => void;
  /** Other background work run on the same beat (outside systems' webhooks, tidying erased addresses). */
  chores?: (now: Date) => Promise<void>;
}): Worker {
  const log = options.log ?? ((line: string) => console.error(line));
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const runOnce = async () => {
    const now = new Date();
    const report = await deliverDueMail(options.db, options.transport, now);
    if (report.retrying || report.failed) {
      log(`[mail] ${report.retrying} message(s) will be retried, ${report.failed} gave up; see the outbox`);
    }
    purgeExpiredDrafts(options.db, now);
    await options.chores?.(now);
  };

  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((error: unknown) => log(`[worker] ${error instanceof Error ? error.stack : String(error)}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          tick();
        }
      });
  };

  const timer = setInterval(tick, options.intervalMs ?? 5_000);
  timer.unref();
  tick();

  return {
    kick: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      options.transport.close();
    },
  };
}
