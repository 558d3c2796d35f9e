/** Carries out the connected databases' and list servers' tasks that are due (lib/requests/fulfilment/connector-tasks.ts). */
import type { PortalContext } from "@/lib/settings/portal-context";
import { runDueConnectorTasks, type ConnectorOptions } from "@/lib/requests/fulfilment/connector-tasks";
import type { Job } from "./job";

export function connectedSystemsJob(ctx: PortalContext, options: ConnectorOptions): Job {
  return {
    name: "connected-systems",
    async run(db, now) {
      const report = await runDueConnectorTasks(db, now, ctx, options);
      // A task done may have completed its request, which queued the email saying so.
      return report.done > 0;
    },
  };
}
