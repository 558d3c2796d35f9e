/**
 * The Data Rights Protocol 1.0 endpoints, driven by an agent written in the
 * test from the specification (its own Ed25519 key, libsodium's combined
 * mode): key setup, filing, status, revoking, callbacks, and each way a
 * message can be wrong, which gets the specification's error and stores nothing.
 */
import { sign } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiDeliveries, drpAgents, drpRequests, drpSeenMessages, mailOutbox, requestDrafts, requestEvents, requests } from "@/db/schema";
import { confirmDraft } from "@/lib/requests/intake/confirm-draft";
import { createDraft, resendAgentDraftLink, resendDraftLink, waitingAgentDraftAddress } from "@/lib/requests/intake/create-draft";
import { SIGN_IN_LINK_MINUTES } from "@/lib/auth/sign-in-link";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { denyRequest } from "@/lib/requests/casework/close-request";
import { testDrpEnv, type TestClock } from "@/lib/testing/api";
import { makeTestAgent, type TestAgent } from "@/lib/testing/drp-agent";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { runFeed } from "../feed";
import { agentCallbackFollower } from "../chores";
import { registerAgent, saveBusiness, setAgentEnabled, setAgentSite } from "./agents";
import { deliverDue } from "../deliveries";
import { systemResolve } from "@/lib/http/outbound-address";
import { callbacksForTime } from "./callbacks";
import { agentInformation, fileAgentRequest, forgetExpiredMessages, requestStatus, revokeAgentRequest, setUpAgentKey, type DrpEnv } from "./exercise";
import { verifyEventChain } from "@/lib/audit/verify-chain";
import { ExerciseStatusSchema } from "./status";
import { verificationView } from "./verification";
import { recordDenialReason } from "./denial";

const BUSINESS = "TEST_NONPROFIT";
const base = "http://127.0.0.1:3999";

let t: TempDatabase;
let env: DrpEnv;
let clock: TestClock;
let agent: TestAgent;

function register(a: TestAgent, options: { trustsVerifiedEmail?: boolean; name?: string; webUrl?: string | null } = {}) {
  registerAgent(t.db, {
    id: a.id,
    name: options.name ?? "Test Agent",
    verifyKey: a.verifyKey,
    technicalContact: null,
    webUrl: options.webUrl === undefined ? "https://agent.example" : options.webUrl,
    trustsVerifiedEmail: options.trustsVerifiedEmail ?? false,
    createdBy: "lead@example.org",
    now: clock.now,
  });
}

async function body(response: Response): Promise<unknown> {
  const text = await response.text();
  return text === "" ? null : JSON.parse(text);
}

function post(path: string, text: string, headers: Record<string, string> = {}) {
  return new Request(`${base}${path}`, { method: "POST", headers: { "content-type": "text/plain", ...headers }, body: text });
}

async function setUpToken(a: TestAgent = agent): Promise<string> {
  const response = await setUpAgentKey(env, post(`/v1/agent/${a.id}`, a.signed({ ...a.envelope(BUSINESS, clock.now), "drp.version": "1.0" })), a.id);
  expect(response.status).toBe(200);
  return ((await body(response)) as { token: string }).token;
}

function exercise(a: TestAgent, overrides: Record<string, unknown> = {}) {
  return {
    ...a.envelope(BUSINESS, clock.now),
    "agent-request-id": "agent-ref-1",
    "drp.version": "1.0",
    exercise: "access",
    regime: "ccpa",
    relationships: ["customer"],
    name: "Ann Example",
    email: "ann@example.org",
    email_verified: true,
    ...overrides,
  };
}

async function file(token: string, claims: Record<string, unknown>, a: TestAgent = agent) {
  const response = await fileAgentRequest(env, post("/v1/data-rights-request", a.signed(claims), { authorization: `Bearer ${token}` }));
  return { status: response.status, body: (await body(response)) as Record<string, unknown> };
}

async function statusOf(token: string, id: string) {
  const response = requestStatus(env, new Request(`${base}/v1/data-rights-request/${id}`, { headers: { authorization: `Bearer ${token}` } }), id);
  return { status: response.status, body: (await body(response)) as Record<string, unknown> };
}

async function revoke(token: string, id: string, claims: Record<string, unknown>, a: TestAgent = agent) {
  const response = await revokeAgentRequest(
    env,
    new Request(`${base}/v1/data-rights-request/${id}`, { method: "DELETE", headers: { "content-type": "text/plain", authorization: `Bearer ${token}` }, body: a.signed(claims) }),
    id,
  );
  return { status: response.status, body: (await body(response)) as Record<string, unknown> };
}

function stored() {
  return {
    drpRequests: countRows(t.db, drpRequests),
    drafts: countRows(t.db, requestDrafts),
    requests: countRows(t.db, requests),
    mail: countRows(t.db, mailOutbox),
    seen: countRows(t.db, drpSeenMessages),
  };
}

beforeEach(async () => {
  t = openTempDatabase();
  clock = { now: new Date("2026-05-04T10:00:00Z") };
  env = await testDrpEnv(t.db, { clock });
  saveBusiness(t.db, { businessId: BUSINESS, technicalContact: "tech@example.org", businessContact: "privacy@example.org", logoUrl: null, privacyPolicyUrl: null, webUrl: null, updatedBy: "lead@example.org", now: clock.now });
  agent = makeTestAgent("TEST_AGENT");
  register(agent);
});
afterEach(() => t.close());

describe("POST /v1/agent/{agent-id}: the pair-wise key setup", () => {
  it("issues the agent a bearer token for a message it signed, keeping only its hash", async () => {
    const response = await setUpAgentKey(env, post(`/v1/agent/${agent.id}`, agent.signed({ ...agent.envelope(BUSINESS, clock.now), "drp.version": "1.0" })), agent.id);
    const answer = (await body(response)) as { "agent-id": string; token: string };
    expect(response.status).toBe(200);
    expect(answer["agent-id"]).toBe(agent.id);
    expect(answer.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(t.db.select().from(drpAgents).all())).not.toContain(answer.token);

    const info = agentInformation(env, new Request(`${base}/v1/agent/${agent.id}`, { headers: { authorization: `Bearer ${answer.token}` } }), agent.id);
    expect([info.status, await body(info)]).toEqual([200, {}]);
    const otherId = agentInformation(env, new Request(`${base}/v1/agent/OTHER`, { headers: { authorization: `Bearer ${answer.token}` } }), "OTHER");
    expect(otherId.status).toBe(403);
    expect((agentInformation(env, new Request(`${base}/v1/agent/${agent.id}`), agent.id)).status).toBe(401);

    // A new token replaces the old one.
    clock.now = new Date(clock.now.getTime() + 1000);
    const second = await setUpToken();
    expect(second).not.toBe(answer.token);
    expect(agentInformation(env, new Request(`${base}/v1/agent/${agent.id}`, { headers: { authorization: `Bearer ${answer.token}` } }), agent.id).status).toBe(401);
  });

  const intruder = makeTestAgent("TEST_AGENT");
  it.each<[string, (a: TestAgent, now: Date) => { path: string; text: string }]>([
    ["signed with another key", (a, now) => ({ path: a.id, text: intruder.signed({ ...a.envelope(BUSINESS, now), "drp.version": "1.0" }) })],
    ["an agent nobody registered", (_a, now) => ({ path: "UNKNOWN", text: makeTestAgent("UNKNOWN").signed({ ...makeTestAgent("UNKNOWN").envelope(BUSINESS, now), "drp.version": "1.0" }) })],
    ["a URL naming another agent than the message", (a, now) => ({ path: a.id, text: a.signed({ ...a.envelope(BUSINESS, now), "agent-id": "SOMEONE_ELSE", "drp.version": "1.0" }) })],
    ["another business", (a, now) => ({ path: a.id, text: a.signed({ ...a.envelope("OTHER_BUSINESS", now), "drp.version": "1.0" }) })],
    ["an expired message", (a, now) => ({ path: a.id, text: a.signed({ ...a.envelope(BUSINESS, new Date(now.getTime() - 20 * 60_000)), "drp.version": "1.0" }) })],
    ["no drp.version", (a, now) => ({ path: a.id, text: a.signed(a.envelope(BUSINESS, now)) })],
    ["not base64", (a) => ({ path: a.id, text: "this is not base64!" })],
  ])("answers a bare 403 for %s, and issues nothing", async (_what, make) => {
    const { path, text } = make(agent, clock.now);
    const response = await setUpAgentKey(env, post(`/v1/agent/${path}`, text), path);
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("");
    expect(t.db.select({ tokenHash: drpAgents.tokenHash }).from(drpAgents).get()!.tokenHash).toBeNull();
  });

  it("refuses the same setup message sent again", async () => {
    const text = agent.signed({ ...agent.envelope(BUSINESS, clock.now), "drp.version": "1.0" });
    expect((await setUpAgentKey(env, post(`/v1/agent/${agent.id}`, text), agent.id)).status).toBe(200);
    const again = await setUpAgentKey(env, post(`/v1/agent/${agent.id}`, text), agent.id);
    expect(again.status).toBe(403);
  });
});

describe("POST /v1/data-rights-request", () => {
  it("files an access request that waits for the person to confirm by email, then follows it through the workflow with callbacks", async () => {
    const token = await setUpToken();
    const filed = await file(token, exercise(agent, { status_callback: "http://127.0.0.1:9/drp/callback" }));
    expect(filed.status).toBe(200);
    ExerciseStatusSchema.parse(filed.body);
    const id = filed.body.request_id as string;
    expect(filed.body).toEqual({
      request_id: id,
      agent_request_id: "agent-ref-1",
      status: "in_progress",
      reason: "need_user_verification",
      received_at: clock.now.toISOString(),
      user_verification_url: `${TEST_CONTEXT.appUrl}/agents/verify/${id}`,
      expires_at: "2026-05-05T10:00:00.000Z",
      processing_details: "We emailed the person a link to confirm the request is theirs; it goes ahead once they follow it.",
    });
    // The agent's verified claim is not enough for an agent the admin does not trust with it: the link is emailed.
    const draft = t.db.select().from(requestDrafts).get()!;
    expect(draft).toMatchObject({ email: "ann@example.org", name: "Ann Example", type: "access", intakeId: id });
    expect(t.db.select({ kind: mailOutbox.kind, to: mailOutbox.toAddress }).from(mailOutbox).all()).toEqual([{ kind: "confirm-request", to: "ann@example.org" }]);
    // The person did not write this request: the email names the agent that did, rather than saying they asked.
    expect(t.db.select({ props: mailOutbox.props }).from(mailOutbox).get()!.props).toMatchObject({ agent: "Test Agent" });
    expect((await statusOf(token, id)).body).toEqual(filed.body);

    const follower = [agentCallbackFollower(TEST_CONTEXT)];
    runFeed(t.db, { now: clock.now, followers: follower });
    clock.now = new Date("2026-05-04T11:00:00Z");
    const confirmed = await confirmDraft(t.db, { draftKey: draft.key, viewerEmail: "ann@example.org", now: clock.now, ctx: TEST_CONTEXT });
    const reference = confirmed.ok ? confirmed.reference : "";
    runFeed(t.db, { now: clock.now, followers: follower });
    const inProgress = (await statusOf(token, id)).body;
    // GDPR's month, from the day it was confirmed; the end of that day in the organisation's time zone.
    expect(inProgress).toEqual({ request_id: id, agent_request_id: "agent-ref-1", status: "in_progress", received_at: "2026-05-04T10:00:00.000Z", expected_by: "2026-06-04T23:59:59.000Z" });
    expect(t.db.select({ identityCheck: requests.identityCheck, intakeId: requests.intakeId }).from(requests).get()).toEqual({ identityCheck: null, intakeId: id });

    const staff = { type: "staff" as const, email: "rita@example.org", role: "reviewer" as const };
    startReview(t.db, { reference, actor: staff, expectedVersion: 1, now: clock.now });
    approveRequest(t.db, { reference, actor: staff, expectedVersion: 2, now: clock.now, ctx: TEST_CONTEXT });
    runFeed(t.db, { now: clock.now, followers: follower });
    const fulfilled = (await statusOf(token, id)).body;
    expect(fulfilled).toMatchObject({ status: "fulfilled", results_url: `${TEST_CONTEXT.appUrl}/requests/${reference}`, expires_at: expect.any(String) });
    ExerciseStatusSchema.parse(fulfilled);

    // One callback per status the agent had not yet heard: in progress, then fulfilled.
    const callbacks = t.db.select().from(apiDeliveries).where(eq(apiDeliveries.target, "agent_callback")).all();
    expect(callbacks.map((c) => [c.url, JSON.parse(c.body).status])).toEqual([
      ["http://127.0.0.1:9/drp/callback", "in_progress"],
      ["http://127.0.0.1:9/drp/callback", "fulfilled"],
    ]);
    expect(JSON.parse(callbacks[1]!.body)).toEqual(fulfilled);

    // Once the export has expired, so has the request; a callback says so.
    clock.now = new Date("2026-07-01T00:00:00Z");
    expect((await statusOf(token, id)).body).toMatchObject({ status: "expired" });
    expect(callbacksForTime(t.db, { now: clock.now, ctx: TEST_CONTEXT })).toBe(1);
  });

  it("files at once, with the clock running, for an agent the admin trusts with verified addresses", async () => {
    const trusted = makeTestAgent("TRUSTED_AGENT");
    register(trusted, { trustsVerifiedEmail: true, name: "Trusted Agent" });
    const token = await setUpToken(trusted);
    const filed = await file(token, exercise(trusted, { exercise: "deletion" }), trusted);
    expect(filed.body).toMatchObject({ status: "in_progress", expected_by: "2026-06-04T23:59:59.000Z" });
    expect(countRows(t.db, requestDrafts)).toBe(0);
    expect(t.db.select({ type: requests.type, identityCheck: requests.identityCheck, details: requests.details }).from(requests).get()).toEqual({
      type: "erasure",
      identityCheck: "Email address verified by the authorised agent Trusted Agent (Data Rights Protocol)",
      details: { type: "erasure", confirmed: true },
    });
    // The person confirmed nothing with us: the receipt says the agent made the request.
    const receipt = t.db.select({ kind: mailOutbox.kind, props: mailOutbox.props }).from(mailOutbox).where(eq(mailOutbox.kind, "receipt")).get();
    expect(receipt?.props).toMatchObject({ arrival: "agent" });
    // Without email_verified it still asks the person.
    const unverified = await file(token, exercise(trusted, { email: "bob@example.org", email_verified: false }), trusted);
    expect(unverified.body).toMatchObject({ status: "in_progress", reason: "need_user_verification" });
  });

  it("names the agent in the confirmation email and in a fresh link for it, and no agent in a request the person made", async () => {
    const token = await setUpToken();
    await file(token, exercise(agent));
    // "Send it again" on the check-your-inbox page sends a fresh link for the newest draft of the address.
    expect(resendDraftLink(t.db, { email: "ann@example.org", now: clock.now, ctx: TEST_CONTEXT })).toEqual({ sent: true });
    createDraft(t.db, { submission: { type: "concern", email: "bob@example.org", details: { type: "concern", message: "Why?" } }, now: clock.now, ctx: TEST_CONTEXT });
    const mails = t.db.select({ to: mailOutbox.toAddress, props: mailOutbox.props }).from(mailOutbox).all();
    expect(mails.map((m) => [m.to, (m.props as { agent?: string }).agent ?? null])).toEqual([
      ["ann@example.org", "Test Agent"],
      ["ann@example.org", "Test Agent"],
      ["bob@example.org", null],
    ]);
  });

  it("holds each agent to its rate of messages a minute, storing nothing of one over it, and never counts status polls", async () => {
    // Every request an agent files emails the person it names, and no per-network limit can apply to an agent.
    env = await testDrpEnv(t.db, { clock, agentMessagesPerMinute: 3 });
    const other = makeTestAgent("OTHER_AGENT");
    register(other, { name: "Other Agent" });
    const token = await setUpToken();
    const ann = await file(token, exercise(agent));
    expect(ann.status).toBe(200);
    expect((await file(token, exercise(agent, { email: "bob@example.org", "agent-request-id": "2" }))).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await statusOf(token, ann.body.request_id as string)).status).toBe(200);
    const before = stored();
    const claims = exercise(agent, { email: "cy@example.org", "agent-request-id": "3" });
    const response = await fileAgentRequest(env, post("/v1/data-rights-request", agent.signed(claims), { authorization: `Bearer ${token}` }));
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await body(response)).toEqual({ code: "429", message: expect.stringMatching(/^This agent has sent as many messages as it may in a minute \(3\); send this one again in \d+ seconds\.$/) });
    expect(stored()).toEqual(before);
    expect((await revoke(token, ann.body.request_id as string, { ...agent.envelope(BUSINESS, clock.now), reason: "no" })).status).toBe(429);
    // Another agent has a rate of its own.
    const otherToken = await setUpToken(other);
    expect((await file(otherToken, exercise(other, { email: "cy@example.org" }), other)).status).toBe(200);
  });

  it("sends no callback to an agent an admin switched off, and sends what waited once it is switched on again", async () => {
    const token = await setUpToken();
    const id = (await file(token, exercise(agent, { status_callback: "http://127.0.0.1:9/drp/callback" }))).body.request_id as string;
    t.db.insert(apiDeliveries).values({ deliveryId: "cb-1", target: "agent_callback", drpRequestId: id, url: "http://127.0.0.1:9/drp/callback", body: "{}", status: "pending", nextAttemptAt: clock.now, createdAt: clock.now }).run();
    const sent: string[] = [];
    const options = {
      outbound: { allowPrivateHosts: [], resolve: systemResolve },
      agentOutbound: { allowPrivateHosts: ["127.0.0.1"], resolve: systemResolve },
      signingKey: "k".repeat(64),
      post: async (call: { url: URL }) => {
        sent.push(call.url.toString());
        return { status: 200 };
      },
    };
    // Switched off (a compromised agent, say): its token stops, and so does what it hears of the person's request.
    setAgentEnabled(t.db, { id: agent.id, enabled: false, now: clock.now });
    expect(await deliverDue(t.db, clock.now, options)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(sent).toEqual([]);
    expect(t.db.select({ status: apiDeliveries.status }).from(apiDeliveries).get()).toEqual({ status: "pending" });
    setAgentEnabled(t.db, { id: agent.id, enabled: true, now: clock.now });
    expect(await deliverDue(t.db, clock.now, options)).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(sent).toEqual(["http://127.0.0.1:9/drp/callback"]);
  });

  it("says the person never confirmed once the link has lapsed, and a callback follows", async () => {
    const token = await setUpToken();
    const filed = await file(token, exercise(agent, { status_callback: "http://127.0.0.1:9/cb" }));
    const id = filed.body.request_id as string;
    clock.now = new Date("2026-05-05T10:00:01Z");
    expect((await statusOf(token, id)).body).toMatchObject({ status: "denied", reason: "insuf_verification" });
    expect(callbacksForTime(t.db, { now: clock.now, ctx: TEST_CONTEXT })).toBe(1);
    expect(callbacksForTime(t.db, { now: clock.now, ctx: TEST_CONTEXT })).toBe(0);
  });

  it("reports a per-supporter limit as denied, too_many_requests", async () => {
    env = await testDrpEnv(t.db, { clock, ctx: { ...TEST_CONTEXT, limits: { openRequestsPerType: 1, accessRequestsPerYear: 2, repeatAccessMonths: 0 } } });
    const token = await setUpToken();
    const first = await file(token, exercise(agent));
    await confirmDraft(t.db, { draftKey: t.db.select().from(requestDrafts).get()!.key, viewerEmail: "ann@example.org", now: clock.now, ctx: env.ctx });
    expect(first.status).toBe(200);
    const second = await file(token, exercise(agent, { "agent-request-id": "agent-ref-2" }));
    expect(second.body).toMatchObject({
      status: "denied",
      reason: "too_many_requests",
      processing_details: "The person was emailed why: a person may have one open request of a type at a time, and this address already has one.",
    });
    // The agent's user has not proved the address: the earlier request's reference goes to the address only.
    const reference = t.db.select({ reference: requests.reference }).from(requests).get()!.reference;
    expect(JSON.stringify(second.body)).not.toContain(reference);
  });

  it("records a refusal by a per-supporter limit with the email telling the person why: a message sent again after a failure between them emails them once", async () => {
    env = await testDrpEnv(t.db, { clock, ctx: { ...TEST_CONTEXT, limits: { openRequestsPerType: 1, accessRequestsPerYear: 2, repeatAccessMonths: 0 } } });
    const token = await setUpToken();
    await file(token, exercise(agent));
    await confirmDraft(t.db, { draftKey: t.db.select().from(requestDrafts).get()!.key, viewerEmail: "ann@example.org", now: clock.now, ctx: env.ctx });
    const again = exercise(agent, { "agent-request-id": "agent-ref-2" });
    const limitMails = () => t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, "limit-reached")).all().length;
    // The agent's record of the refusal cannot be written (a failing disk, a process killed): nothing of it stays.
    t.db.$client.exec("create temp trigger fail_drp before insert on drp_requests begin select raise(abort, 'disk I/O error'); end");
    await expect(file(token, again)).rejects.toThrow("disk I/O error");
    expect(limitMails()).toBe(0);
    t.db.$client.exec("drop trigger fail_drp");
    // The agent sends the same message again.
    expect((await file(token, again)).body).toMatchObject({ status: "denied", reason: "too_many_requests" });
    expect(limitMails()).toBe(1);
  });

  it("takes a voluntary request, whether the agent leaves the regime out or says \"voluntary\" as the reference agent does, and keeps it as one without a regime", async () => {
    const token = await setUpToken();
    const saidSo = await file(token, exercise(agent, { regime: "voluntary" }));
    const leftOut = await file(token, exercise(agent, { regime: undefined, email: "bob@example.org", "agent-request-id": "agent-ref-2" }));
    for (const filed of [saidSo, leftOut]) {
      expect(filed.status).toBe(200);
      expect(filed.body).toMatchObject({ status: "in_progress", reason: "need_user_verification" });
    }
    expect(t.db.select({ regime: drpRequests.regime }).from(drpRequests).all()).toEqual([{ regime: null }, { regime: null }]);
  });

  const other = makeTestAgent("TEST_AGENT");
  it.each<[string, number, string, boolean, (a: TestAgent, now: Date) => string]>([
    ["a bad signature", 403, "The signature does not match the agent's verify key.", false, (a, now) => other.signed(exercise(a))],
    ["a message for another agent", 403, "The agent-id claim does not name the agent this token was issued to.", false, (a) => a.signed(exercise(a, { "agent-id": "ANOTHER_AGENT" }))],
    ["a message for another business", 403, "The business-id claim does not name this organisation.", false, (a) => a.signed(exercise(a, { "business-id": "OTHER" }))],
    ["a message from the future", 400, "The issued-at claim is in the future: check the sending system's clock.", false, (a, now) => a.signed(exercise(a, a.envelope(BUSINESS, new Date(now.getTime() + 5 * 60_000))))],
    ["an expired message", 400, "The request has expired: its expires-at is past.", true, (a, now) => a.signed(exercise(a, a.envelope(BUSINESS, new Date(now.getTime() - 11 * 60_000))))],
    ["no email claim", 400, "This organisation checks identity by email: the request must carry the email claim.", true, (a) => a.signed(exercise(a, { email: undefined }))],
    ["a right it does not take", 400, "Unsupported rights actions submitted: this organisation takes access and deletion.", true, (a) => a.signed(exercise(a, { exercise: "sale:opt-out" }))],
    ["another protocol version", 400, 'The drp.version claim must be "1.0".', true, (a) => a.signed(exercise(a, { "drp.version": "0.9" }))],
    ["another regime", 400, 'The regime claim must be "ccpa", or "voluntary" or left out for a voluntary request (section 3.01).', true, (a) => a.signed(exercise(a, { regime: "gdpr" }))],
    ["an email that is not one", 400, "The email claim must be a valid address, like name@example.org.", true, (a) => a.signed(exercise(a, { email: "ann" }))],
    ["a callback to a private address", 400, "The status_callback cannot be called: The address must start with https://; plain http:// is used only for a host allowed by AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS.", true, (a) => a.signed(exercise(a, { status_callback: "http://10.1.2.3/cb" }))],
    ["a body that is not base64", 400, "The body is not base64: send the signed message base64-encoded, as text/plain.", false, () => "{not base64}"],
    ["a signed text that is not JSON", 400, "The signed message is not JSON.", false, (a) => Buffer.concat([sign(null, Buffer.from("x"), a.privateKey), Buffer.from("x")]).toString("base64")],
    ["a signed text that is not UTF-8", 400, "The signed message is not UTF-8 text: sign the JSON encoded as UTF-8.", false, (a) => {
      // A name with bytes no UTF-8 text has (0xff 0xfe): refused, not stored with replacement characters.
      const [before, after] = JSON.stringify(exercise(a, { name: "\u0000" })).split("\\u0000") as [string, string];
      const message = Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe]), Buffer.from(after)]);
      return Buffer.concat([sign(null, message, a.privateKey), message]).toString("base64");
    }],
  ])("answers %s with %i and the specification's error shape, storing nothing", async (_what, status, message, fatal, make) => {
    const token = await setUpToken();
    const before = stored();
    const response = await fileAgentRequest(env, post("/v1/data-rights-request", make(agent, clock.now), { authorization: `Bearer ${token}` }));
    expect(response.status).toBe(status);
    expect(await body(response)).toEqual({ code: String(status), message, ...(fatal ? { fatal: true } : {}) });
    expect(stored()).toEqual(before);
  });

  it("answers an unknown or missing token with 401, the same message sent again with the status of the request it made, and a JSON body with 415, storing nothing more", async () => {
    const token = await setUpToken();
    const text = agent.signed(exercise(agent));
    const unknown = await fileAgentRequest(env, post("/v1/data-rights-request", text, { authorization: "Bearer made-up" }));
    expect([unknown.status, ((await body(unknown)) as { code: string }).code]).toEqual([401, "401"]);
    expect((await fileAgentRequest(env, post("/v1/data-rights-request", text))).status).toBe(401);
    expect(stored()).toMatchObject({ drpRequests: 0, drafts: 0, mail: 0 });

    const first = await fileAgentRequest(env, post("/v1/data-rights-request", text, { authorization: `Bearer ${token}` }));
    expect(first.status).toBe(200);
    const firstStatus = await body(first);
    const before = stored();
    // The agent never heard the answer and sends the message again: it learns the request_id and status of the request it made, and no second one is made.
    clock.now = new Date(clock.now.getTime() + 60_000);
    const replayed = await fileAgentRequest(env, post("/v1/data-rights-request", text, { authorization: `Bearer ${token}` }));
    expect([replayed.status, await body(replayed)]).toEqual([200, firstStatus]);
    expect(stored()).toEqual(before);
    // Another agent cannot send it: the signature is not its own.
    const second = makeTestAgent("SECOND_AGENT");
    register(second);
    const secondToken = await setUpToken(second);
    const beforeStolen = stored();
    const stolen = await fileAgentRequest(env, post("/v1/data-rights-request", text, { authorization: `Bearer ${secondToken}` }));
    expect(stolen.status).toBe(403);
    expect(stored()).toEqual(beforeStolen);

    const json = await fileAgentRequest(env, new Request(`${base}/v1/data-rights-request`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: "{}" }));
    expect(json.status).toBe(415);
    expect(stored()).toEqual(beforeStolen);
  });
});

describe("GET and DELETE /v1/data-rights-request/{request_id}", () => {
  it("answers only the agent that manages the request", async () => {
    const token = await setUpToken();
    const id = (await file(token, exercise(agent))).body.request_id as string;
    const second = makeTestAgent("SECOND_AGENT");
    register(second);
    const secondToken = await setUpToken(second);
    expect((await statusOf(secondToken, id)).status).toBe(403);
    expect((await statusOf(token, "00000000-0000-0000-0000-000000000000")).status).toBe(404);
    expect((await revoke(secondToken, id, { reason: "Not mine" }, second)).status).toBe(403);
  });

  it("revokes a request still waiting for the person: its draft and link go", async () => {
    const token = await setUpToken();
    const id = (await file(token, exercise(agent))).body.request_id as string;
    const revoked = await revoke(token, id, { ...agent.envelope(BUSINESS, clock.now), reason: "Changed my mind" });
    expect(revoked).toEqual({ status: 200, body: { request_id: id, agent_request_id: "agent-ref-1", status: "revoked", received_at: clock.now.toISOString() } });
    expect(countRows(t.db, requestDrafts)).toBe(0);
    expect((await statusOf(token, id)).body).toMatchObject({ status: "revoked" });
    // The same revoke sent again (the agent never heard the answer): the revoked status again, not a fatal refusal, and nothing more happens.
    const before = stored();
    const again = await revoke(token, id, { ...agent.envelope(BUSINESS, clock.now), reason: "Changed my mind" });
    expect(again).toEqual(revoked);
    expect(stored()).toEqual(before);
  });

  it("revokes a request in the queue as if the person withdrew it, with the reason on the record, and not one already closed", async () => {
    const trusted = makeTestAgent("TRUSTED_AGENT");
    register(trusted, { trustsVerifiedEmail: true, name: "Trusted Agent" });
    const token = await setUpToken(trusted);
    const id = (await file(token, exercise(trusted), trusted)).body.request_id as string;
    const denyId = (await file(token, exercise(trusted, { email: "bob@example.org", "agent-request-id": "second" }), trusted)).body.request_id as string;

    expect((await revoke(token, id, { reason: "I don't want my data looked at" }, trusted)).body).toMatchObject({ status: "revoked" });
    const request = t.db.select().from(requests).where(eq(requests.intakeId, id)).get()!;
    expect(request.status).toBe("canceled");
    expect(t.db.select({ action: requestEvents.action, actor: requestEvents.actorType, note: requestEvents.note }).from(requestEvents).where(eq(requestEvents.requestId, request.id)).all().at(-1)).toEqual({
      action: "canceled",
      actor: "supporter",
      note: "Revoked by the authorised agent Trusted Agent: I don't want my data looked at",
    });
    expect(t.db.select({ kind: mailOutbox.kind }).from(mailOutbox).where(eq(mailOutbox.requestId, request.id)).all().map((m) => m.kind)).toContain("cancellation");

    const reference = t.db.select().from(requests).where(eq(requests.intakeId, denyId)).get()!.reference;
    denyRequest(t.db, { reference, actor: { type: "staff", email: "rita@example.org", role: "admin" }, expectedVersion: 1, note: "We hold no data about you.", now: clock.now, ctx: TEST_CONTEXT });
    expect((await statusOf(token, denyId)).body).toMatchObject({ status: "denied", reason: "other", processing_details: "We hold no data about you." });
    // Staff can say which of DRP's reasons it was.
    expect(recordDenialReason(t.db, { reference, reason: "no_match" })).toBe(true);
    expect((await statusOf(token, denyId)).body).toMatchObject({ status: "denied", reason: "no_match", processing_details: "We hold no data about you." });
    const late = await revoke(token, denyId, { reason: "too late" }, trusted);
    expect(late).toEqual({ status: 400, body: { code: "400", message: "This request is denied and can no longer be revoked.", fatal: true } });
  });

  it("keeps the request log whole when a revoke's reason carries half a surrogate pair", async () => {
    // JSON can carry "\ud800", which no character is: stored, it reads back as U+FFFD, and the log must commit to that.
    const trusted = makeTestAgent("TRUSTED_AGENT");
    register(trusted, { trustsVerifiedEmail: true, name: "Trusted Agent" });
    const token = await setUpToken(trusted);
    const id = (await file(token, exercise(trusted), trusted)).body.request_id as string;
    expect((await revoke(token, id, { reason: "Changed my mind \ud800" }, trusted)).body).toMatchObject({ status: "revoked" });
    const request = t.db.select().from(requests).where(eq(requests.intakeId, id)).get()!;
    expect(t.db.select({ note: requestEvents.note }).from(requestEvents).where(eq(requestEvents.requestId, request.id)).all().at(-1)!.note).toBe(
      "Revoked by the authorised agent Trusted Agent: Changed my mind \uFFFD",
    );
    expect(verifyEventChain(t.db)).toMatchObject({ problem: null });
  });
  it("never takes a revoke body twice, even long after, when it has no expires-at to be refused by", async () => {
    const trusted = makeTestAgent("TRUSTED_AGENT");
    register(trusted, { trustsVerifiedEmail: true, name: "Trusted Agent" });
    const token = await setUpToken(trusted);
    const first = (await file(token, exercise(trusted), trusted)).body.request_id as string;
    const second = (await file(token, exercise(trusted, { email: "bob@example.org", "agent-request-id": "agent-ref-2" }), trusted)).body.request_id as string;
    // Section 2.04's body holds only the reason, and names no request: the same body could revoke any of the agent's requests.
    expect((await revoke(token, first, { reason: "no" }, trusted)).body).toMatchObject({ status: "revoked" });
    clock.now = new Date(clock.now.getTime() + 400 * 24 * 3_600_000);
    forgetExpiredMessages(t.db, clock.now);
    expect(await revoke(token, second, { reason: "no" }, trusted)).toEqual({
      status: 409,
      body: {
        code: "409",
        message:
          "This signed message was already received: each one is taken once. A revoke body with no issued-at and expires-at is the same message for every request, so sign this one with the agent-id, business-id, issued-at and expires-at claims (section 3.07).",
        fatal: true,
      },
    });
    expect(countRows(t.db, drpSeenMessages)).toBeGreaterThan(0);
    expect(t.db.select().from(drpRequests).where(eq(drpRequests.id, second)).get()!.revokedAt).toBeNull();
    // Signed with the claims, the same reason is a message of its own, and revokes the second request.
    expect((await revoke(token, second, { ...trusted.envelope(BUSINESS, clock.now), reason: "no" }, trusted)).body).toMatchObject({ status: "revoked" });
  });
});

describe("the page the agent sends the person to", () => {
  it("says what to do while the request waits, checks the request_id, and offers the way back once confirmed", async () => {
    const token = await setUpToken();
    const id = (await file(token, exercise(agent))).body.request_id as string;
    const view = (params: { requestIdParam?: string; redirectTo?: string }) => verificationView(t.db, { requestId: id, requestIdParam: params.requestIdParam, redirectTo: params.redirectTo, now: clock.now });
    expect(view({ requestIdParam: id })).toEqual({ state: "waiting", agentName: "Test Agent", expiresAt: new Date("2026-05-05T10:00:00Z") });
    expect(view({ requestIdParam: "00000000-0000-0000-0000-000000000000" })).toEqual({ state: "not_found" });
    // Opening it changed nothing.
    expect(countRows(t.db, requests)).toBe(0);

    const draft = t.db.select().from(requestDrafts).get()!;
    const confirmed = await confirmDraft(t.db, { draftKey: draft.key, viewerEmail: "ann@example.org", now: clock.now, ctx: TEST_CONTEXT });
    const reference = confirmed.ok ? confirmed.reference : "";
    expect(view({ requestIdParam: id, redirectTo: "https://agent.example/done?x=1" })).toEqual({ state: "confirmed", agentName: "Test Agent", reference, returnTo: "https://agent.example/done?x=1" });
    expect(view({ redirectTo: "javascript:alert(1)" })).toMatchObject({ state: "confirmed", returnTo: null });
    expect(view({ redirectTo: "http://agent.example/done" })).toMatchObject({ state: "confirmed", returnTo: null });
    // Only to the agent's own site: an address elsewhere in the query is not offered.
    expect(view({ redirectTo: "https://phish.example/agent.example" })).toMatchObject({ state: "confirmed", returnTo: null });
    // An agent with no site registered gets no way back.
    setAgentSite(t.db, { id: agent.id, webUrl: null });
    expect(view({ redirectTo: "https://agent.example/done?x=1" })).toMatchObject({ state: "confirmed", returnTo: null });
  });

  // A link lasts SIGN_IN_LINK_MINUTES, the draft a day: the person can have a new link for it while it waits, and follow it.
  it("sends a new link for a request still waiting after its first link expired, and none once it no longer waits", async () => {
    const token = await setUpToken();
    const id = (await file(token, exercise(agent))).body.request_id as string;
    const later = new Date(clock.now.getTime() + (SIGN_IN_LINK_MINUTES + 1) * 60_000);
    expect(waitingAgentDraftAddress(t.db, { intakeId: id, now: later })).toBe("ann@example.org");
    expect(resendAgentDraftLink(t.db, { intakeId: id, now: later, ctx: TEST_CONTEXT })).toEqual({ sent: true });
    const links = t.db.select({ to: mailOutbox.toAddress, kind: mailOutbox.kind, props: mailOutbox.props }).from(mailOutbox).all();
    expect(links.map((m) => [m.to, m.kind, (m.props as { agent?: string }).agent])).toEqual([
      ["ann@example.org", "confirm-request", "Test Agent"],
      ["ann@example.org", "confirm-request", "Test Agent"],
    ]);
    // The new link is a new one, not the expired one sent again.
    const [first, second] = links.map((m) => (m.props as { link: string }).link);
    expect(second).not.toBe(first);
    // Past the draft's day, or for a request that is not an agent's waiting draft, nothing is sent.
    const nextDay = new Date(clock.now.getTime() + 24 * 60 * 60_000 + 1);
    expect(waitingAgentDraftAddress(t.db, { intakeId: id, now: nextDay })).toBeNull();
    expect(resendAgentDraftLink(t.db, { intakeId: id, now: nextDay, ctx: TEST_CONTEXT })).toEqual({ sent: false });
    expect(resendAgentDraftLink(t.db, { intakeId: "00000000-0000-0000-0000-000000000000", now: later, ctx: TEST_CONTEXT })).toEqual({ sent: false });
    await revoke(token, id, { reason: "no" });
    expect(resendAgentDraftLink(t.db, { intakeId: id, now: later, ctx: TEST_CONTEXT })).toEqual({ sent: false });
    expect(countRows(t.db, mailOutbox)).toBe(2);
  });

  it("says when the request lapsed or was revoked", async () => {
    const token = await setUpToken();
    const id = (await file(token, exercise(agent))).body.request_id as string;
    expect(verificationView(t.db, { requestId: id, requestIdParam: id, redirectTo: undefined, now: new Date("2026-05-06T00:00:00Z") })).toEqual({ state: "lapsed", agentName: "Test Agent" });
    await revoke(token, id, { reason: "no" });
    expect(verificationView(t.db, { requestId: id, requestIdParam: undefined, redirectTo: undefined, now: clock.now })).toEqual({ state: "revoked", agentName: "Test Agent" });
  });
});
