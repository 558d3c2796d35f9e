/**
 * Sends what the delivery outbox holds: events to subscriptions (signed as
 * the outside systems' webhooks are, with the delivery's id) and status
 * callbacks to agents. Each try is claimed with a lease, so two workers
 * never send the same delivery at once; a failure is retried with backoff,
 * and after DELIVERY_POLICY.maxAttempts the delivery is marked failed until
 * an admin replays it. A delivery keeps its id on every try and on a replay:
 * the receiver acts once per id.
 */
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { apiDeliveries, apiSubscriptions, drpAgents, drpRequests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { AGENT_CALLBACK_SETTING, type OutboundPolicy } from "@/lib/http/outbound-address";
import { callLeaseMs, postWebhook, type CallFailure, type CallOutcome, type PostWebhook } from "@/lib/systems/webhook-call";
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from "@/lib/requests/fulfilment/webhooks";
import { checkDeliveryTarget } from "./subscriptions";
import { subscriptionSecret } from "./signing-key";

export const DELIVERY_POLICY = { firstRetryMs: 30_000, maxRetryMs: 60 * 60_000, maxAttempts: 12, timeoutMs: 10_000, batchSize: 10 } as const;

export function deliveryRetryDelayMs(attempts: number): number {
  return Math.min(DELIVERY_POLICY.firstRetryMs * 2 ** Math.max(0, attempts - 1), DELIVERY_POLICY.maxRetryMs);
}

export type DeliveryOptions = {
  /** Where subscriptions (the organisation's own receivers) may be called. */
  outbound: OutboundPolicy;
  /**
   * Where agents' status callbacks may be called (agentCallbackPolicyOf). An
   * agent is an outside party: without this, no private host at all, never
   * the hosts `outbound` allows for the organisation's own systems.
   */
  agentOutbound?: OutboundPolicy;
  /** The key subscriptions' secrets are made from (signing-key.ts). */
  signingKey: string;
  post?: PostWebhook;
  /** The wall clock for the signature's timestamp; tests hand in their own. */
  clock?: () => Date;
};

export type DeliveryReport = { delivered: number; retrying: number; failed: number };

type Claimed = { id: number; deliveryId: string; target: string; url: string; body: string; attempts: number; salt: string | null };

/** Claims due deliveries with a lease as long as sending them all can take (`callLeaseMs`), in one short transaction. */
function claimDue(db: Db, now: Date): Claimed[] {
  return inTransaction(db, (tx) => {
    const rows = tx
      .select({
        id: apiDeliveries.id,
        deliveryId: apiDeliveries.deliveryId,
        target: apiDeliveries.target,
        url: apiDeliveries.url,
        body: apiDeliveries.body,
        attempts: apiDeliveries.attempts,
        salt: apiSubscriptions.secretSalt,
      })
      .from(apiDeliveries)
      .leftJoin(apiSubscriptions, eq(apiSubscriptions.id, apiDeliveries.subscriptionId))
      .leftJoin(drpRequests, eq(drpRequests.id, apiDeliveries.drpRequestId))
      .leftJoin(drpAgents, eq(drpAgents.id, drpRequests.agentId))
      .where(
        and(
          eq(apiDeliveries.status, "pending"),
          lte(apiDeliveries.nextAttemptAt, now),
          // A subscription switched off gets nothing, and neither does an agent an admin switched off (its token and
          // signatures stop at once, and so does what it hears); their deliveries wait for them to be switched on.
          or(and(eq(apiDeliveries.target, "agent_callback"), isNull(drpAgents.disabledAt)), eq(apiSubscriptions.active, true)),
        ),
      )
      .orderBy(asc(apiDeliveries.nextAttemptAt), asc(apiDeliveries.id))
      .limit(DELIVERY_POLICY.batchSize)
      .all();
    if (rows.length > 0) {
      tx.update(apiDeliveries)
        .set({ nextAttemptAt: new Date(now.getTime() + callLeaseMs(rows.length, DELIVERY_POLICY.timeoutMs)) })
        .where(inArray(apiDeliveries.id, rows.map((r) => r.id)))
        .run();
    }
    return rows;
  });
}

const FAILURES: Record<CallFailure, string> = {
  timeout: "the receiver did not answer in time",
  refused: "the receiver refused the connection",
  unreachable: "the receiver's network could not be reached",
  tls: "the secure connection failed (check the receiver's certificate)",
  reset: "the connection was cut before the receiver answered",
  other: "the connection failed",
};

/** What an admin sees of a try: the status code and a fixed sentence, never what the receiver wrote back. */
export function deliveryAnswer(outcome: CallOutcome): string {
  if ("failure" in outcome) return `No answer: ${FAILURES[outcome.failure]}.`;
  const { status } = outcome;
  if (status >= 200 && status < 300) return `HTTP ${status}: received.`;
  if (status >= 300 && status < 400) return `HTTP ${status}: a redirect, which is not followed; check the address.`;
  return `HTTP ${status}: not accepted.`;
}

async function attempt(delivery: Claimed, options: DeliveryOptions): Promise<{ ok: boolean; answer: string }> {
  const policy = delivery.target === "agent_callback" ? (options.agentOutbound ?? { ...options.outbound, allowPrivateHosts: [], allowSetting: AGENT_CALLBACK_SETTING }) : options.outbound;
  const target = await checkDeliveryTarget(delivery.url, policy);
  if (!target.ok) return { ok: false, answer: `Not sent: ${target.message}` };
  const headers: Record<string, string> = { "content-type": "application/json", [DELIVERY_HEADER]: delivery.deliveryId };
  if (delivery.target === "subscription") {
    if (!delivery.salt) return { ok: false, answer: "Not sent: the subscription is gone." };
    const timestamp = String(Math.floor((options.clock?.() ?? new Date()).getTime() / 1000));
    headers[TIMESTAMP_HEADER] = timestamp;
    headers[SIGNATURE_HEADER] = webhookSignature(subscriptionSecret(options.signingKey, delivery.salt), timestamp, delivery.body);
  }
  const outcome = await (options.post ?? postWebhook)({ url: target.url, pinned: target.pinned, headers, body: delivery.body, timeoutMs: DELIVERY_POLICY.timeoutMs });
  const ok = "status" in outcome && outcome.status >= 200 && outcome.status < 300;
  return { ok, answer: deliveryAnswer(outcome) };
}

export async function deliverDue(db: Db, now: Date, options: DeliveryOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0 };
  for (const delivery of claimDue(db, now)) {
    const { ok, answer } = await attempt(delivery, options);
    const at = options.clock?.() ?? now;
    const attempts = delivery.attempts + 1;
    if (ok) {
      db.update(apiDeliveries).set({ status: "delivered", attempts, lastResponse: answer, lastAttemptAt: at, deliveredAt: at }).where(eq(apiDeliveries.id, delivery.id)).run();
      report.delivered++;
    } else if (attempts >= DELIVERY_POLICY.maxAttempts) {
      db.update(apiDeliveries).set({ status: "failed", attempts, lastResponse: answer, lastAttemptAt: at }).where(eq(apiDeliveries.id, delivery.id)).run();
      report.failed++;
    } else {
      db.update(apiDeliveries)
        .set({ attempts, lastResponse: answer, lastAttemptAt: at, nextAttemptAt: new Date(at.getTime() + deliveryRetryDelayMs(attempts)) })
        .where(eq(apiDeliveries.id, delivery.id))
        .run();
      report.retrying++;
    }
  }
  return report;
}

/**
 * An admin sends a delivery again, whatever became of it: the same body
 * and id (a receiver that already acted on it answers 2xx and does nothing),
 * from the first try's backoff again, and the replay on the record.
 */
export function replayDelivery(db: Db, input: { id: number; replayedBy: string; now: Date }): boolean {
  return (
    db
      .update(apiDeliveries)
      .set({ status: "pending", attempts: 0, nextAttemptAt: input.now, replayedAt: input.now, replayedBy: input.replayedBy })
      .where(eq(apiDeliveries.id, input.id))
      .run().changes === 1
  );
}

/** Replays every failed delivery of one subscription. */
export function replayFailedDeliveries(db: Db, input: { subscriptionId: number; replayedBy: string; now: Date }): number {
  return db
    .update(apiDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: input.now, replayedAt: input.now, replayedBy: input.replayedBy })
    .where(and(eq(apiDeliveries.subscriptionId, input.subscriptionId), eq(apiDeliveries.status, "failed")))
    .run().changes;
}

/** When the next pending delivery falls due, so the worker can wake for it. */
export function nextDeliveryAt(db: Db): Date | null {
  const row = db
    .select({ at: sql<number | null>`min(${apiDeliveries.nextAttemptAt})` })
    .from(apiDeliveries)
    .where(eq(apiDeliveries.status, "pending"))
    .get();
  return row?.at ? new Date(row.at) : null;
}
