/** Background work for carrying requests out, run by the worker on its beat. */
import type { Db } from "@/db/connection";
import type { PortalContext } from "@/lib/settings/portal-context";
import { deliverDueWebhooks, type WebhookOptions } from "@/lib/systems/webhooks";
import { redactMailToErasedSubjects } from "@/lib/requests/fulfilment/erasure";

export async function runFulfilmentChores(db: Db, now: Date, ctx: PortalContext, webhooks: WebhookOptions): Promise<void> {
  await deliverDueWebhooks(db, now, ctx, webhooks);
  redactMailToErasedSubjects(db, ctx.authSecret);
}
