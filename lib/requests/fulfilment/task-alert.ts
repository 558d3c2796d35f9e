/**
 * An outside system's task that failed to be carried out (a connected
 * database or list server, a webhook): the try is recorded on the task,
 * with when to try again, and at the ALERT_AFTER_ATTEMPTS-th failed try in
 * a row every admin is emailed, once, in the same transaction. The request
 * waits for the system (an unsubscribe, with no staff step, too), so
 * without the email nobody would look.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "@/db/connection";
import { requests, requestTasks, staff, type RequestType } from "@/db/schema";
import { applyChange } from "@/lib/requests/lifecycle/request-change";
import { enqueueMails } from "@/lib/mail/outbox";
import { systemTaskAlertMail } from "@/lib/mail/emails/system-task-alert";
import type { PortalContext } from "@/lib/settings/portal-context";

/** Failed tries after which the admins are emailed, once per task: 30 s + 1 + 2 + 4 minutes, so about 8 minutes of a system down. */
export const ALERT_AFTER_ATTEMPTS = 5;

export const SYSTEM_TASK_ALERT_KIND = "system-task-alert";

export function recordFailedTry(
  tx: Tx,
  input: {
    taskId: number;
    /** The tries so far, this one included. */
    attempts: number;
    /** What the task's record says of this try. */
    lastResponse: string;
    nextAttemptAt: Date;
    request: { id: number; reference: string; type: RequestType };
    systemName: string;
    /** Rightsdesk's own fixed sentence for the failure, never what the system wrote. */
    reason: string;
    now: Date;
    ctx: PortalContext;
  },
): void {
  const kept = tx
    .update(requestTasks)
    .set({ attempts: input.attempts, lastResponse: input.lastResponse, nextAttemptAt: input.nextAttemptAt })
    .where(and(eq(requestTasks.id, input.taskId), eq(requestTasks.status, "open")))
    .run().changes;
  // Done by hand meanwhile: nothing waits for the system any more.
  if (kept === 0 || input.attempts !== ALERT_AFTER_ATTEMPTS) return;
  const admins = tx.select({ email: staff.email }).from(staff).where(eq(staff.role, "admin")).orderBy(asc(staff.email)).all();
  const alert = systemTaskAlertMail.draft({
    orgName: input.ctx.orgName,
    reference: input.request.reference,
    type: input.request.type,
    system: input.systemName,
    reason: input.reason,
    attempts: input.attempts,
    staffUrl: `${input.ctx.appUrl}/staff/requests/${input.request.reference}`,
  });
  enqueueMails(
    tx,
    admins.map((admin) => ({ ...alert, to: admin.email, kind: SYSTEM_TASK_ALERT_KIND, requestId: input.request.id })),
    { now: input.now, appUrl: input.ctx.appUrl },
  );
}

/** What a stopped task says on the request page: what failed, that it is not tried again, and what staff can do. */
export function stoppedTaskResponse(reason: string): string {
  return (
    `Stopped: ${reason}. Trying again would fail the same way, so it is not tried again by itself. ` +
    "Put the cause right in the system (or in its connection or map), then press Try again; or do this part there by hand and mark the task done."
  );
}

/**
 * A connected system's task failed in a way a later try would meet the same
 * way (a map the change does not fit, a value the database refuses, a
 * password that cannot be opened): the task stays open but is not tried
 * again (no next try), the request's record says why, and every admin is
 * emailed at once, in the same transaction. Staff put the cause right and
 * try again, or do the part by hand and mark it done.
 */
export function recordStoppedTask(
  tx: Tx,
  input: {
    taskId: number;
    attempts: number;
    requestId: number;
    systemName: string;
    /** Rightsdesk's own fixed sentence for the failure, never what the system wrote. */
    reason: string;
    now: Date;
    ctx: PortalContext;
  },
): void {
  const kept = tx
    .update(requestTasks)
    .set({ attempts: input.attempts, lastResponse: stoppedTaskResponse(input.reason), nextAttemptAt: null })
    .where(and(eq(requestTasks.id, input.taskId), eq(requestTasks.status, "open")))
    .run().changes;
  // Done by hand meanwhile: nothing waits for the system any more.
  if (kept === 0) return;
  const request = tx.select().from(requests).where(eq(requests.id, input.requestId)).get();
  if (!request) throw new Error(`Request ${input.requestId} of task ${input.taskId} is missing.`);
  const noted = applyChange(tx, request, {
    actor: { type: "system" },
    action: "task_stopped",
    now: input.now,
    note: `${input.systemName}: ${input.reason}. Not tried again until staff try again or mark the task done.`,
  });
  if (!noted.ok) throw new Error(`Could not record ${request.reference}'s stopped task: ${noted.message}`);
  const admins = tx.select({ email: staff.email }).from(staff).where(eq(staff.role, "admin")).orderBy(asc(staff.email)).all();
  const alert = systemTaskAlertMail.draft({
    orgName: input.ctx.orgName,
    reference: request.reference,
    type: request.type,
    system: input.systemName,
    reason: input.reason,
    attempts: input.attempts,
    stopped: true,
    staffUrl: `${input.ctx.appUrl}/staff/requests/${request.reference}`,
  });
  enqueueMails(
    tx,
    admins.map((admin) => ({ ...alert, to: admin.email, kind: SYSTEM_TASK_ALERT_KIND, requestId: request.id })),
    { now: input.now, appUrl: input.ctx.appUrl },
  );
}
