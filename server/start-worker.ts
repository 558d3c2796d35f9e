import { sharedDatabase } from "@/db/connection";
import { createMailTransport } from "@/lib/mail/transport";
import { startWorker, workerConfig, type Worker } from "@/lib/mail/worker";
import { getSettings } from "./settings";
import { runningWorker } from "./worker";

/**
 * Starts the background worker once per process, unless MAIL_WORKER says a
 * separate `npm run mail:worker` does the sending.
 */
export function ensureWorker(): Worker | null {
  if (!runningWorker.__rightsdeskWorker) {
    const settings = getSettings();
    if (settings.mailWorker === "separate") {
      console.log("[mail] MAIL_WORKER=separate: this server queues mail; `npm run mail:worker` sends it");
      return null;
    }
    const transport = createMailTransport({ ...settings, replyTo: settings.orgContactEmail });
    console.log(`[mail] delivering to ${transport.describe}`);
    runningWorker.__rightsdeskWorker = startWorker({
      db: sharedDatabase(settings.databasePath),
      transport,
      config: workerConfig(settings),
    });
  }
  return runningWorker.__rightsdeskWorker;
}
