/**
 * The API's background work, run on the worker's beat: the deadline sweep,
 * the feed from the log to the delivery outbox, the deliveries themselves,
 * and forgetting what is kept only for a while.
 */
import type { Db } from "@/db/connection";
import type { PortalContext } from "@/lib/portal/context";
import type { OutboundPolicy } from "@/lib/systems/outbound-address";
import type { PostWebhook } from "@/lib/systems/webhook-call";
import { forgetOldCalls } from "./call-log";
import { recordDeadlineNotices } from "./deadline-notices";
import { deliverDue, type DeliveryReport } from "./deliveries";
import { runFeed, type FeedFollower } from "./feed";

export type ApiChoreOptions = {
  ctx: PortalContext;
  outbound: OutboundPolicy;
  signingKey: string;
  followers?: readonly FeedFollower[];
  post?: PostWebhook;
  /** Tidying that needs no hurry (the deadline sweep, old calls) runs at most this often. */
  sweepEveryMs?: number;
};

export type ApiChores = { run(now: Date): Promise<DeliveryReport & { events: number; notices: number }> };

export function apiChores(db: Db, options: ApiChoreOptions): ApiChores {
  let lastSweep = 0;
  return {
    async run(now) {
      let notices = 0;
      if (now.getTime() - lastSweep >= (options.sweepEveryMs ?? 60_000)) {
        lastSweep = now.getTime();
        notices = recordDeadlineNotices(db, { now, timeZone: options.ctx.timeZone });
        forgetOldCalls(db, now);
      }
      const fed = runFeed(db, { now, followers: options.followers });
      const report = await deliverDue(db, now, { outbound: options.outbound, signingKey: options.signingKey, post: options.post });
      return { ...report, events: fed.events, notices };
    },
  };
}
