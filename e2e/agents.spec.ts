/**
 * An authorised agent speaking the Data Rights Protocol 1.0 to the
 * production build: written here from the specification, with its own
 * Ed25519 key, signing in libsodium's combined mode. An admin sets the
 * organisation up and registers the agent on the admin page; the agent sets
 * up its key, files an access request, the person confirms it by the emailed
 * link, staff carry it out, and the agent polls it to fulfilled and hears
 * each status on its callback; it revokes another. Every wrong message gets
 * the specification's error and stores nothing.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext, Page } from "@playwright/test";
import { makeTestAgent, type TestAgent } from "../lib/testing/drp-agent";
import { expect, signedInPage, test } from "./support/fixtures";
import { countRows, followLink, queryDatabase } from "./support/journeys";
import { signInLink, waitForMail } from "./support/mail";

test.describe.configure({ mode: "serial" });

const BUSINESS = "HARBOUR_TRUST_E2E";

async function setUpOrganisation(admin: Page, agent: TestAgent, name: string): Promise<void> {
  await admin.goto("/staff/api/agents");
  await admin.getByLabel("Business id").fill(BUSINESS);
  await admin.getByLabel("Technical contact", { exact: true }).fill("tech@harbour-trust.example.org");
  await admin.getByLabel("Privacy contact").fill("privacy@harbour-trust.example.org");
  await admin.getByRole("button", { name: "Save", exact: true }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  const discovery = JSON.parse((await admin.getByTestId("discovery-document").textContent()) ?? "{}");
  expect(discovery).toMatchObject({ id: BUSINESS, name: "Harbour Trust", supported_actions: ["access", "deletion"], supported_verifications: ["email"], technical_contact: "tech@harbour-trust.example.org" });

  await admin.getByLabel("Agent id").fill(agent.id);
  await admin.getByLabel("Name", { exact: true }).fill(name);
  await admin.getByLabel("Verify key").fill(agent.verifyKey);
  await admin.getByLabel("Agent's website (optional)").fill("https://agent.example");
  await admin.getByRole("button", { name: "Register the agent" }).click();
  await expect(admin.getByRole("status").filter({ hasText: `${name} is registered` })).toBeVisible();
}

function drp(request: APIRequestContext, agent: TestAgent) {
  const send = async (method: "POST" | "DELETE", path: string, text: string, token?: string) => {
    const response = await request.fetch(path, { method, headers: { "content-type": "text/plain", ...(token ? { authorization: `Bearer ${token}` } : {}) }, data: text });
    const raw = await response.text();
    return { status: response.status(), body: raw === "" ? null : (JSON.parse(raw) as Record<string, unknown>) };
  };
  return {
    async setUpKey(now = new Date()): Promise<string> {
      const answer = await send("POST", `/v1/agent/${agent.id}`, agent.signed({ ...agent.envelope(BUSINESS, now), "drp.version": "1.0" }));
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ "agent-id": agent.id });
      return answer.body!.token as string;
    },
    exercise(claims: Record<string, unknown>, token: string, signer: TestAgent = agent) {
      return send("POST", "/v1/data-rights-request", signer.signed(claims), token);
    },
    revoke(id: string, claims: Record<string, unknown>, token: string) {
      return send("DELETE", `/v1/data-rights-request/${id}`, agent.signed(claims), token);
    },
    async status(id: string, token: string) {
      // A status read is safe to send again, and an agent's client does: a kept-alive connection the server closes just
      // as it is reused (Node's five seconds, on a loaded machine) is reset, and the read is sent on a new one.
      const response = await request.get(`/v1/data-rights-request/${id}`, { headers: { authorization: `Bearer ${token}` }, maxRetries: 2 });
      return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
    },
  };
}

test("an agent files an access request the person confirms by email, polls it to fulfilled with callbacks, and revokes another", async ({ browser, page: person, request, uniqueEmail }) => {
  const callbacks: Array<Record<string, unknown>> = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      callbacks.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200).end();
    });
  });
  // On 127.0.0.2, the host the server allows agents' callbacks to reach (AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS).
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.2", resolve));
  const callbackUrl = `http://127.0.0.2:${(receiver.address() as AddressInfo).port}/drp/status`;
  const agent = makeTestAgent(`E2E_AGENT_${uniqueEmail.slice(10, 22).toUpperCase()}`);
  const admin = await signedInPage(browser, "admin@example.org");
  try {
    await setUpOrganisation(admin, agent, "Test Permission Agent");
    const client = drp(request, agent);
    const token = await client.setUpKey();
    expect((await request.get(`/v1/agent/${agent.id}`, { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);

    const since = Date.now();
    const filed = await client.exercise(
      { ...agent.envelope(BUSINESS, new Date()), "agent-request-id": "e2e-1", "drp.version": "1.0", exercise: "access", regime: "ccpa", name: "Pat Agent", email: uniqueEmail, email_verified: true, status_callback: callbackUrl },
      token,
    );
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({ status: "in_progress", reason: "need_user_verification", agent_request_id: "e2e-1" });
    const id = filed.body!.request_id as string;

    // The page the agent sends the person to says what to do, and changes nothing.
    await person.goto(`${filed.body!.user_verification_url as string}?request_id=${id}&redirect_to=${encodeURIComponent("https://agent.example/done")}`);
    await expect(person.getByText(/Test Permission Agent sent Harbour Trust a request on your behalf/)).toBeVisible();
    await expect(person.getByText(/Each link works once, for 30 minutes; your request waits for you until/)).toBeVisible();
    const first = await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since });

    // A link lasts 30 minutes, the request a day: the person can have a new link sent, and it confirms the request.
    const again = Date.now();
    await person.getByRole("button", { name: "Send me a new link" }).click();
    await expect(person.getByRole("status")).toHaveText("We have sent a new link to the address you gave. Follow it to confirm the request.");
    const confirmation = await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since: again });
    expect(signInLink(confirmation)).not.toBe(signInLink(first));
    await followLink(person, signInLink(confirmation));
    await expect(person).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
    const reference = queryDatabase<{ reference: string }>("select reference from requests where intake_id = ?", id)[0]!.reference;
    await expect.poll(async () => (await client.status(id, token)).body.status).toBe("in_progress");
    expect((await client.status(id, token)).body.expected_by).toMatch(/T23:59:59\.000Z$/);

    // Once confirmed, the page offers the way back to the agent: only to an address on the site registered for it.
    const verifyPage = (returnTo: string) => `${filed.body!.user_verification_url as string}?request_id=${id}&redirect_to=${encodeURIComponent(returnTo)}`;
    const back = person.getByRole("link", { name: "Go back to Test Permission Agent" });
    await person.goto(verifyPage("https://app.agent.example/done?step=2"));
    await expect(back).toHaveAttribute("href", "https://app.agent.example/done?step=2");
    await person.goto(verifyPage("https://phish.example/agent.example/done"));
    await expect(person.getByText(reference)).toBeVisible();
    await expect(back).toHaveCount(0);
    // The admin changes the agent's site in its row: the old site is no longer offered, the new one is.
    const site = admin.getByLabel("Website of Test Permission Agent", { exact: true });
    await expect(site).toHaveValue("https://agent.example");
    await site.fill("https://permission.example/start");
    await admin.getByRole("button", { name: "Save the website of Test Permission Agent" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "offered the way back to addresses on https://permission.example only" })).toBeVisible();
    await person.goto(verifyPage("https://agent.example/done"));
    await expect(person.getByText(reference)).toBeVisible();
    await expect(back).toHaveCount(0);
    await person.goto(verifyPage("https://permission.example/done"));
    await expect(back).toHaveAttribute("href", "https://permission.example/done");

    // The queue marks it with the agent, and so does its page, worked as for any request.
    await admin.goto(`/staff?q=${encodeURIComponent(uniqueEmail)}`);
    await expect(admin.getByRole("row", { name: new RegExp(reference) })).toContainText("via agent Test Permission Agent");
    await admin.goto(`/staff/requests/${reference}`);
    await expect(admin.getByText("Sent by the authorised agent Test Permission Agent")).toBeVisible();
    await admin.getByRole("button", { name: "Start review" }).click();
    await expect(admin.getByRole("status")).toHaveText("Review started.");
    await admin.getByRole("button", { name: "Approve" }).click();
    await expect(admin.getByRole("status")).toContainText("Approved");

    await expect.poll(async () => (await client.status(id, token)).body.status, { timeout: 20_000 }).toBe("fulfilled");
    expect((await client.status(id, token)).body).toMatchObject({ results_url: expect.stringContaining(`/requests/${reference}`) });
    await expect.poll(() => callbacks.filter((c) => c.request_id === id).map((c) => c.status), { timeout: 20_000 }).toEqual(["in_progress", "fulfilled"]);

    // Another request, revoked before the person confirmed it: its link no longer files anything.
    const other = await client.exercise(
      { ...agent.envelope(BUSINESS, new Date()), "drp.version": "1.0", exercise: "deletion", email: `other-${uniqueEmail}` },
      token,
    );
    const otherId = other.body!.request_id as string;
    const revoked = await client.revoke(otherId, { ...agent.envelope(BUSINESS, new Date()), reason: "The person changed their mind" }, token);
    expect(revoked).toEqual({ status: 200, body: { request_id: otherId, status: "revoked", received_at: expect.any(String) } });
    expect(countRows("request_drafts", "intake_id = ?", otherId)).toBe(0);
    expect((await client.status(otherId, token)).body.status).toBe("revoked");
  } finally {
    await admin.context().close();
    await new Promise((resolve) => receiver.close(resolve));
  }
});

test("a bad signature, an unknown agent, an expired, replayed or misshapen message each get the specification's error, and nothing is stored", async ({ browser, request, uniqueEmail }) => {
  const agent = makeTestAgent(`E2E_AGENT_${uniqueEmail.slice(10, 22).toUpperCase()}`);
  const admin = await signedInPage(browser, "admin@example.org");
  await setUpOrganisation(admin, agent, "Careful Agent");
  await admin.context().close();
  const client = drp(request, agent);
  const token = await client.setUpKey();
  const stored = () => [countRows("drp_requests"), countRows("request_drafts", "email = ?", uniqueEmail), countRows("drp_seen_messages")];
  const claims = (overrides: Record<string, unknown> = {}) => ({ ...agent.envelope(BUSINESS, new Date()), "drp.version": "1.0", exercise: "access", email: uniqueEmail, ...overrides });

  const cases: Array<[string, () => Promise<{ status: number; body: Record<string, unknown> | null }>, number, string]> = [
    ["a bad signature", () => client.exercise(claims(), token, makeTestAgent(agent.id)), 403, "The signature does not match the agent's verify key."],
    ["an unknown agent's token", () => client.exercise(claims(), "not-a-token-we-issued"), 401, "Send the bearer token this organisation issued to the agent (POST /v1/agent/{agent-id}) as Authorization: Bearer."],
    ["an expired message", () => client.exercise(claims(agent.envelope(BUSINESS, new Date(Date.now() - 30 * 60_000))), token), 400, "The request has expired: its expires-at is past."],
    ["a right this organisation does not take", () => client.exercise(claims({ exercise: "sale:opt-out" }), token), 400, "Unsupported rights actions submitted: this organisation takes access and deletion."],
    ["no email claim", () => client.exercise(claims({ email: undefined }), token), 400, "This organisation checks identity by email: the request must carry the email claim."],
    // 127.0.0.1 is allowed for the organisation's own systems (WEBHOOK_ALLOW_PRIVATE_HOSTS), never for an agent, an outside party.
    [
      "a callback over http to a host allowed only for the organisation's own systems",
      () => client.exercise(claims({ status_callback: "http://127.0.0.1:9/internal" }), token),
      400,
      "The status_callback cannot be called: The address must start with https://; plain http:// is used only for a host allowed by AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS.",
    ],
    [
      "a callback over https to a host allowed only for the organisation's own systems",
      () => client.exercise(claims({ status_callback: "https://127.0.0.1:9/internal" }), token),
      400,
      "The status_callback cannot be called: The address leads to a private or internal network address, which Rightsdesk does not call. If this system is yours and on your own network, an administrator can allow its host with the setting AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS.",
    ],
  ];
  for (const [what, send, status, message] of cases) {
    const before = stored();
    const answer = await send();
    await test.step(what, () => {
      expect(answer.status).toBe(status);
      expect(answer.body).toMatchObject({ code: String(status), message });
      expect(stored()).toEqual(before);
    });
  }

  // An unknown agent's key setup is a bare 403.
  const stranger = makeTestAgent("NOBODY_REGISTERED_THIS");
  const setUp = await request.post(`/v1/agent/${stranger.id}`, { headers: { "content-type": "text/plain" }, data: stranger.signed({ ...stranger.envelope(BUSINESS, new Date()), "drp.version": "1.0" }) });
  expect([setUp.status(), await setUp.text()]).toEqual([403, ""]);

  // The same message twice (the agent's answer was lost): taken once; sent again, it answers the status of the request it made.
  const once = agent.signed(claims());
  const first = await request.post("/v1/data-rights-request", { headers: { "content-type": "text/plain", authorization: `Bearer ${token}` }, data: once });
  expect(first.status()).toBe(200);
  const before = stored();
  const again = await request.post("/v1/data-rights-request", { headers: { "content-type": "text/plain", authorization: `Bearer ${token}` }, data: once });
  expect([again.status(), await again.json()]).toEqual([200, await first.json()]);
  expect(stored()).toEqual(before);
});
