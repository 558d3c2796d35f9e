import { sharedDatabase } from "@/db/connection";
import { runFulfilmentChores } from "@/lib/fulfilment/chores";
import { createMailTransport } from "@/lib/mail/transport";
import { startWorker, workerConfig, type Worker } from "@/lib/mail/worker";
import { portalContextOf } from "@/lib/portal/context";
import { getRateLimits } from "./rate-limits";
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
    const db = sharedDatabase(settings.databasePath);
    runningWorker.__rightsdeskWorker = startWorker({
      db,
      transport,
      config: workerConfig(settings),
      // Outside systems' webhooks and tidying after erasures run on the same beat.
      chores: (now) => runFulfilmentChores(db, now, portalContextOf(settings)),
      // Any mail to one address is limited per day at the point it would leave; held mail goes out later.
      gate: async (mail) => {
        const admitted = await (await getRateLimits()).admitMail(mail.toAddress);
        return admitted.ok
          ? { ok: true }
          : { ok: false, until: new Date(Date.now() + admitted.retryAfterSeconds * 1000), reason: admitted.message };
      },
    });
  }
  return runningWorker.__rightsdeskWorker;
}
