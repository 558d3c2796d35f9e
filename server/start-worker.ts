import { sharedDatabase } from "@/db/connection";
import { mailGate } from "@/lib/limits/mail-gate";
import { startBackgroundWork } from "@/lib/jobs/start";
import { getRateLimits } from "./rate-limits";
import { getSettings } from "./settings";
import { runningWorker } from "./worker";

/**
 * Starts the background worker once per process, unless MAIL_WORKER says a
 * separate `npm run mail:worker` does the sending.
 */
export function ensureWorker(): void {
  if (runningWorker.__rightsdeskWorker) return;
  const settings = getSettings();
  if (settings.mailWorker === "separate") {
    console.log("[mail] MAIL_WORKER=separate: this server queues mail; `npm run mail:worker` sends it");
    return;
  }
  const { worker, deliveringTo } = startBackgroundWork({ settings, db: sharedDatabase(settings.databasePath), gate: mailGate(getRateLimits) });
  console.log(`[mail] delivering to ${deliveringTo}`);
  runningWorker.__rightsdeskWorker = worker;
}
