/** Background work for carrying requests out, run by the worker on its beat. */
import type { Db } from "@/db/connection";
import type { PortalContext } from "@/lib/portal/context";
import { deliverDueWebhooks, type WebhookOptions } from "@/lib/systems/webhooks";
import { runDueConnectorTasks, type ConnectorOptions } from "./connector-tasks";
import { redactMailToErasedSubjects } from "./erasure";

/** `connectors` is absent only where no connected system can exist (tests of other chores). */
export async function runFulfilmentChores(
  db: Db,
  now: Date,
  ctx: PortalContext,
  webhooks: WebhookOptions & { connectors?: Omit<ConnectorOptions, "outbound"> },
): Promise<void> {
  await deliverDueWebhooks(db, now, ctx, webhooks);
  if (webhooks.connectors) await runDueConnectorTasks(db, now, ctx, { outbound: webhooks.outbound, ...webhooks.connectors });
  redactMailToErasedSubjects(db, ctx.authSecret);
}
