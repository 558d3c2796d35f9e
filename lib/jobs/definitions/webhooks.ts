/** Calls the outside systems' webhooks for the tasks that are due (lib/systems/webhooks.ts). */
import type { PortalContext } from "@/lib/settings/portal-context";
import { deliverDueWebhooks, type WebhookOptions } from "@/lib/systems/webhooks";
import type { Job } from "./job";

export function webhooksJob(ctx: PortalContext, options: WebhookOptions): Job {
  return {
    name: "webhooks",
    async run(db, now) {
      await deliverDueWebhooks(db, now, ctx, options);
    },
  };
}
