/**
 * The one way background work starts: the web server (server/start-worker.ts)
 * and `npm run mail:worker` (scripts/mail-worker.ts) both call this, so the
 * two run the same jobs with the same settings.
 */
import type { Db } from "@/db/connection";
import { loadOrCreateSigningKey } from "@/lib/api/signing-key";
import { outboundPolicyOf } from "@/lib/http/outbound-address";
import type { DeliveryGate } from "@/lib/mail/deliver";
import { createMailTransport } from "@/lib/mail/transport";
import { portalContextOf } from "@/lib/settings/portal-context";
import type { ResolvedSettings } from "@/lib/settings/resolve";
import { apiDeliveriesJob } from "./definitions/api-deliveries";
import { erasureChoresJob } from "./definitions/erasure-chores";
import { webhooksJob } from "./definitions/webhooks";
import { startWorker, workerConfig, type Worker } from "./scheduler";

export function startBackgroundWork(input: { settings: ResolvedSettings; db: Db; gate: DeliveryGate }): { worker: Worker; deliveringTo: string } {
  const { settings, db } = input;
  const transport = createMailTransport({ ...settings, replyTo: settings.orgContactEmail });
  const ctx = portalContextOf(settings);
  const worker = startWorker({
    db,
    transport,
    config: workerConfig(settings),
    gate: input.gate,
    // Outside systems' webhooks, the tidying after erasures, and other programs' deliveries run on the same beat, after the mail.
    jobs: [
      webhooksJob(ctx, { outbound: outboundPolicyOf(settings) }),
      erasureChoresJob(ctx.authSecret),
      apiDeliveriesJob({ ctx, outbound: outboundPolicyOf(settings), signingKey: loadOrCreateSigningKey(settings.dataDir) }),
    ],
  });
  return { worker, deliveringTo: transport.describe };
}
