import { sharedDatabase } from "@/db/connection";
import { apiChoresOf } from "@/lib/api/worker-chores";
import { runFulfilmentChores } from "@/lib/fulfilment/chores";
import { mailGate } from "@/lib/limits/mail-gate";
import { createMailTransport } from "@/lib/mail/transport";
import { startWorker, workerConfig } from "@/lib/mail/worker";
import { portalContextOf } from "@/lib/portal/context";
import { outboundPolicyOf } from "@/lib/systems/outbound-address";
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
  const transport = createMailTransport({ ...settings, replyTo: settings.orgContactEmail });
  console.log(`[mail] delivering to ${transport.describe}`);
  const db = sharedDatabase(settings.databasePath);
  const api = apiChoresOf(db, settings);
  runningWorker.__rightsdeskWorker = startWorker({
    db,
    transport,
    config: workerConfig(settings),
    // Outside systems' webhooks, tidying after erasures, and event deliveries and agents' callbacks run on the same beat.
    chores: async (now) => {
      await runFulfilmentChores(db, now, portalContextOf(settings), { outbound: outboundPolicyOf(settings) });
      await api.run(now);
    },
    gate: mailGate(getRateLimits),
  });
}
