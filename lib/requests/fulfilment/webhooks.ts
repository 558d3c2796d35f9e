/**
 * Calls outside systems' webhooks for open tasks: a signed JSON POST,
 * retried with backoff until the system answers 2xx, each answer recorded.
 * An answer no later call would change (a refusal, a redirect, an address
 * that is not allowed, a secret that cannot be opened) stops the task as a
 * connected system's is stopped (task-alert.ts): admins are told at once,
 * and staff try again once the cause is put right, or tick it by hand.
 */
import { createHmac, randomUUID } from "node:crypto";
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { externalSystems, requestTasks, requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { PortalContext } from "@/lib/settings/portal-context";
import { markTaskDone } from "@/lib/requests/fulfilment/complete-task";
import { recordFailedTry, recordStoppedTask } from "./task-alert";
import { checkWebhookTarget, type OutboundPolicy } from "@/lib/http/outbound-address";
import { callLeaseMs, postWebhook, webhookAnswer, worthCallingAgain, type PostWebhook } from "@/lib/systems/webhook-call";
import { CredentialsError, looksSealed, type CredentialsKey } from "@/lib/systems/connectors/credentials";
import { openWebhookSecret } from "@/lib/systems/webhook-secrets";

export const WEBHOOK_POLICY = { firstRetryMs: 30_000, maxRetryMs: 60 * 60_000, timeoutMs: 10_000, batchSize: 10 } as const;

export const SIGNATURE_HEADER = "X-Rightsdesk-Signature";
export const TIMESTAMP_HEADER = "X-Rightsdesk-Timestamp";
export const DELIVERY_HEADER = "X-Rightsdesk-Delivery";

/**
 * `sha256=` and the hex HMAC of "TIMESTAMP.BODY" with the system's secret:
 * the timestamp is signed too, and the body holds the delivery's own id, so
 * a receiver can refuse an old call and a replayed one.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export function webhookRetryDelayMs(attempts: number): number {
  return Math.min(WEBHOOK_POLICY.firstRetryMs * 2 ** Math.max(0, attempts - 1), WEBHOOK_POLICY.maxRetryMs);
}

export type WebhookOptions = {
  /** Which addresses may be called; see outbound-address.ts. */
  outbound: OutboundPolicy;
  /** The key the systems' secrets are sealed with (`<dataDir>/credentials-key`). */
  credentials: CredentialsKey;
  /** The call itself; tests hand in their own. */
  post?: PostWebhook;
};

/** The secret to sign with, or the sentence for staff when it cannot be opened (never thrown: one bad secret holds up no other task). */
function secretFor(key: CredentialsKey, systemId: number, stored: string): { ok: true; secret: string } | { ok: false; sentence: string; retry: boolean } {
  // Kept in the clear by an older version and not sealed yet: migrating seals it, keeping its value.
  if (!looksSealed(stored)) return { ok: false, sentence: "The system's secret is not sealed yet; run npm run db:migrate (npm start does it too) and it will be called again.", retry: true };
  try {
    return { ok: true, secret: openWebhookSecret(key, systemId, stored) };
  } catch (error) {
    // Another key, or another system's secret: only a new secret mends it.
    if (error instanceof CredentialsError) return { ok: false, sentence: error.message, retry: false };
    throw error;
  }
}

export type WebhookReport = { delivered: number; retrying: number; stopped: number };

export async function deliverDueWebhooks(db: Db, now: Date, ctx: PortalContext, options: WebhookOptions): Promise<WebhookReport> {
  const post = options.post ?? postWebhook;
  const report: WebhookReport = { delivered: 0, retrying: 0, stopped: 0 };
  const due = inTransaction(db, 
    (tx) => {
      const rows = tx
        .select({
          taskId: requestTasks.id,
          requestId: requests.id,
          systemId: externalSystems.id,
          systemName: externalSystems.name,
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
        .where(
          and(
            eq(requestTasks.status, "open"),
            eq(externalSystems.kind, "webhook"),
            // A system that is switched off gets no call, first try or retry.
            eq(externalSystems.active, true),
            eq(requests.status, "approved"),
            lte(requestTasks.nextAttemptAt, now),
          ),
        )
        .orderBy(asc(requestTasks.id))
        .limit(WEBHOOK_POLICY.batchSize)
        .all();
      // A lease, as long as calling them all can take: another beat or worker does not pick these up while they are in flight.
      if (rows.length > 0) {
        tx.update(requestTasks)
          .set({ nextAttemptAt: new Date(now.getTime() + callLeaseMs(rows.length, WEBHOOK_POLICY.timeoutMs)) })
          .where(inArray(requestTasks.id, rows.map((row) => row.taskId)))
          .run();
      }
      return rows;
    },
  );
  for (const task of due) {
    let answer: string;
    let ok = false;
    // Whether a later call could fare otherwise: not when the address or the secret is what failed.
    let retry = true;
    const stillOn = db.select({ active: externalSystems.active }).from(externalSystems).where(eq(externalSystems.id, task.systemId)).get()?.active === true;
    if (!stillOn) {
      // Switched off while this beat was under way: left as it is, and not called.
      continue;
    }
    const secret = task.secret ? secretFor(options.credentials, task.systemId, task.secret) : null;
    const target = task.url && secret?.ok ? await checkWebhookTarget(task.url, options.outbound) : null;
    if (secret && !secret.ok) {
      answer = `Not called: ${secret.sentence}`;
      retry = secret.retry;
    } else if (!target || !secret) {
      answer = "Not called: the system has no address or secret.";
      retry = false;
    } else if (!target.ok) {
      answer = `Not called: ${target.message}`;
      // A name that could not be looked up may be found later; an address not allowed, or not an address, stays so.
      retry = target.reason === "unresolved";
    } else {
      // Each call is a delivery of its own, named inside the signed body, so a receiver can refuse one it has seen.
      const delivery = randomUUID();
      const body = JSON.stringify({ delivery, type: task.type, reference: task.reference, email: task.email, name: task.name });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const outcome = await post({
        url: target.url,
        pinned: target.pinned,
        headers: {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: webhookSignature(secret.secret, timestamp, body),
          [TIMESTAMP_HEADER]: timestamp,
          [DELIVERY_HEADER]: delivery,
        },
        body,
        timeoutMs: WEBHOOK_POLICY.timeoutMs,
      });
      answer = webhookAnswer(outcome);
      ok = "status" in outcome && outcome.status >= 200 && outcome.status < 300;
      retry = worthCallingAgain(outcome);
    }
    if (ok) {
      inTransaction(db, (tx) => markTaskDone(tx, { taskId: task.taskId, actor: { type: "system" }, response: answer, now: new Date(), ctx }));
      report.delivered++;
    } else if (!retry) {
      const attempts = task.attempts + 1;
      const reason = answer.replace(/\.$/, "");
      inTransaction(db, (tx) => recordStoppedTask(tx, { taskId: task.taskId, attempts, requestId: task.requestId, systemName: task.systemName, reason, now, ctx }));
      report.stopped++;
    } else {
      const attempts = task.attempts + 1;
      inTransaction(db, (tx) =>
        recordFailedTry(tx, {
          taskId: task.taskId,
          attempts,
          lastResponse: answer,
          nextAttemptAt: new Date(now.getTime() + webhookRetryDelayMs(attempts)),
          request: { id: task.requestId, reference: task.reference, type: task.type },
          systemName: task.systemName,
          reason: answer,
          now,
          ctx,
        }),
      );
      report.retrying++;
    }
  }
  return report;
}
