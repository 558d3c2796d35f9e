/** Calls the outside systems' webhooks for the tasks that are due (lib/requests/fulfilment/webhooks.ts). */
import type { PortalContext } from "@/lib/settings/portal-context";
import { deliverDueWebhooks, type WebhookOptions } from "@/lib/requests/fulfilment/webhooks";
import type { Job } from "./job";

export function webhooksJob(ctx: PortalContext, options: WebhookOptions): Job {
  return {
    name: "webhooks",
    async run(db, now) {
      await deliverDueWebhooks(db, now, ctx, options);
    },
  };
}
