/**
 * The background worker's part for connected systems: each open task of a
 * database or list server is carried out there (gathered for an access
 * export, erased, corrected, unsubscribed), and its result and a sentence
 * for the record are kept with the task, which is then done; the last task
 * done lets the request complete. A system that is down or refuses leaves
 * its task open with the reason, and it is tried again with backoff
 * (30 seconds doubling to an hour). A failure that trying again cannot mend
 * (the map does not fit the change, the database refuses the value, the
 * password cannot be opened) stops the task instead: it stays open, is not
 * tried again, and the record and the admins are told what to do. Nothing of this runs while a page or
 * action waits: the worker does it, within each system's time limits.
 */
import { createHmac } from "node:crypto";
import { and, asc, eq, inArray, lte, or } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { externalSystems, requests, requestTasks, type RequestRow } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { PortalContext } from "@/lib/settings/portal-context";
import { markTaskDone } from "@/lib/requests/fulfilment/complete-task";
import { recordFailedTry, recordStoppedTask } from "./task-alert";
import { loadConnectedSystem, type ConnectedSystem } from "@/lib/systems/connectors/connected-systems";
import { CONNECTOR_KINDS } from "@/lib/systems/connectors/connection-settings";
import type { CredentialsKey } from "@/lib/systems/connectors/credentials";
import { describeFailure } from "@/lib/systems/connectors/failures";
import { carryOutWork, type Work, type WorkResult } from "@/lib/systems/connectors/system-work";
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import { webhookRetryDelayMs } from "@/lib/requests/fulfilment/webhooks";
import { listsNamed } from "./unsubscribe";
import { reviewCorrection } from "./correction";

export type ConnectorOptions = {
  outbound: OutboundPolicy;
  credentials: CredentialsKey;
  /** The work itself; tests of the runner's bookkeeping may hand in their own. */
  carryOut?: (system: ConnectedSystem, work: Work, policy: OutboundPolicy) => Promise<WorkResult>;
};

export const CONNECTOR_POLICY = {
  /** Longer than any one system's work can take within its time limits, so no other beat takes the task meanwhile. */
  leaseMs: 5 * 60_000,
  batchSize: 10,
} as const;

/**
 * The keyed hash an erasure writes where the map says `hash`: HMAC-SHA256
 * with the installation's secret, so only someone holding the value and
 * the secret can tell what it was.
 */
export function erasureHash(secret: string): (value: string) => string {
  return (value) => createHmac("sha256", secret).update(`rightsdesk:connector-erasure:${value}`).digest("hex");
}

/** The work a request asks of a connected system. */
export function workFor(db: Db, request: RequestRow, now: Date, ctx: PortalContext): Work | null {
  const email = request.subjectEmail;
  switch (request.type) {
    case "access":
      return { type: "access", email };
    case "erasure":
      return { type: "erasure", email, now, timeZone: ctx.timeZone, hashValue: erasureHash(ctx.authSecret) };
    case "unsubscribe": {
      // A list server ends only the lists the request names, by their list id or posting address.
      const lists = listsNamed(request);
      return lists ? { type: "unsubscribe", email, lists } : { type: "unsubscribe", email };
    }
    case "correction": {
      const changes = Object.fromEntries(reviewCorrection(db, request).filter((r) => r.decision === "accepted").map((r) => [r.field, r.proposed]));
      return { type: "correction", email, changes };
    }
    default:
      return null;
  }
}

/** What the task keeps: for access, what was found (until the export holds it); otherwise the counts. */
function resultOf(work: Work, outcome: WorkResult, now: Date): Record<string, unknown> {
  if (work.type === "access") return { work: "access", searchedAt: now.toISOString(), ...(outcome.tables ? { tables: outcome.tables } : {}), ...(outcome.lists ? { lists: outcome.lists } : {}) };
  return {
    work: work.type,
    summary: outcome.summary,
    ...(outcome.counts ? { counts: outcome.counts } : {}),
    ...(outcome.listsEnded !== undefined ? { listsEnded: outcome.listsEnded } : {}),
  };
}

/** `stopped`: tasks whose failure a later try would meet the same way, left for staff. */
export type ConnectorReport = { done: number; retrying: number; stopped: number };

export async function runDueConnectorTasks(db: Db, now: Date, ctx: PortalContext, options: ConnectorOptions): Promise<ConnectorReport> {
  const carryOut = options.carryOut ?? carryOutWork;
  const report: ConnectorReport = { done: 0, retrying: 0, stopped: 0 };
  const due = inTransaction(db, (tx) => {
    const rows = tx
      .select({ taskId: requestTasks.id, attempts: requestTasks.attempts, systemId: externalSystems.id, systemName: externalSystems.name, requestId: requests.id })
      .from(requestTasks)
      .innerJoin(externalSystems, eq(externalSystems.id, requestTasks.systemId))
      .innerJoin(requests, eq(requests.id, requestTasks.requestId))
      .where(
        and(
          eq(requestTasks.status, "open"),
          inArray(externalSystems.kind, [...CONNECTOR_KINDS]),
          // A system switched off is not reached, first try or retry: its open tasks are ticked by hand.
          eq(externalSystems.active, true),
          // Approved, or an unsubscribe, which waits for its systems as received.
          or(eq(requests.status, "approved"), and(eq(requests.type, "unsubscribe"), eq(requests.status, "received"))),
          lte(requestTasks.nextAttemptAt, now),
        ),
      )
      .orderBy(asc(requestTasks.nextAttemptAt), asc(requestTasks.id))
      .limit(CONNECTOR_POLICY.batchSize)
      .all();
    // A lease: another beat, or another worker, does not take these up while they are being worked.
    for (const row of rows) {
      tx.update(requestTasks).set({ nextAttemptAt: new Date(now.getTime() + CONNECTOR_POLICY.leaseMs) }).where(eq(requestTasks.id, row.taskId)).run();
    }
    return rows;
  });

  for (const task of due) {
    const request = db.select().from(requests).where(eq(requests.id, task.requestId)).get();
    if (!request || (request.status !== "approved" && !(request.type === "unsubscribe" && request.status === "received"))) continue;
    let outcome: WorkResult | null = null;
    let work: Work | null = null;
    let reason = "";
    let retry = true;
    try {
      const system = loadConnectedSystem(db, task.systemId, options.credentials);
      if (!system || !system.active) continue;
      work = workFor(db, request, now, ctx);
      if (!work) continue;
      outcome = await carryOut(system, work, options.outbound);
    } catch (error) {
      const failure = describeFailure(error);
      reason = failure.sentence.charAt(0).toUpperCase() + failure.sentence.slice(1).replace(/\.$/, "");
      retry = failure.retry;
    }
    if (outcome && work) {
      const finishedAt = new Date();
      const done = work;
      const result = outcome;
      inTransaction(db, (tx) => {
        tx.update(requestTasks).set({ result: resultOf(done, result, finishedAt) }).where(and(eq(requestTasks.id, task.taskId), eq(requestTasks.status, "open"))).run();
        const marked = markTaskDone(tx, { taskId: task.taskId, actor: { type: "system" }, response: result.summary, now: finishedAt, ctx });
        // Done by someone else meanwhile (ticked by hand): nothing more to record.
        if (!marked.ok && marked.reason !== "not_allowed") throw new Error(`Could not record ${request.reference}'s task: ${marked.message}`);
      });
      report.done++;
    } else if (!retry) {
      const attempts = task.attempts + 1;
      inTransaction(db, (tx) =>
        recordStoppedTask(tx, { taskId: task.taskId, attempts, requestId: request.id, systemName: task.systemName, reason, now, ctx }),
      );
      report.stopped++;
    } else {
      const attempts = task.attempts + 1;
      inTransaction(db, (tx) =>
        recordFailedTry(tx, {
          taskId: task.taskId,
          attempts,
          lastResponse: `Not done yet: ${reason}. It will be tried again.`,
          nextAttemptAt: new Date(now.getTime() + webhookRetryDelayMs(attempts)),
          request,
          systemName: task.systemName,
          reason,
          now,
          ctx,
        }),
      );
      report.retrying++;
    }
  }
  return report;
}
