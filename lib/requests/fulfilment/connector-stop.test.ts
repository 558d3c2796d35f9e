/**
 * A connected system's failure that trying again cannot mend (a value the
 * database refuses, a map the change does not fit, a password that cannot
 * be opened) stops its task: it is not tried again, the request's record
 * says why, the admins are told at once, and the request page offers to try
 * again once the cause is put right, or to mark the task done by hand.
 */
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requestTasks } from "@/db/schema";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { addStaffMember } from "@/lib/staff/staff-members";
import { saveConnectedSystem } from "@/lib/systems/connectors/connected-systems";
import { CredentialsError, loadOrCreateCredentialsKey, type CredentialsKey } from "@/lib/systems/connectors/credentials";
import { MapRefusal } from "@/lib/systems/connectors/database-work";
import { SystemAnswer } from "@/lib/systems/connectors/failures";
import type { WorkResult } from "@/lib/systems/connectors/system-work";
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import { filed } from "@/lib/testing/filed";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { requestEventsOf, requestRow } from "@/lib/testing/request-reads";
import { makeTempDir, openTempDatabase, removeTempDir, type TempDatabase } from "@/lib/testing/temp-database";
import { runDueConnectorTasks } from "./connector-tasks";
import { retryStoppedTask, tickManualTask } from "./complete-task";
import { getFulfilmentView } from "./staff-fulfilment-view";
import { SYSTEM_TASK_ALERT_KIND } from "./task-alert";

const policy: OutboundPolicy = { allowPrivateHosts: [], resolve: async () => [] };
const ADA = { type: "staff", email: "ada@example.org", role: "admin" } as const;
const AUDITOR = { type: "staff", email: "aud@example.org", role: "auditor" } as const;

const PERMANENT: Array<{ name: string; error: () => unknown; says: string }> = [
  { name: "a value the database refuses (unique key)", error: () => Object.assign(new Error("duplicate key value"), { code: "23505" }), says: "The database refused because the value is already used by another row (a unique key)" },
  { name: "an empty value in a column that requires one (MariaDB)", error: () => Object.assign(new Error("Column cannot be null"), { code: "ER_BAD_NULL_ERROR" }), says: "The database refused an empty value in a column that requires one" },
  { name: "a change the map cannot hold", error: () => new MapRefusal("The corrected name is longer than people.full_name holds (20 characters); nothing was written to this system."), says: "The corrected name is longer than people.full_name holds (20 characters); nothing was written to this system" },
  { name: "a password that cannot be opened", error: () => new CredentialsError("the stored password cannot be opened with this installation's key; enter it again on the system's page."), says: "The stored password cannot be opened with this installation's key; enter it again on the system's page" },
  { name: "a list server's answer marked not worth retrying", error: () => new SystemAnswer("the list server refused the request as malformed", false), says: "The list server refused the request as malformed" },
];

describe("a connected system's failure that trying again cannot mend", () => {
  let t: TempDatabase;
  let dir: string;
  let key: CredentialsKey;
  beforeEach(() => {
    t = openTempDatabase();
    dir = makeTempDir();
    key = loadOrCreateCredentialsKey(dir);
  });
  afterEach(() => {
    t.close();
    removeTempDir(dir);
  });

  function setUp(now: Date): string {
    for (const [email, role] of [["ada@example.org", "admin"], ["bea@example.org", "admin"], ["rex@example.org", "reviewer"], ["aud@example.org", "auditor"]] as const) {
      expect(addStaffMember(t.db, { email, role, now }).ok).toBe(true);
    }
    const saved = saveConnectedSystem(t.db, { id: null, name: "Lists", kind: "mailman", settings: { url: "https://lists.example.org/3.1", user: "rest" }, password: "p", mapText: null }, { key, now });
    expect(saved.ok).toBe(true);
    return filed(fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "una@example.org", details: { type: "unsubscribe" } }, now, ctx: TEST_CONTEXT })).reference;
  }
  const taskOf = (reference: string) => t.db.select().from(requestTasks).where(and(eq(requestTasks.requestId, requestRow(t.db, reference).id))).get()!;
  const alerts = () =>
    t.db
      .select({ to: mailOutbox.toAddress, subject: mailOutbox.subject })
      .from(mailOutbox)
      .where(eq(mailOutbox.kind, SYSTEM_TASK_ALERT_KIND))
      .all()
      .sort((a, b) => a.to.localeCompare(b.to));

  it.each(PERMANENT)("$name: stopped at the first try, on the record, the admins told at once, and not tried again", async ({ error, says }) => {
    let now = new Date("2026-12-01T09:00:00Z");
    const reference = setUp(now);
    let calls = 0;
    const failing = async (): Promise<never> => {
      calls++;
      throw error();
    };
    expect(await runDueConnectorTasks(t.db, now, TEST_CONTEXT, { outbound: policy, credentials: key, carryOut: failing })).toEqual({ done: 0, retrying: 0, stopped: 1 });
    const task = taskOf(reference);
    expect(task).toMatchObject({ status: "open", attempts: 1, nextAttemptAt: null });
    expect(task.lastResponse).toBe(
      `Stopped: ${says}. Trying again would fail the same way, so it is not tried again by itself. Put the cause right in the system (or in its connection or map), then press Try again; or do this part there by hand and mark the task done.`,
    );
    // The record says what failed and that it is not tried again.
    expect(requestEventsOf(t.db, reference).filter((e) => e.action === "task_stopped").map((e) => [e.actorType, e.note])).toEqual([
      ["system", `Lists: ${says}. Not tried again until staff try again or mark the task done.`],
    ]);
    // Every admin at once, not after five tries; nobody else.
    expect(alerts().map((a) => [a.to, a.subject])).toEqual([
      ["ada@example.org", `An outside system cannot do its part of ${reference} (Stop emails): not tried again`],
      ["bea@example.org", `An outside system cannot do its part of ${reference} (Stop emails): not tried again`],
    ]);
    const text = (await renderOutboxMail(t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, SYSTEM_TASK_ALERT_KIND)).get()!)).text.replace(/\s+/g, " ");
    expect(text).toContain("Trying again would fail the same way, so Rightsdesk has stopped trying.");
    expect(text).toContain(says);

    // Hours later, nothing is tried again, and nobody is emailed again.
    for (let hour = 0; hour < 5; hour++) {
      now = new Date(now.getTime() + 2 * 60 * 60_000);
      expect(await runDueConnectorTasks(t.db, now, TEST_CONTEXT, { outbound: policy, credentials: key, carryOut: failing })).toEqual({ done: 0, retrying: 0, stopped: 0 });
    }
    expect(calls).toBe(1);
    expect(alerts()).toHaveLength(2);
    expect(requestRow(t.db, reference).status).toBe("received");

    // The request's page says so, and offers the two ways on.
    const view = getFulfilmentView(t.db, { reference, now, timeZone: "UTC" })!;
    expect(view.tasks).toEqual([expect.objectContaining({ systemName: "Lists", status: "open", stopped: true, byHand: true })]);
  });

  it("staff try it again once the cause is put right: it is due at once, on the record, and completes the request", async () => {
    let now = new Date("2026-12-01T09:00:00Z");
    const reference = setUp(now);
    const refusing = async (): Promise<never> => {
      throw Object.assign(new Error("duplicate key value"), { code: "23505" });
    };
    await runDueConnectorTasks(t.db, now, TEST_CONTEXT, { outbound: policy, credentials: key, carryOut: refusing });
    const taskId = taskOf(reference).id;
    // An auditor reads and changes nothing.
    expect(retryStoppedTask(t.db, { reference, taskId, actor: AUDITOR, now })).toMatchObject({ ok: false, reason: "not_permitted" });
    expect(taskOf(reference).nextAttemptAt).toBeNull();

    now = new Date(now.getTime() + 60 * 60_000);
    expect(retryStoppedTask(t.db, { reference, taskId, actor: ADA, now })).toMatchObject({ ok: true });
    expect(taskOf(reference)).toMatchObject({ status: "open", nextAttemptAt: now });
    expect(requestEventsOf(t.db, reference).filter((e) => e.action === "task_retried").map((e) => [e.actorEmail, e.note])).toEqual([["ada@example.org", "Lists: to be tried again."]]);
    // Not stopped now: a second press says so.
    expect(retryStoppedTask(t.db, { reference, taskId, actor: ADA, now })).toMatchObject({ ok: false, reason: "not_allowed" });

    const working = async (): Promise<WorkResult> => ({ summary: "Unsubscribed from 1 list: news.", listsEnded: 1 });
    expect(await runDueConnectorTasks(t.db, now, TEST_CONTEXT, { outbound: policy, credentials: key, carryOut: working })).toEqual({ done: 1, retrying: 0, stopped: 0 });
    expect(requestRow(t.db, reference).status).toBe("completed");
  });

  it("or staff do that part by hand and mark the stopped task done, which they cannot do while it is still being tried", async () => {
    const now = new Date("2026-12-01T09:00:00Z");
    const reference = setUp(now);
    const taskId = taskOf(reference).id;
    // A task still being worked by the system is done when the system answers.
    expect(tickManualTask(t.db, { reference, taskId, note: "Removed by hand", actor: ADA, now, ctx: TEST_CONTEXT })).toMatchObject({ ok: false, reason: "not_allowed" });
    const down = async (): Promise<never> => {
      throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    };
    // A failure worth retrying is tried again, as before.
    expect(await runDueConnectorTasks(t.db, now, TEST_CONTEXT, { outbound: policy, credentials: key, carryOut: down })).toEqual({ done: 0, retrying: 1, stopped: 0 });
    expect(taskOf(reference).nextAttemptAt).not.toBeNull();
    expect(tickManualTask(t.db, { reference, taskId, note: "Removed by hand", actor: ADA, now, ctx: TEST_CONTEXT })).toMatchObject({ ok: false, reason: "not_allowed" });

    const later = new Date(now.getTime() + 2 * 60 * 60_000);
    const refusing = async (): Promise<never> => {
      throw new SystemAnswer("the list server refused the request as malformed", false);
    };
    expect(await runDueConnectorTasks(t.db, later, TEST_CONTEXT, { outbound: policy, credentials: key, carryOut: refusing })).toEqual({ done: 0, retrying: 0, stopped: 1 });
    expect(tickManualTask(t.db, { reference, taskId, note: "Removed from the list by hand in Mailman's own pages", actor: ADA, now: later, ctx: TEST_CONTEXT })).toMatchObject({
      ok: true,
      request: { status: "completed" },
    });
    expect(taskOf(reference)).toMatchObject({ status: "done", completedBy: "ada@example.org", lastResponse: "Removed from the list by hand in Mailman's own pages" });
  });
});
