import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accessExports, externalSystems, mailOutbox, requestTasks, supporters } from "@/db/schema";
import { addStaffMember } from "@/lib/staff/staff-members";
import { ALERT_AFTER_ATTEMPTS, SYSTEM_TASK_ALERT_KIND } from "./task-alert";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { completeRequest } from "@/lib/requests/casework/close-request";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { makeTempDir, openTempDatabase, removeTempDir, type TempDatabase } from "@/lib/testing/temp-database";
import { retryStoppedTask, tickManualTask } from "@/lib/requests/fulfilment/complete-task";
import { addSystem, setSystemActive } from "@/lib/systems/external-systems";
import { loadOrCreateCredentialsKey, type CredentialsKey } from "@/lib/systems/connectors/credentials";
import { migrateDatabase } from "@/db/migrate";
import type { OutboundPolicy, ResolvedAddress } from "@/lib/http/outbound-address";
import { callLeaseMs, webhookAnswer, worthCallingAgain, type CallOutcome, type WebhookCall } from "@/lib/systems/webhook-call";
import { listTasks } from "./tasks";
import { deliverDueWebhooks, WEBHOOK_POLICY, webhookRetryDelayMs, webhookSignature, type WebhookOptions } from "./webhooks";
import { filed } from "@/lib/testing/filed";
import { requestRow } from "@/lib/testing/request-reads";

const ctx = TEST_CONTEXT;
const ADMIN: RequestActor & { type: "staff" } = { type: "staff", email: "lead@example.org", role: "admin" };
const now = new Date("2026-11-22T09:00:00Z");

// The installation's credentials key, in a folder of its own beside the tests' databases.
let keyDir: string;
let key: CredentialsKey;
beforeAll(() => {
  keyDir = makeTempDir();
  key = loadOrCreateCredentialsKey(keyDir);
});
afterAll(() => removeTempDir(keyDir));

/** DNS as the tests want it: crm.example.org is a public address (from the documentation range's public neighbour). */
function fakeDns(answers: Record<string, string[]>): OutboundPolicy["resolve"] {
  return async (host) => {
    const addresses = answers[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return addresses.map((address): ResolvedAddress => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}
const PUBLIC_DNS = fakeDns({ "crm.example.org": ["93.184.215.14"] });

/** Records each call and answers with `status()`; nothing leaves the process. */
function recordingPost(status: () => number) {
  const calls: WebhookCall[] = [];
  const post = async (call: WebhookCall): Promise<CallOutcome> => {
    calls.push(call);
    return { status: status() };
  };
  return { calls, post };
}

function options(post: WebhookOptions["post"], resolve = PUBLIC_DNS, allowPrivateHosts: string[] = []): WebhookOptions {
  return { outbound: { allowPrivateHosts, resolve }, credentials: key, post };
}

describe("webhook signature", () => {
  it("is sha256= and the hex HMAC of timestamp.body with the secret", () => {
    const expected = createHmac("sha256", "k").update('1700000000.{"a":1}').digest("hex");
    expect(webhookSignature("k", "1700000000", '{"a":1}')).toBe(`sha256=${expected}`);
    expect(webhookSignature("other", "1700000000", '{"a":1}')).not.toBe(`sha256=${expected}`);
  });

  it("backs off by doubling from 30 seconds up to an hour", () => {
    expect([1, 2, 3, 20].map(webhookRetryDelayMs)).toEqual([30_000, 60_000, 120_000, 3_600_000]);
  });
});

describe("which answers are worth calling again", () => {
  const cases: Array<[CallOutcome, boolean, string]> = [
    [{ failure: "timeout" }, true, "No answer: the system did not answer in time; it will be tried again."],
    [{ failure: "refused" }, true, "No answer: the system refused the connection; it will be tried again."],
    [{ failure: "tls" }, true, "No answer: the secure connection failed (check the system's certificate); it will be tried again."],
    [{ status: 500 }, true, "HTTP 500: the system did not accept the request; it will be tried again."],
    [{ status: 503 }, true, "HTTP 503: the system did not accept the request; it will be tried again."],
    [{ status: 408 }, true, "HTTP 408: the system did not accept the request; it will be tried again."],
    [{ status: 425 }, true, "HTTP 425: the system did not accept the request; it will be tried again."],
    [{ status: 429 }, true, "HTTP 429: the system did not accept the request; it will be tried again."],
    [{ status: 301 }, false, "HTTP 301: the system answered with a redirect, which is not followed; check the address."],
    [{ status: 307 }, false, "HTTP 307: the system answered with a redirect, which is not followed; check the address."],
    [{ status: 400 }, false, "HTTP 400: the system refused the request (check the address, and the secret it checks signatures with)."],
    [{ status: 401 }, false, "HTTP 401: the system refused the request (check the address, and the secret it checks signatures with)."],
    [{ status: 403 }, false, "HTTP 403: the system refused the request (check the address, and the secret it checks signatures with)."],
    [{ status: 404 }, false, "HTTP 404: the system refused the request (check the address, and the secret it checks signatures with)."],
    [{ status: 410 }, false, "HTTP 410: the system refused the request (check the address, and the secret it checks signatures with)."],
    [{ status: 422 }, false, "HTTP 422: the system refused the request (check the address, and the secret it checks signatures with)."],
  ];
  it.each(cases)("%j: again %s, staff read %s", (outcome, again, words) => {
    expect(worthCallingAgain(outcome)).toBe(again);
    expect(webhookAnswer(outcome)).toBe(words);
  });
});

describe("outside systems' tasks", () => {
  let t: TempDatabase;
  let secret: string;
  // Each test has its own database, so none depends on what another left behind.
  beforeEach(() => {
    t = openTempDatabase();
    const hook = addSystem(t.db, { name: "CRM", kind: "webhook", url: "https://crm.example.org/hook" }, { key, now });
    secret = hook.ok && hook.secret ? hook.secret : "";
    addSystem(t.db, { name: "Paper files", kind: "manual", url: null }, { key, now });
  });
  afterEach(() => t.close());

  function approvedRequest(type: "access" | "erasure", email: string): string {
    const details = type === "erasure" ? ({ type, confirmed: true } as const) : ({ type } as const);
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type, email, name: "Ann", details }, now, ctx }));
    startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now });
    expect(approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: 2, now, ctx, confirmedErasure: true })).toMatchObject({ ok: true });
    return reference;
  }
  const row = (reference: string) => requestRow(t.db, reference);
  const tasks = (reference: string) => t.db.select().from(requestTasks).where(eq(requestTasks.requestId, row(reference).id)).all();

  it("an access request cannot complete while a task is open, and its export is built only when it completes", async () => {
    const reference = approvedRequest("access", "ann@example.org");
    expect(tasks(reference)).toHaveLength(2);
    // The request waits for the outside systems, with nothing to download yet.
    expect(row(reference).status).toBe("approved");
    const exports = () => t.db.select().from(accessExports).where(eq(accessExports.requestId, row(reference).id)).all();
    expect(exports()).toHaveLength(0);
    const r = row(reference);
    expect(completeRequest(t.db, { reference, actor: ADMIN, expectedVersion: r.version, note: null, now, ctx })).toMatchObject({
      ok: false,
      message: expect.stringContaining("2 outside systems"),
    });

    await deliverDueWebhooks(t.db, now, ctx, options(recordingPost(() => 200).post));
    const manual = tasks(reference).find((x) => x.status === "open")!;
    const later = new Date(now.getTime() + 60_000);
    expect(tickManualTask(t.db, { reference, taskId: manual.id, note: "Sent the paper file", actor: ADMIN, now: later, ctx })).toMatchObject({ ok: true });
    expect(row(reference).status).toBe("completed");
    expect(exports()).toMatchObject([{ builtAt: later }]);
  });

  it("tells every admin once when a webhook keeps failing, naming the request and the answer, while the request waits", async () => {
    for (const [email, role] of [["ada@example.org", "admin"], ["rex@example.org", "reviewer"]] as const) {
      expect(addStaffMember(t.db, { email, role, now }).ok).toBe(true);
    }
    const reference = approvedRequest("erasure", "ann@example.org");
    const alerts = () => t.db.select({ to: mailOutbox.toAddress, subject: mailOutbox.subject }).from(mailOutbox).where(eq(mailOutbox.kind, SYSTEM_TASK_ALERT_KIND)).all();
    let at = now;
    for (let attempt = 1; attempt <= ALERT_AFTER_ATTEMPTS + 2; attempt++) {
      expect(await deliverDueWebhooks(t.db, at, ctx, options(recordingPost(() => 503).post))).toMatchObject({ retrying: 1 });
      expect(alerts()).toHaveLength(attempt < ALERT_AFTER_ATTEMPTS ? 0 : 1);
      at = new Date(at.getTime() + 2 * 60 * 60_000);
    }
    expect(alerts()).toEqual([{ to: "ada@example.org", subject: `An outside system has not answered for ${reference} (Delete my data)` }]);
    const body = t.db.select({ props: mailOutbox.props }).from(mailOutbox).where(eq(mailOutbox.kind, SYSTEM_TASK_ALERT_KIND)).get()?.props;
    expect(body).toMatchObject({ system: "CRM", reason: "HTTP 503: the system did not accept the request; it will be tried again.", attempts: ALERT_AFTER_ATTEMPTS });
    expect(row(reference).status).toBe("approved");
  });

  it("stops calling a system that refuses the request, tells every admin at once, and calls it again when staff ask", async () => {
    for (const [email, role] of [["ada@example.org", "admin"], ["rex@example.org", "reviewer"]] as const) {
      expect(addStaffMember(t.db, { email, role, now }).ok).toBe(true);
    }
    const reference = approvedRequest("erasure", "fay@example.org");
    const alerts = () => t.db.select({ to: mailOutbox.toAddress, subject: mailOutbox.subject }).from(mailOutbox).where(eq(mailOutbox.kind, SYSTEM_TASK_ALERT_KIND)).all();
    let status = 404;
    const { calls, post } = recordingPost(() => status);
    expect(await deliverDueWebhooks(t.db, now, ctx, options(post))).toEqual({ delivered: 0, retrying: 0, stopped: 1 });
    const hook = () => tasks(reference).find((x) => x.systemId === t.db.select().from(externalSystems).where(eq(externalSystems.name, "CRM")).get()!.id)!;
    expect(hook()).toMatchObject({
      status: "open",
      attempts: 1,
      nextAttemptAt: null,
      lastResponse: expect.stringMatching(/^Stopped: HTTP 404: the system refused the request \(check the address, and the secret it checks signatures with\)\. Trying again would fail the same way/),
    });
    // At once, not after ALERT_AFTER_ATTEMPTS tries; to admins only.
    expect(alerts()).toEqual([{ to: "ada@example.org", subject: `An outside system cannot do its part of ${reference} (Delete my data): not tried again` }]);
    const events = () => t.db.$client.prepare("select action, note from request_events where request_id = ? order by id").all(row(reference).id) as Array<{ action: string; note: string | null }>;
    expect(events().filter((e) => e.action === "task_stopped")).toEqual([
      { action: "task_stopped", note: "CRM: HTTP 404: the system refused the request (check the address, and the secret it checks signatures with). Not tried again until staff try again or mark the task done." },
    ]);
    // The request page marks it stopped, with Try again and the tick by hand.
    expect(listTasks(t.db, row(reference).id).find((x) => x.systemName === "CRM")).toMatchObject({ stopped: true, byHand: true });
    // Not called again by itself, however long it waits.
    for (const hours of [1, 2, 24, 72]) await deliverDueWebhooks(t.db, new Date(now.getTime() + hours * 3_600_000), ctx, options(post));
    expect(calls).toHaveLength(1);
    expect(alerts()).toHaveLength(1);
    expect(row(reference).status).toBe("approved");

    // The receiver is put right; staff press Try again, and the next beat calls it.
    status = 204;
    const later = new Date(now.getTime() + 73 * 3_600_000);
    expect(retryStoppedTask(t.db, { reference, taskId: hook().id, actor: ADMIN, now: later })).toMatchObject({ ok: true });
    expect(events().at(-1)).toEqual({ action: "task_retried", note: "CRM: to be tried again." });
    expect(await deliverDueWebhooks(t.db, later, ctx, options(post))).toEqual({ delivered: 1, retrying: 0, stopped: 0 });
    expect(hook()).toMatchObject({ status: "done", lastResponse: "HTTP 204: the system confirmed it received the request." });
  });

  it("lets staff tick a stopped webhook's task by hand, having done that part in the system themselves", async () => {
    const reference = approvedRequest("access", "gus@example.org");
    const { post } = recordingPost(() => 410);
    expect(await deliverDueWebhooks(t.db, now, ctx, options(post))).toMatchObject({ stopped: 1 });
    for (const task of tasks(reference)) {
      expect(tickManualTask(t.db, { reference, taskId: task.id, note: "Sent by hand", actor: ADMIN, now, ctx })).toMatchObject({ ok: true });
    }
    expect(row(reference).status).toBe("completed");
  });

  it("holds a task claimed by a worker that died mid-call for as long as its calls could take, then calls it again", async () => {
    seedSupporter(t.db, { email: "cal@example.org" });
    const reference = approvedRequest("erasure", "cal@example.org");
    const killed = async (): Promise<CallOutcome> => {
      throw new Error("the process was killed");
    };
    await expect(deliverDueWebhooks(t.db, now, ctx, options(killed))).rejects.toThrow("killed");
    const { calls, post } = recordingPost(() => 200);
    // One task claimed: one call's time (15 seconds), not a fixed minute.
    const lease = callLeaseMs(1, WEBHOOK_POLICY.timeoutMs);
    expect(lease).toBe(15_000);
    await deliverDueWebhooks(t.db, new Date(now.getTime() + lease - 1), ctx, options(post));
    expect(calls).toHaveLength(0);
    await deliverDueWebhooks(t.db, new Date(now.getTime() + lease), ctx, options(post));
    expect(calls.map((c) => JSON.parse(c.body).reference)).toEqual([reference]);
  });

  it("posts a signed call, retries a failure with backoff, and a 2xx plus the manual tick let an erasure close itself", async () => {
    seedSupporter(t.db, { email: "bea@example.org" });
    const reference = approvedRequest("erasure", "bea@example.org");
    // Erased locally at once, but still open: the outside systems have not acted yet.
    expect(row(reference).status).toBe("approved");
    expect(t.db.select().from(supporters).where(eq(supporters.email, "bea@example.org")).all()).toHaveLength(0);

    let status = 503;
    const { calls, post } = recordingPost(() => status);
    expect(await deliverDueWebhooks(t.db, now, ctx, options(post))).toMatchObject({ retrying: 1 });
    const mine = calls.find((c) => JSON.parse(c.body).reference === reference)!;
    const sent = JSON.parse(mine.body);
    expect(sent).toEqual({ delivery: expect.stringMatching(/^[0-9a-f-]{36}$/), type: "erasure", reference, email: "bea@example.org", name: "Ann" });
    expect(mine.headers["X-Rightsdesk-Delivery"]).toBe(sent.delivery);
    expect(mine.headers["X-Rightsdesk-Signature"]).toBe(webhookSignature(secret, mine.headers["X-Rightsdesk-Timestamp"]!, mine.body));
    // Connected to the address that was checked.
    expect(mine.pinned).toEqual({ address: "93.184.215.14", family: 4 });
    const hookTask = tasks(reference).find((x) => x.nextAttemptAt !== null)!;
    expect(hookTask).toMatchObject({ status: "open", attempts: 1, lastResponse: "HTTP 503: the system did not accept the request; it will be tried again." });

    // Not due again until the backoff has passed.
    calls.length = 0;
    expect(await deliverDueWebhooks(t.db, now, ctx, options(post))).toMatchObject({ retrying: 0, delivered: 0 });
    status = 200;
    const later = new Date(now.getTime() + 31_000);
    await deliverDueWebhooks(t.db, later, ctx, options(post));
    // The retry is a delivery of its own.
    expect(JSON.parse(calls[0]!.body).delivery).not.toBe(sent.delivery);
    expect(tasks(reference).find((x) => x.id === hookTask.id)).toMatchObject({
      status: "done",
      lastResponse: "HTTP 200: the system confirmed it received the request.",
      completedBy: "system",
    });
    expect(row(reference).status).toBe("approved");

    const manual = tasks(reference).find((x) => x.status === "open")!;
    expect(tickManualTask(t.db, { reference, taskId: manual.id, note: "Shredded the file", actor: ADMIN, now, ctx })).toMatchObject({ ok: true });
    expect(row(reference)).toMatchObject({ status: "completed", subjectName: null });
    expect(row(reference).subjectEmail.startsWith("erased:")).toBe(true);
  });
});

describe("what a webhook call may reach, and what staff see of it", () => {
  let t: TempDatabase;
  // Servers on 127.0.0.1 standing in for outside systems; each test starts its own.
  const servers: http.Server[] = [];
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(async () => {
    t.close();
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  type Seen = { host: string | undefined; body: string };
  async function receiver(answer: (res: http.ServerResponse) => void): Promise<{ port: number; seen: Seen[] }> {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        seen.push({ host: req.headers.host, body });
        answer(res);
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { port: (server.address() as AddressInfo).port, seen };
  }

  function approvedAccess(url: string): { reference: string; task: () => typeof requestTasks.$inferSelect } {
    addSystem(t.db, { name: "Hooks", kind: "webhook", url }, { key, now });
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "access", email: "cy@example.org", name: "Cy", details: { type: "access" } }, now, ctx }));
    startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now });
    expect(approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: 2, now, ctx })).toMatchObject({ ok: true });
    const id = requestRow(t.db, reference).id;
    return { reference, task: () => t.db.select().from(requestTasks).where(eq(requestTasks.requestId, id)).get()! };
  }

  it("connects to the address it checked, looking the name up once, so a DNS answer that changes before the connection cannot redirect it", async () => {
    const { port, seen } = await receiver((res) => res.writeHead(204).end());
    let lookups = 0;
    // The first answer is the allowed loopback; any later one would be elsewhere. hooks.test exists in no real DNS.
    const resolve: OutboundPolicy["resolve"] = async () => (lookups++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "192.0.2.1", family: 4 }]);
    const { task } = approvedAccess(`http://hooks.test:${port}/rightsdesk`);
    expect(await deliverDueWebhooks(t.db, now, ctx, { outbound: { allowPrivateHosts: ["hooks.test"], resolve }, credentials: key })).toEqual({ delivered: 1, retrying: 0, stopped: 0 });
    expect(lookups).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.host).toBe(`hooks.test:${port}`);
    expect(task()).toMatchObject({ status: "done", lastResponse: "HTTP 204: the system confirmed it received the request." });
  });

  it("refuses at call time an address that has come to lead inside since it was saved, and calls nothing", async () => {
    const { post, calls } = recordingPost(() => 200);
    const { task } = approvedAccess("https://crm.example.org/hook");
    const moved = fakeDns({ "crm.example.org": ["10.20.30.40"] });
    expect(await deliverDueWebhooks(t.db, now, ctx, options(post, moved))).toEqual({ delivered: 0, retrying: 0, stopped: 1 });
    expect(calls).toHaveLength(0);
    // Not tried again by itself: only an admin allowing the host, or the name leading out again, changes that.
    expect(task()).toMatchObject({ status: "open", attempts: 1, nextAttemptAt: null, lastResponse: expect.stringMatching(/^Stopped: Not called: The address of crm\.example\.org leads to a private or internal network address/) });
  });

  it("shows staff the status code and a fixed sentence, never what the system answered", async () => {
    const secretBody = "internal-admin-token=hunter2; database=10.0.0.7";
    const { port } = await receiver((res) => res.writeHead(500, { "content-type": "text/plain" }).end(secretBody));
    const { reference, task } = approvedAccess(`http://127.0.0.1:${port}/hook`);
    await deliverDueWebhooks(t.db, now, ctx, { outbound: { allowPrivateHosts: ["127.0.0.1"], resolve: PUBLIC_DNS }, credentials: key });
    expect(task().lastResponse).toBe("HTTP 500: the system did not accept the request; it will be tried again.");
    const everything = JSON.stringify([task(), t.db.$client.prepare("select note from request_events").all(), requestRow(t.db, reference)]);
    expect(everything).not.toContain("hunter2");
  });

  it("does not follow a redirect", async () => {
    const elsewhere = await receiver((res) => res.writeHead(200).end());
    const { port } = await receiver((res) => res.writeHead(307, { location: `http://127.0.0.1:${elsewhere.port}/internal` }).end());
    const { task } = approvedAccess(`http://127.0.0.1:${port}/hook`);
    expect(await deliverDueWebhooks(t.db, now, ctx, { outbound: { allowPrivateHosts: ["127.0.0.1"], resolve: PUBLIC_DNS }, credentials: key })).toEqual({ delivered: 0, retrying: 0, stopped: 1 });
    expect(elsewhere.seen).toHaveLength(0);
    expect(task()).toMatchObject({ status: "open", nextAttemptAt: null, lastResponse: expect.stringContaining("HTTP 307: the system answered with a redirect, which is not followed") });
  });

  it("words a failed connection in a fixed sentence, not the error's own text with its address", async () => {
    const { port } = await receiver((res) => res.writeHead(200).end());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const { task } = approvedAccess(`http://127.0.0.1:${port}/hook`);
    await deliverDueWebhooks(t.db, now, ctx, { outbound: { allowPrivateHosts: ["127.0.0.1"], resolve: PUBLIC_DNS }, credentials: key });
    expect(task().lastResponse).toBe("No answer: the system refused the connection; it will be tried again.");
  });

  it("calls a system that was switched off no more, retries included, and staff can then tick its task by hand", async () => {
    let status = 503;
    const { post, calls } = recordingPost(() => status);
    const { reference, task } = approvedAccess("https://crm.example.org/hook");
    await deliverDueWebhooks(t.db, now, ctx, options(post));
    expect(calls).toHaveLength(1);
    const system = t.db.select().from(externalSystems).get()!;
    setSystemActive(t.db, { id: system.id, active: false });
    status = 200;
    for (const hours of [1, 2, 24]) await deliverDueWebhooks(t.db, new Date(now.getTime() + hours * 3_600_000), ctx, options(post));
    expect(calls).toHaveLength(1);
    expect(task()).toMatchObject({ status: "open", attempts: 1 });
    const later = new Date(now.getTime() + 25 * 3_600_000);
    expect(tickManualTask(t.db, { reference, taskId: task().id, note: "Deleted in the old CRM by hand", actor: ADMIN, now: later, ctx })).toMatchObject({ ok: true });
    expect(requestRow(t.db, reference).status).toBe("completed");
  });

  it("leaves a switched-on webhook's task to the system: staff cannot tick it", async () => {
    const { reference, task } = approvedAccess("https://crm.example.org/hook");
    expect(tickManualTask(t.db, { reference, taskId: task().id, note: "done", actor: ADMIN, now, ctx })).toMatchObject({
      ok: false,
      message: "Webhook tasks are done when the system answers.",
    });
  });
});

describe("webhook secrets sealed at rest", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  function approvedErasure(email: string): string {
    seedSupporter(t.db, { email });
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "erasure", email, name: "Di", details: { type: "erasure", confirmed: true } }, now, ctx }));
    startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now });
    expect(approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: 2, now, ctx, confirmedErasure: true })).toMatchObject({ ok: true });
    return reference;
  }
  const taskOf = (systemName: string) =>
    t.db.$client
      .prepare("select t.status, t.attempts, t.last_response as lastResponse from request_tasks t join external_systems s on s.id = t.system_id where s.name = ?")
      .get(systemName) as { status: string; attempts: number; lastResponse: string | null };
  const KEY_SENTENCE = /^Not called: The stored webhook secret cannot be read with this installation's key \(data\/credentials-key\); give the system a new secret \(see Keys in the README\)\.$/;
  const verifies = (call: WebhookCall, secret: string) =>
    call.headers["X-Rightsdesk-Signature"] === webhookSignature(secret, call.headers["X-Rightsdesk-Timestamp"]!, call.body);

  it("an older installation's secret in the clear is sealed by migrating, and calls are signed with the very same secret", async () => {
    // As an older version left it.
    const plain = "k3pt-in-the-clear-by-an-older-version-0123456789";
    t.db.$client.prepare("insert into external_systems (name, kind, url, secret, active, created_at) values ('CRM', 'webhook', 'https://crm.example.org/hook', ?, 1, 0)").run(plain);
    migrateDatabase(t.db, { credentialsKey: () => key });
    const stored = t.db.select().from(externalSystems).get()!;
    expect(stored.secret).not.toContain(plain);

    approvedErasure("di@example.org");
    const { calls, post } = recordingPost(() => 200);
    expect(await deliverDueWebhooks(t.db, now, ctx, options(post))).toEqual({ delivered: 1, retrying: 0, stopped: 0 });
    expect(calls).toHaveLength(1);
    expect(verifies(calls[0]!, plain)).toBe(true);
  });

  // A secret another key sealed, or another system's, stays unreadable: the task stops. One still in the clear is sealed by migrating: tried again.
  const unreadable: Array<{ name: string; spoil: (ids: { crm: number; shop: number }) => WebhookOptions["credentials"]; sentence: RegExp; retried: boolean }> = [
    {
      name: "the key file was replaced by another key",
      spoil: () => {
        const other = makeTempDir();
        try {
          return loadOrCreateCredentialsKey(other);
        } finally {
          removeTempDir(other);
        }
      },
      sentence: KEY_SENTENCE,
      retried: false,
    },
    {
      name: "another system's sealed secret was copied onto its row",
      spoil: ({ crm, shop }) => {
        const shopSecret = t.db.select({ secret: externalSystems.secret }).from(externalSystems).where(eq(externalSystems.id, shop)).get()!.secret;
        t.db.update(externalSystems).set({ secret: shopSecret }).where(eq(externalSystems.id, crm)).run();
        return key;
      },
      sentence: KEY_SENTENCE,
      retried: false,
    },
    {
      name: "its secret is still in the clear, not yet migrated",
      spoil: ({ crm }) => {
        t.db.update(externalSystems).set({ secret: "kept-in-the-clear" }).where(eq(externalSystems.id, crm)).run();
        return key;
      },
      sentence: /^Not called: The system's secret is not sealed yet; run npm run db:migrate \(npm start does it too\) and it will be called again\.$/,
      retried: true,
    },
  ];
  for (const { name, spoil, sentence, retried } of unreadable) {
    it(`does not call a system whose secret cannot be opened (${name}), and tells staff on the task what to do`, async () => {
      const crm = addSystem(t.db, { name: "CRM", kind: "webhook", url: "https://crm.example.org/hook" }, { key, now });
      const shop = addSystem(t.db, { name: "Shop", kind: "webhook", url: "https://crm.example.org/shop" }, { key, now });
      if (!crm.ok || !shop.ok || !shop.secret) throw new Error("not added");
      const ids = Object.fromEntries(t.db.select({ name: externalSystems.name, id: externalSystems.id }).from(externalSystems).all().map((r) => [r.name.toLowerCase(), r.id]));
      approvedErasure("di@example.org");
      const credentials = spoil({ crm: ids.crm!, shop: ids.shop! });
      const { calls, post } = recordingPost(() => 200);
      const report = await deliverDueWebhooks(t.db, now, ctx, { ...options(post), credentials });
      expect(calls.filter((c) => c.url.pathname === "/hook")).toHaveLength(0);
      const stoppedAs = (s: RegExp) => new RegExp(`^Stopped: ${s.source.slice(1, -1)} Trying again would fail the same way`);
      expect(taskOf("CRM")).toEqual({
        status: "open",
        attempts: 1,
        lastResponse: expect.stringMatching(retried ? sentence : stoppedAs(sentence)),
      });
      const unread = retried ? { retrying: 1, stopped: 0 } : { retrying: 0, stopped: 1 };
      // The other system is called as usual when its own secret opens.
      if (credentials === key) {
        expect(report).toEqual({ delivered: 1, ...unread });
        const shopCalls = calls.filter((c) => c.url.pathname === "/shop");
        expect(shopCalls).toHaveLength(1);
        expect(verifies(shopCalls[0]!, shop.secret)).toBe(true);
      } else {
        expect(report).toEqual({ delivered: 0, retrying: 0, stopped: 2 });
      }
    });
  }
});
