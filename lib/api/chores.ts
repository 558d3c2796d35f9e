/**
 * The API's background work, run on the worker's beat: the deadline sweep,
 * the feed from the log to the delivery outbox, the deliveries themselves,
 * and forgetting what is kept only for a while.
 */
import type { Db } from "@/db/connection";
import type { PortalContext } from "@/lib/settings/portal-context";
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import type { PostWebhook } from "@/lib/systems/webhook-call";
import { forgetOldCalls } from "./call-log";
import { callbacksForEvents, callbacksForTime } from "./drp/callbacks";
import { forgetExpiredMessages } from "./drp/exercise";
import { recordDeadlineNotices } from "./deadline-notices";
import { deliverDue, type DeliveryReport } from "./deliveries";
import { runFeed, type FeedFollower } from "./feed";

export type ApiChoreOptions = {
  ctx: PortalContext;
  outbound: OutboundPolicy;
  /** Where agents' status callbacks may go (see DeliveryOptions). */
  agentOutbound?: OutboundPolicy;
  signingKey: string;
  post?: PostWebhook;
  /** Tidying that needs no hurry (the deadline sweep, old calls) runs at most this often. */
  sweepEveryMs?: number;
};

export type ApiChores = { run(now: Date): Promise<DeliveryReport & { events: number; notices: number }> };

/** The feed's follower for agents: a request filed by an agent whose log moved may have a new DRP status to call back with. */
export function agentCallbackFollower(ctx: PortalContext): FeedFollower {
  return (tx, events, now) => {
    callbacksForEvents(
      tx,
      events.flatMap((e) => (e.intakeId ? [e.intakeId] : [])),
      { now, ctx },
    );
  };
}

export function apiChores(db: Db, options: ApiChoreOptions): ApiChores {
  let lastSweep = 0;
  const followers = [agentCallbackFollower(options.ctx)];
  return {
    async run(now) {
      let notices = 0;
      if (now.getTime() - lastSweep >= (options.sweepEveryMs ?? 60_000)) {
        lastSweep = now.getTime();
        notices = recordDeadlineNotices(db, { now, timeZone: options.ctx.timeZone });
        callbacksForTime(db, { now, ctx: options.ctx });
        forgetOldCalls(db, now);
        forgetExpiredMessages(db, now);
      }
      const fed = runFeed(db, { now, followers });
      const report = await deliverDue(db, now, { outbound: options.outbound, agentOutbound: options.agentOutbound, signingKey: options.signingKey, post: options.post });
      return { ...report, events: fed.events, notices };
    },
  };
}
