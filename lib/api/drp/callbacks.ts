/**
 * Status callbacks (section 2.03): when an agent's request moves to a new
 * DRP status, the Exercise Status object is POSTed to its status_callback,
 * through the same delivery outbox as event subscriptions (retried with
 * backoff, never lost across a restart). A status is sent once: the last
 * one sent is kept, and the same status again sends nothing.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNull, notLike, or } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { apiDeliveries, drpRequests, type DrpRequest } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { PortalContext } from "@/lib/settings/portal-context";
import { drpStatusOf } from "./status";

/** Queues a callback when the request's status differs from the last one sent; true when it did. */
export function queueCallbackIfChanged(tx: Tx, drp: DrpRequest, input: { now: Date; ctx: PortalContext }): boolean {
  const status = drpStatusOf(tx, drp, input);
  const text = JSON.stringify(status);
  if (text === drp.lastCallbackStatus) return false;
  tx.update(drpRequests).set({ lastCallbackStatus: text }).where(eq(drpRequests.id, drp.id)).run();
  if (!drp.statusCallback) return false;
  tx.insert(apiDeliveries)
    .values({
      deliveryId: randomUUID(),
      target: "agent_callback",
      drpRequestId: drp.id,
      url: drp.statusCallback,
      body: text,
      status: "pending",
      nextAttemptAt: input.now,
      createdAt: input.now,
    })
    .run();
  return true;
}

/** For the feed: the agents' requests among those whose log moved, by their intake ids. */
export function callbacksForEvents(tx: Tx, intakeIds: readonly string[], input: { now: Date; ctx: PortalContext }): number {
  const ids = [...new Set(intakeIds)];
  if (ids.length === 0) return 0;
  let queued = 0;
  for (const drp of tx.select().from(drpRequests).where(inArray(drpRequests.id, ids)).all()) {
    if (queueCallbackIfChanged(tx, drp, input)) queued++;
  }
  return queued;
}

/**
 * Statuses that change with time alone: a confirmation link that lapsed
 * (denied, insuf_verification) and an access export that expired (expired).
 * Only requests whose last status sent could still change are looked at.
 */
export function callbacksForTime(db: Db, input: { now: Date; ctx: PortalContext }): number {
  return inTransaction(db, (tx) => {
    const candidates = tx
      .select()
      .from(drpRequests)
      .where(
        and(
          isNull(drpRequests.revokedAt),
          isNull(drpRequests.refusedReason),
          or(
            isNull(drpRequests.lastCallbackStatus),
            and(
              notLike(drpRequests.lastCallbackStatus, '%"status":"denied"%'),
              notLike(drpRequests.lastCallbackStatus, '%"status":"expired"%'),
              notLike(drpRequests.lastCallbackStatus, '%"status":"revoked"%'),
            ),
          ),
        ),
      )
      .all();
    let queued = 0;
    for (const drp of candidates) if (queueCallbackIfChanged(tx, drp, input)) queued++;
    return queued;
  });
}
