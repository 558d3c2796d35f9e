import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiDeliveries, apiSubscriptions, deadlineNotices, requestEvents, requests } from "@/db/schema";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { startReview } from "@/lib/requests/casework/staff-step";
import { cancelRequestBySupporter } from "@/lib/requests/intake/cancel-request";
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import { callLeaseMs } from "@/lib/systems/webhook-call";
import { filed } from "@/lib/testing/filed";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { recordDeadlineNotices } from "./deadline-notices";
import { DELIVERY_POLICY, deliverDue, deliveryRetryDelayMs, replayDelivery } from "./deliveries";
import { readEventStream } from "./events";
import { runFeed } from "./feed";
import { subscriptionSecret } from "./signing-key";
import { createSubscription, deliveryAddressProblem, listSubscriptions, parseSubscriptionForm, setSubscriptionActive } from "./subscriptions";

const SIGNING_KEY = "k".repeat(64);
const now = new Date("2026-05-04T10:00:00Z");
const later = (ms: number) => new Date(now.getTime() + ms);

function dns(answers: Record<string, string>): OutboundPolicy["resolve"] {
  return async (host) => (answers[host] ? [{ address: answers[host]!, family: 4 }] : []);
}

describe("parseSubscriptionForm", () => {
  it.each([
    [
      "a name, an address and kinds",
      { name: "Staff chat", url: "https://chat.example.org/hook", "kind_request.received": "yes", "kind_request.overdue": "yes" },
      { ok: true, value: { name: "Staff chat", url: "https://chat.example.org/hook", kinds: ["request.received", "request.overdue"] } },
    ],
    ["no kind", { name: "Chat", url: "https://chat.example.org/" }, { ok: false, fieldErrors: { kinds: "Choose at least one kind of event to send." } }],
    [
      "an address that is not one",
      { name: "Chat", url: "chat.example.org", "kind_request.received": "yes" },
      { ok: false, fieldErrors: { url: "Enter the full address events are sent to, starting with https://, without a user name or password in it." } },
    ],
    [
      "an address with a password in it",
      { name: "Chat", url: "https://me:secret@chat.example.org/", "kind_request.received": "yes" },
      { ok: false, fieldErrors: { url: "Enter the full address events are sent to, starting with https://, without a user name or password in it." } },
    ],
    ["no name", { url: "https://chat.example.org/", "kind_request.received": "yes" }, { ok: false, fieldErrors: { name: "Give the subscription a name that says who receives it, such as “Staff chat”." } }],
  ])("%s", (_what, input, expected) => {
    expect(parseSubscriptionForm(input)).toEqual(expected);
  });
});

describe("deliveryAddressProblem", () => {
  const resolve = dns({ "chat.example.org": "93.184.216.34", "intranet.example.org": "10.0.0.5" });
  it.each([
    ["https to a public address", "https://chat.example.org/hook", [], null],
    ["plain http to a public address", "http://chat.example.org/hook", [], "The address must start with https://; plain http:// is used only for a host allowed by WEBHOOK_ALLOW_PRIVATE_HOSTS."],
    [
      "https to a private address",
      "https://intranet.example.org/hook",
      [],
      "The address of intranet.example.org leads to a private or internal network address, which Rightsdesk does not call. If this system is yours and on your own network, an administrator can allow its host with the setting WEBHOOK_ALLOW_PRIVATE_HOSTS.",
    ],
    ["http to a private host the administrator allowed", "http://intranet.example.org/hook", ["intranet.example.org"], null],
    ["loopback, allowed", "http://127.0.0.1:8080/hook", ["127.0.0.1"], null],
  ])("%s", async (_what, url, allowPrivateHosts, expected) => {
    expect(await deliveryAddressProblem(url, { allowPrivateHosts, resolve })).toBe(expected);
  });
});

describe("subscriptions", () => {
  let t: TempDatabase;
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  let answer = 200;
  let server: http.Server;
  let url: string;
  const outbound: OutboundPolicy = { allowPrivateHosts: ["127.0.0.1"], resolve: dns({}) };

  beforeEach(async () => {
    t = openTempDatabase();
    received.length = 0;
    answer = 200;
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.statusCode = answer;
        res.end("ignored");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/events`;
  });
  afterEach(async () => {
    t.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const file = (email: string, at = now) => filed(fileVerifiedRequest(t.db, { submission: { type: "access", email, details: { type: "access" } }, now: at, ctx: TEST_CONTEXT })).reference;
  const subscribe = (kinds: string[]) =>
    createSubscription(t.db, { name: "Chat", url, kinds: kinds as never, createdBy: "lead@example.org", now, signingKey: SIGNING_KEY });

  it("queue one delivery per event of a chosen kind after the subscription was made, with references and kinds only", () => {
    const before = file("old@example.org");
    const { id } = subscribe(["request.received", "request.canceled"]);
    const reference = file("ann@example.org");
    startReview(t.db, { reference, actor: { type: "staff", email: "rita@example.org", role: "reviewer" }, expectedVersion: 1, now });
    cancelRequestBySupporter(t.db, { reference: before, supporterEmail: "old@example.org", now, ctx: TEST_CONTEXT });

    expect(runFeed(t.db, { now })).toMatchObject({ deliveries: 2 });
    const rows = t.db.select().from(apiDeliveries).all();
    expect(rows.map((r) => JSON.parse(r.body).event)).toEqual([
      { id: expect.any(String), kind: "request.received", at: now.toISOString(), reference, type: "access", to_status: "received", intake_id: null },
      { id: expect.any(String), kind: "request.canceled", at: now.toISOString(), reference: before, type: "access", to_status: "canceled", intake_id: null },
    ]);
    expect(rows.every((r) => r.subscriptionId === id && r.status === "pending" && r.url === url)).toBe(true);
    expect(rows.map((r) => r.body).join()).not.toMatch(/@example\.org/);
    // Running it again queues nothing more: the feed moved on in the same transaction.
    expect(runFeed(t.db, { now })).toEqual({ events: 0, deliveries: 0 });
    expect(countRows(t.db, apiDeliveries)).toBe(2);

    setSubscriptionActive(t.db, { id, active: false });
    file("cy@example.org");
    runFeed(t.db, { now });
    expect(countRows(t.db, apiDeliveries)).toBe(2);
  });

  it("are delivered signed as the webhooks are, with the delivery's id, and retried with the same id until received", async () => {
    const { secret } = subscribe(["request.received"]);
    const reference = file("ann@example.org");
    runFeed(t.db, { now });

    answer = 500;
    expect(await deliverDue(t.db, now, { outbound, signingKey: SIGNING_KEY, clock: () => now })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const row = t.db.select().from(apiDeliveries).get()!;
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastResponse: "HTTP 500: not accepted.", nextAttemptAt: later(deliveryRetryDelayMs(1)) });
    // Not yet due.
    expect(await deliverDue(t.db, later(1000), { outbound, signingKey: SIGNING_KEY })).toEqual({ delivered: 0, retrying: 0, failed: 0 });

    answer = 204;
    const retryAt = later(deliveryRetryDelayMs(1));
    expect(await deliverDue(t.db, retryAt, { outbound, signingKey: SIGNING_KEY, clock: () => retryAt })).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(t.db.select().from(apiDeliveries).get()).toMatchObject({ status: "delivered", attempts: 2, deliveredAt: retryAt, lastResponse: "HTTP 204: received." });

    expect(received).toHaveLength(2);
    for (const call of received) {
      const body = JSON.parse(call.body) as { delivery: string; event: { reference: string } };
      expect(call.headers["x-rightsdesk-delivery"]).toBe(row.deliveryId);
      expect(body).toMatchObject({ delivery: row.deliveryId, event: { reference, kind: "request.received" } });
      const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(`${call.headers["x-rightsdesk-timestamp"] as string}.${call.body}`).digest("hex")}`);
      expect(timingSafeEqual(Buffer.from(call.headers["x-rightsdesk-signature"] as string), expected)).toBe(true);
    }
    // The secret is not stored: it is made again from the key file's key and the subscription's salt.
    const stored = t.db.select().from(apiSubscriptions).get()!;
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(secret).toBe(subscriptionSecret(SIGNING_KEY, stored.secretSalt));
    expect(listSubscriptions(t.db)[0]!.deliveries).toMatchObject([{ deliveryId: row.deliveryId, kind: "request.received", reference, status: "delivered" }]);
  });

  it("lose nothing when the worker dies mid-call: the lease runs out and the same delivery goes again", async () => {
    subscribe(["request.received"]);
    file("ann@example.org");
    runFeed(t.db, { now });
    await expect(
      deliverDue(t.db, now, {
        outbound,
        signingKey: SIGNING_KEY,
        post: async () => {
          throw new Error("the process was killed");
        },
      }),
    ).rejects.toThrow("killed");
    // Leased for as long as one call can take (15 seconds): nobody sends it while the lease holds, and it goes once it ends.
    const lease = callLeaseMs(1, DELIVERY_POLICY.timeoutMs);
    expect(lease).toBe(15_000);
    expect(await deliverDue(t.db, later(lease - 1), { outbound, signingKey: SIGNING_KEY })).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(await deliverDue(t.db, later(lease), { outbound, signingKey: SIGNING_KEY })).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(received).toHaveLength(1);
  });

  it("lease a claim of several deliveries for as long as sending them one after another can take", async () => {
    subscribe(["request.received"]);
    for (const email of ["ann@example.org", "bo@example.org", "cy@example.org"]) file(email);
    runFeed(t.db, { now });
    let calls = 0;
    await expect(
      deliverDue(t.db, now, {
        outbound,
        signingKey: SIGNING_KEY,
        post: async () => {
          calls++;
          throw new Error("the process was killed");
        },
      }),
    ).rejects.toThrow("killed");
    expect(calls).toBe(1);
    // Three claimed at once: the two not yet tried are held for three calls' time, not one call's.
    const lease = callLeaseMs(3, DELIVERY_POLICY.timeoutMs);
    expect(lease).toBe(45_000);
    expect(await deliverDue(t.db, later(callLeaseMs(1, DELIVERY_POLICY.timeoutMs)), { outbound, signingKey: SIGNING_KEY })).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(await deliverDue(t.db, later(lease - 1), { outbound, signingKey: SIGNING_KEY })).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(await deliverDue(t.db, later(lease), { outbound, signingKey: SIGNING_KEY })).toEqual({ delivered: 3, retrying: 0, failed: 0 });
  });

  it("are marked failed after the last try, and an admin's replay sends the same delivery again", async () => {
    subscribe(["request.received"]);
    file("ann@example.org");
    runFeed(t.db, { now });
    answer = 503;
    let at = now;
    for (let i = 1; i <= DELIVERY_POLICY.maxAttempts; i++) {
      await deliverDue(t.db, at, { outbound, signingKey: SIGNING_KEY, clock: () => at });
      at = new Date(at.getTime() + deliveryRetryDelayMs(i));
    }
    const failed = t.db.select().from(apiDeliveries).get()!;
    expect(failed).toMatchObject({ status: "failed", attempts: DELIVERY_POLICY.maxAttempts });
    // The README's "after 12 tries (about five hours)": the waits between the first try and the last.
    const waited = Array.from({ length: DELIVERY_POLICY.maxAttempts - 1 }, (_, i) => deliveryRetryDelayMs(i + 1)).reduce((sum, ms) => sum + ms, 0);
    expect([DELIVERY_POLICY.maxAttempts, Math.round(waited / 3_600_000)]).toEqual([12, 5]);
    expect(await deliverDue(t.db, new Date(at.getTime() + 86_400_000), { outbound, signingKey: SIGNING_KEY })).toEqual({ delivered: 0, retrying: 0, failed: 0 });

    answer = 200;
    expect(replayDelivery(t.db, { id: failed.id, replayedBy: "lead@example.org", now: at })).toBe(true);
    expect(await deliverDue(t.db, at, { outbound, signingKey: SIGNING_KEY })).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(t.db.select().from(apiDeliveries).get()).toMatchObject({ status: "delivered", deliveryId: failed.deliveryId, replayedBy: "lead@example.org", attempts: 1 });
    expect(new Set(received.map((r) => r.headers["x-rightsdesk-delivery"]))).toEqual(new Set([failed.deliveryId]));
  });

  it("are not sent where the address no longer may be called", async () => {
    subscribe(["request.received"]);
    file("ann@example.org");
    runFeed(t.db, { now });
    const report = await deliverDue(t.db, now, { outbound: { allowPrivateHosts: [], resolve: dns({}) }, signingKey: SIGNING_KEY });
    expect(report).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(t.db.select().from(apiDeliveries).get()!.lastResponse).toBe(
      "Not sent: The address must start with https://; plain http:// is used only for a host allowed by WEBHOOK_ALLOW_PRIVATE_HOSTS.",
    );
    expect(received).toHaveLength(0);
  });

  // An agent names its own status_callback: the hosts allowed for the organisation's own systems (here the loopback
  // receiver) must not be reachable through it. Only the hosts allowed for agents' callbacks are.
  it.each([
    ["no policy of agents' own: no private host", undefined, false],
    ["agents' own policy without the host", { allowPrivateHosts: [], resolve: dns({}), allowSetting: "AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS" }, false],
    ["agents' own policy naming the host", { allowPrivateHosts: ["127.0.0.1"], resolve: dns({}), allowSetting: "AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS" }, true],
  ])("send an agent's status callback to a host the organisation allowed for its own systems only under %s", async (_case, agentOutbound, sent) => {
    t.db.insert(apiDeliveries).values({ deliveryId: "cb-1", target: "agent_callback", url, body: '{"status":"in_progress"}', status: "pending", nextAttemptAt: now, createdAt: now }).run();
    const report = await deliverDue(t.db, now, { outbound, agentOutbound, signingKey: SIGNING_KEY });
    expect(report).toEqual(sent ? { delivered: 1, retrying: 0, failed: 0 } : { delivered: 0, retrying: 1, failed: 0 });
    expect(received).toHaveLength(sent ? 1 : 0);
    if (!sent) {
      expect(t.db.select().from(apiDeliveries).get()!.lastResponse).toBe(
        "Not sent: The address must start with https://; plain http:// is used only for a host allowed by AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS.",
      );
    }
  });
});

describe("deadline notices", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  it("record due soon and overdue once per due date, as events of the stream", () => {
    // GDPR: received 4 May, due 4 June; due soon from 28 May (a quarter of 31 days left), overdue from 5 June.
    const reference = filed(fileVerifiedRequest(t.db, { submission: { type: "access", email: "ann@example.org", details: { type: "access" } }, now, ctx: TEST_CONTEXT })).reference;
    const at = (day: string) => new Date(`${day}T09:00:00Z`);
    expect(recordDeadlineNotices(t.db, { now: at("2026-05-20"), timeZone: "UTC" })).toBe(0);
    expect(recordDeadlineNotices(t.db, { now: at("2026-05-28"), timeZone: "UTC" })).toBe(1);
    expect(recordDeadlineNotices(t.db, { now: at("2026-05-29"), timeZone: "UTC" })).toBe(0);
    expect(recordDeadlineNotices(t.db, { now: at("2026-06-05"), timeZone: "UTC" })).toBe(1);
    expect(recordDeadlineNotices(t.db, { now: at("2026-06-06"), timeZone: "UTC" })).toBe(0);
    expect(t.db.select({ kind: deadlineNotices.kind, dueOn: deadlineNotices.dueOn }).from(deadlineNotices).all()).toEqual([
      { kind: "due_soon", dueOn: "2026-06-04" },
      { kind: "overdue", dueOn: "2026-06-04" },
    ]);
    expect(t.db.select({ action: requestEvents.action, note: requestEvents.note, actor: requestEvents.actorType }).from(requestEvents).all()).toEqual([
      { action: "filed", note: null, actor: "supporter" },
      { action: "due_soon", note: "Due on 2026-06-04.", actor: "system" },
      { action: "overdue", note: "Due on 2026-06-04.", actor: "system" },
    ]);
    expect(readEventStream(t.db, { after: 0, limit: 10, kinds: null }).events.map((e) => [e.kind, e.reference, e.to_status])).toEqual([
      ["request.received", reference, "received"],
      ["request.due_soon", reference, null],
      ["request.overdue", reference, null],
    ]);

    // A later due date (here: moved by hand, as an extension does) brings them again; a closed request never.
    t.db.update(requests).set({ dueOn: "2026-07-04" }).where(eq(requests.reference, reference)).run();
    expect(recordDeadlineNotices(t.db, { now: at("2026-06-28"), timeZone: "UTC" })).toBe(1);
    cancelRequestBySupporter(t.db, { reference, supporterEmail: "ann@example.org", now: at("2026-06-29"), ctx: TEST_CONTEXT });
    expect(recordDeadlineNotices(t.db, { now: at("2026-07-10"), timeZone: "UTC" })).toBe(0);
  });
});
