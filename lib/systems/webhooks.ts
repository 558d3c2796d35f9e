/**
 * Calls outside systems' webhooks for open tasks: a signed JSON POST,
 * retried with backoff until the system answers 2xx, each answer recorded.
 */
import { createHmac } from "node:crypto";
import { and, asc, eq, lte } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { externalSystems, requestTasks, requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { PortalContext } from "@/lib/portal/context";
import { markTaskDone } from "./complete-task";

export const WEBHOOK_POLICY = { firstRetryMs: 30_000, maxRetryMs: 60 * 60_000, leaseMs: 60_000, timeoutMs: 10_000, batchSize: 10 } as const;

export const SIGNATURE_HEADER = "X-Rightsdesk-Signature";
export const TIMESTAMP_HEADER = "X-Rightsdesk-Timestamp";

/**
 * `sha256=` and the hex HMAC of "TIMESTAMP.BODY" with the system's secret:
 * the timestamp is signed too, so a receiver can refuse old replays.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export function webhookRetryDelayMs(attempts: number): number {
  return Math.min(WEBHOOK_POLICY.firstRetryMs * 2 ** Math.max(0, attempts - 1), WEBHOOK_POLICY.maxRetryMs);
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export type WebhookReport = { delivered: number; retrying: number };

export async function deliverDueWebhooks(db: Db, now: Date, ctx: PortalContext, fetchImpl: Fetch = fetch): Promise<WebhookReport> {
  const report: WebhookReport = { delivered: 0, retrying: 0 };
  const due = inTransaction(db, (tx) => {
    const rows = tx
      .select({
        taskId: requestTasks.id,
        attempts: requestTasks.attempts,
        url: externalSystems.url,
        secret: externalSystems.secret,
        type: requests.type,
        reference: requests.reference,
        email: requests.subjectEmail,
        name: requests.subjectName,
      })
      .from(requestTasks)
      .innerJoin(externalSystems, eq(externalSystems.id, requestTasks.systemId))
      .innerJoin(requests, eq(requests.id, requestTasks.requestId))
      .where(and(eq(requestTasks.status, "open"), eq(externalSystems.kind, "webhook"), eq(requests.status, "approved"), lte(requestTasks.nextAttemptAt, now)))
      .orderBy(asc(requestTasks.id))
      .limit(WEBHOOK_POLICY.batchSize)
      .all();
    // A lease: another beat of the worker does not pick these up while they are in flight.
    for (const row of rows) {
      tx.update(requestTasks).set({ nextAttemptAt: new Date(now.getTime() + WEBHOOK_POLICY.leaseMs) }).where(eq(requestTasks.id, row.taskId)).run();
    }
    return rows;
  });
  for (const task of due) {
    const body = JSON.stringify({ type: task.type, reference: task.reference, email: task.email, name: task.name });
    const timestamp = String(Math.floor(Date.now() / 1000));
    let answer: string;
    let ok = false;
    try {
      if (!task.url || !task.secret) throw new Error("the system has no URL or secret");
      const response = await fetchImpl(task.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: webhookSignature(task.secret, timestamp, body),
          [TIMESTAMP_HEADER]: timestamp,
        },
        body,
        signal: AbortSignal.timeout(WEBHOOK_POLICY.timeoutMs),
        redirect: "manual",
      });
      const text = (await response.text()).slice(0, 200);
      answer = `HTTP ${response.status}${text ? `: ${text}` : ""}`;
      ok = response.status >= 200 && response.status < 300;
    } catch (error) {
      answer = `No answer: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300);
    }
    if (ok) {
      inTransaction(db, (tx) => markTaskDone(tx, { taskId: task.taskId, actor: { type: "system" }, response: answer, now: new Date(), ctx }));
      report.delivered++;
    } else {
      const attempts = task.attempts + 1;
      db.update(requestTasks)
        .set({ attempts, lastResponse: answer, nextAttemptAt: new Date(now.getTime() + webhookRetryDelayMs(attempts)) })
        .where(and(eq(requestTasks.id, task.taskId), eq(requestTasks.status, "open")))
        .run();
      report.retrying++;
    }
  }
  return report;
}
