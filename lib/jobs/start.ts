/**
 * The one way background work starts: the web server (server/start-worker.ts)
 * and `npm run mail:worker` (scripts/mail-worker.ts) both call this, so the
 * two run the same jobs with the same settings.
 */
import type { Db } from "@/db/connection";
import { loadOrCreateSigningKey } from "@/lib/api/signing-key";
import { agentCallbackPolicyOf, outboundPolicyOf } from "@/lib/http/outbound-address";
import type { DeliveryGate } from "@/lib/mail/deliver";
import { createMailTransport } from "@/lib/mail/transport";
import { portalContextOf } from "@/lib/settings/portal-context";
import type { ResolvedSettings } from "@/lib/settings/resolve";
import { loadOrCreateCredentialsKey } from "@/lib/systems/connectors/credentials";
import { backupJob } from "./definitions/backup";
import { connectedSystemsJob } from "./definitions/connected-systems";
import { apiDeliveriesJob } from "./definitions/api-deliveries";
import { bulkActionsJob } from "./definitions/bulk-actions";
import { erasureChoresJob } from "./definitions/erasure-chores";
import { recordAnchorJob } from "./definitions/record-anchor";
import { requestRetentionJob } from "./definitions/request-retention";
import { webhooksJob } from "./definitions/webhooks";
import type { Job } from "./definitions/job";
import { startWorker, workerConfig, type Worker } from "./scheduler";

/**
 * The record's daily jobs, in order: retention first, so the anchor signs the
 * log with the day's removals on it, and the backup copies what was anchored.
 */
export function recordJobs(settings: ResolvedSettings, log: (line: string) => void = (line) => console.error(line)): Job[] {
  const common = { timeZone: settings.timeZone, log };
  return [
    requestRetentionJob({ months: settings.requestRetentionMonths, ...common }),
    recordAnchorJob({ key: settings.signingKey, anchorFile: settings.anchorFile, orgName: settings.orgName, appUrl: settings.appUrl, ...common }),
    ...(settings.backupDir === null
      ? []
      : [
          backupJob({
            databasePath: settings.databasePath,
            backupDir: settings.backupDir,
            keep: settings.backupKeep,
            anchorFile: settings.anchorFile,
            publicKey: settings.signingKey.publicKey,
            orgName: settings.orgName,
            appUrl: settings.appUrl,
            ...common,
          }),
        ]),
  ];
}

export function startBackgroundWork(input: { settings: ResolvedSettings; db: Db; gate: DeliveryGate }): { worker: Worker; deliveringTo: string } {
  const { settings, db } = input;
  const transport = createMailTransport({ ...settings, replyTo: settings.orgContactEmail });
  const ctx = portalContextOf(settings);
  // Connected systems' passwords and webhook systems' secrets are sealed with it.
  const credentials = loadOrCreateCredentialsKey(settings.dataDir);
  const worker = startWorker({
    db,
    transport,
    config: workerConfig(settings),
    gate: input.gate,
    // Outside systems' webhooks, connected systems' tasks, the tidying after erasures and other programs' deliveries run on the same beat, after the mail.
    // Then, once a day each, the record's own: retention, the anchor, the backup.
    jobs: [
      webhooksJob(ctx, { outbound: outboundPolicyOf(settings), credentials }),
      connectedSystemsJob(ctx, { outbound: outboundPolicyOf(settings), credentials }),
      erasureChoresJob(ctx.authSecret),
      apiDeliveriesJob({ ctx, outbound: outboundPolicyOf(settings), agentOutbound: agentCallbackPolicyOf(settings), signingKey: loadOrCreateSigningKey(settings.dataDir) }),
      ...recordJobs(settings),
      // Staff's bulk actions from the queue, a slice per beat (they survive a restart: see lib/queue/bulk-actions.ts).
      bulkActionsJob(ctx),
    ],
  });
  return { worker, deliveringTo: transport.describe };
}
