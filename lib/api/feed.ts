/**
 * The feed: reads the request log after where it stopped and, for each
 * event of a public kind, queues one delivery to every active subscription
 * that asked for that kind (and for agents' callbacks, through `followers`).
 * The deliveries and the feed's new position commit in one transaction, so
 * a crash at any point neither loses an event nor queues one twice.
 */
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { apiDeliveries, apiFeed, apiSubscriptions } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { publicKindOf } from "./event-kinds";
import { lastEventId, loggedEventsAfter, publicEventOf, type LoggedEvent } from "./events";

/** Events read in one transaction: short enough that other writers barely wait. */
export const FEED_BATCH = 500;

/**
 * Where the feed stands. Made on first use at the end of the log: nothing
 * can be owed to a subscription or an agent that did not exist yet.
 */
export function ensureFeed(tx: Tx): number {
  tx.insert(apiFeed).values({ id: 1, lastEventId: lastEventId(tx) }).onConflictDoNothing().run();
  return tx.select({ lastEventId: apiFeed.lastEventId }).from(apiFeed).where(eq(apiFeed.id, 1)).get()!.lastEventId;
}

/** Something else that follows the log in the feed's transaction: agents' status callbacks. */
export type FeedFollower = (tx: Tx, events: readonly LoggedEvent[], now: Date) => void;

export type SubscriptionBody = { delivery: string; subscription: number; event: ReturnType<typeof publicEventOf> };

/** One batch of the feed; how many events it read and deliveries it queued. */
export function feedOnce(db: Db, input: { now: Date; followers?: readonly FeedFollower[]; batch?: number }): { events: number; deliveries: number } {
  return inTransaction(db, (tx) => {
    const after = ensureFeed(tx);
    const head = lastEventId(tx);
    if (head <= after) return { events: 0, deliveries: 0 };
    const until = Math.min(head, after + (input.batch ?? FEED_BATCH));
    const events = loggedEventsAfter(tx, { after, until });
    const subscriptions = tx
      .select({ id: apiSubscriptions.id, url: apiSubscriptions.url, kinds: apiSubscriptions.kinds, startsAfter: apiSubscriptions.startsAfterEventId })
      .from(apiSubscriptions)
      .where(eq(apiSubscriptions.active, true))
      .all();
    let deliveries = 0;
    for (const event of events) {
      const kind = publicKindOf(event);
      if (!kind) continue;
      for (const subscription of subscriptions) {
        if (event.id <= subscription.startsAfter || !subscription.kinds.includes(kind)) continue;
        const deliveryId = randomUUID();
        const body: SubscriptionBody = { delivery: deliveryId, subscription: subscription.id, event: publicEventOf(event, kind) };
        deliveries += tx
          .insert(apiDeliveries)
          .values({
            deliveryId,
            target: "subscription",
            subscriptionId: subscription.id,
            eventId: event.id,
            url: subscription.url,
            body: JSON.stringify(body),
            status: "pending",
            nextAttemptAt: input.now,
            createdAt: input.now,
          })
          .onConflictDoNothing()
          .run().changes;
      }
    }
    for (const follow of input.followers ?? []) follow(tx, events, input.now);
    tx.update(apiFeed).set({ lastEventId: until }).where(eq(apiFeed.id, 1)).run();
    return { events: until - after, deliveries };
  });
}

/** The feed until it has caught up with the log, a batch per transaction. */
export function runFeed(db: Db, input: { now: Date; followers?: readonly FeedFollower[]; batch?: number; maxBatches?: number }): { events: number; deliveries: number } {
  const total = { events: 0, deliveries: 0 };
  for (let i = 0; i < (input.maxBatches ?? 20); i++) {
    const once = feedOnce(db, input);
    total.events += once.events;
    total.deliveries += once.deliveries;
    if (once.events === 0) break;
  }
  return total;
}

/** How far behind the log the feed is (for the admin page): 0 once it has caught up. */
export function feedLag(db: Db): number {
  const row = db.select({ lastEventId: apiFeed.lastEventId }).from(apiFeed).where(eq(apiFeed.id, 1)).get();
  if (!row) return 0;
  return Math.max(0, (db.select({ id: sql<number | null>`max(id)` }).from(sql`request_events`).get()?.id ?? 0) - row.lastEventId);
}
