/**
 * A connected system that keeps failing a request's task: the task stays
 * open and is retried, and the admins are emailed once, so an unsubscribe
 * (which no staff member looks at) does not wait unseen for a list server
 * that is down.
 */
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requestTasks } from "@/db/schema";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { addStaffMember } from "@/lib/staff/staff-members";
import { saveConnectedSystem } from "@/lib/systems/connectors/connected-systems";
import { loadOrCreateCredentialsKey, type CredentialsKey } from "@/lib/systems/connectors/credentials";
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import { filed } from "@/lib/testing/filed";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { requestRow } from "@/lib/testing/request-reads";
import { makeTempDir, openTempDatabase, removeTempDir, type TempDatabase } from "@/lib/testing/temp-database";
import { runDueConnectorTasks } from "./connector-tasks";
import { ALERT_AFTER_ATTEMPTS, SYSTEM_TASK_ALERT_KIND } from "./task-alert";

const policy: OutboundPolicy = { allowPrivateHosts: [], resolve: async () => [] };
/** The list server is down: every try is refused, as a stopped server's port refuses it. */
const down = async (): Promise<never> => {
  throw Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:8001"), { code: "ECONNREFUSED" });
};

describe("a connected system that keeps failing", () => {
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

  it("keeps the unsubscribe waiting and retrying, and tells every admin once, naming the request and the reason", async () => {
    let now = new Date("2026-12-01T09:00:00Z");
    for (const [email, role] of [["ada@example.org", "admin"], ["bea@example.org", "admin"], ["rex@example.org", "reviewer"]] as const) {
      expect(addStaffMember(t.db, { email, role, now }).ok).toBe(true);
    }
    const saved = saveConnectedSystem(t.db, { id: null, name: "Lists", kind: "mailman", settings: { url: "https://lists.example.org/3.1", user: "rest" }, password: "p", mapText: null }, { key, now });
    expect(saved.ok).toBe(true);
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "una@example.org", details: { type: "unsubscribe" } }, now, ctx: TEST_CONTEXT }));
    const alerts = () =>
      t.db
        .select({ to: mailOutbox.toAddress, subject: mailOutbox.subject })
        .from(mailOutbox)
        .where(eq(mailOutbox.kind, SYSTEM_TASK_ALERT_KIND))
        .all()
        .sort((a, b) => a.to.localeCompare(b.to));

    for (let attempt = 1; attempt <= ALERT_AFTER_ATTEMPTS + 2; attempt++) {
      const report = await runDueConnectorTasks(t.db, now, TEST_CONTEXT, { outbound: policy, credentials: key, carryOut: down });
      expect(report).toEqual({ done: 0, retrying: 1, stopped: 0 });
      expect(alerts()).toHaveLength(attempt < ALERT_AFTER_ATTEMPTS ? 0 : 2);
      // The next try is due after the backoff.
      now = new Date(now.getTime() + 2 * 60 * 60_000);
    }
    expect(alerts()).toEqual([
      { to: "ada@example.org", subject: `An outside system has not answered for ${reference} (Stop emails)` },
      { to: "bea@example.org", subject: `An outside system has not answered for ${reference} (Stop emails)` },
    ]);
    const request = requestRow(t.db, reference);
    expect(request.status).toBe("received");
    const task = t.db.select().from(requestTasks).where(and(eq(requestTasks.requestId, request.id))).get();
    expect(task).toMatchObject({ status: "open", attempts: ALERT_AFTER_ATTEMPTS + 2, lastResponse: "Not done yet: The system refused the connection (is it running?). It will be tried again." });
  });
});
