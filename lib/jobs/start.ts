/**
 * The one way background work starts: the web server (server/start-worker.ts)
 * and `npm run mail:worker` (scripts/mail-worker.ts) both call this, so the
 * two run the same jobs with the same settings.
 */
import type { Db } from "@/db/connection";
import { outboundPolicyOf } from "@/lib/http/outbound-address";
import type { DeliveryGate } from "@/lib/mail/deliver";
import { createMailTransport } from "@/lib/mail/transport";
import { portalContextOf } from "@/lib/settings/portal-context";
import type { ResolvedSettings } from "@/lib/settings/resolve";
import { loadOrCreateCredentialsKey } from "@/lib/systems/connectors/credentials";
import { connectedSystemsJob } from "./definitions/connected-systems";
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
    // Outside systems' webhooks, connected systems' tasks and the tidying after erasures run on the same beat, after the mail.
    jobs: [
      webhooksJob(ctx, { outbound: outboundPolicyOf(settings) }),
      connectedSystemsJob(ctx, { outbound: outboundPolicyOf(settings), credentials: loadOrCreateCredentialsKey(settings.dataDir) }),
      erasureChoresJob(ctx.authSecret),
    ],
  });
  return { worker, deliveringTo: transport.describe };
}
