/**
 * The per-address and per-IP limits at their real values. This project runs
 * after the main one, alone, because it restarts the shared server (with the
 * defaults in place of the general suite's raised limits). The server trusts
 * one proxy, so each test names its own network in X-Forwarded-For.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { APIRequestContext, Browser } from "@playwright/test";
import { builtAction, callAction } from "../support/actions";
import { expect, requestSignInLink, test } from "../support/fixtures";
import { countRows, followLink, updateDatabase } from "../support/journeys";
import { REAL_LIMITS, uniqueClientIp } from "../support/limits";
import { mailsTo, signInLink, waitForMail } from "../support/mail";
import { readServerState, restartServer } from "../support/server";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  await restartServer({ env: REAL_LIMITS });
});

function fromNetwork(browser: Browser, ip: string) {
  return browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": ip } });
}

const askForLink = (request: APIRequestContext, email: string) =>
  callAction(request, builtAction("app/(public)/signin/actions.ts", "requestSignInLink"), { email, next: "/requests" });

test("the fourth link request for one address within an hour is refused, the first three are not; the same across a server restart", async ({
  browser,
  uniqueEmail,
}) => {
  const page = await (await fromNetwork(browser, uniqueClientIp())).newPage();
  const since = Date.now();
  const ask = () => requestSignInLink(page, uniqueEmail);
  for (let i = 1; i <= 3; i++) {
    await ask();
    await expect(page.getByRole("heading", { name: "Check your inbox" }), `link ${i}`).toBeVisible();
  }
  await expect.poll(async () => (await mailsTo(uniqueEmail)).filter((m) => m.receivedAt >= since).length).toBe(3);

  await restartServer();
  await ask();
  await expect(page.locator(".error-summary")).toHaveText(
    /^We send at most 3 sign-in or confirmation emails an hour to one address, and this address has had them\. Please try again in (\d+ minutes|an hour)\.$/,
  );
  await expect(page.getByLabel("Email address", { exact: true })).toHaveValue(uniqueEmail);
  expect(countRows("verification_tokens", "identifier = ?", uniqueEmail)).toBe(3);
  // Another address from the same network is not held back by this one.
  await page.getByLabel("Email address", { exact: true }).fill(`other-${uniqueEmail}`);
  await page.getByRole("button", { name: "Send me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  expect((await mailsTo(uniqueEmail)).filter((m) => m.receivedAt >= since)).toHaveLength(3);
});

test("one network may ask for twenty links an hour; the twenty-first is refused, another network is not", async ({ browser, uniqueEmail }) => {
  const ip = uniqueClientIp();
  const network = await fromNetwork(browser, ip);
  for (let i = 0; i < 20; i++) {
    const answer = await askForLink(network.request, `n${i}-${uniqueEmail}`);
    expect(answer.redirect, `request ${i + 1}`).toBe("/signin/check-inbox");
  }
  const refused = await askForLink(network.request, `n20-${uniqueEmail}`);
  expect(refused.state?.message).toMatch(
    /^We accept at most 20 requests for sign-in or confirmation emails an hour from one network, and yours has reached that\. Please try again in (\d+ minutes|an hour)\.$/,
  );
  expect(countRows("verification_tokens", "identifier = ?", `n20-${uniqueEmail}`)).toBe(0);
  const elsewhere = await fromNetwork(browser, uniqueClientIp());
  expect((await askForLink(elsewhere.request, `n20-${uniqueEmail}`)).redirect).toBe("/signin/check-inbox");
});

test("one network may start ten requests an hour without signing in; the eleventh is refused", async ({ browser, uniqueEmail }) => {
  const network = await fromNetwork(browser, uniqueClientIp());
  const submit = builtAction("app/(public)/new/actions.ts", "submitRequest");
  for (let i = 0; i < 10; i++) {
    const answer = await callAction(network.request, submit, { type: "unsubscribe", email: `d${i}-${uniqueEmail}` });
    expect(answer.redirect, `draft ${i + 1}`).toBe("/signin/check-inbox?for=request");
  }
  const refused = await callAction(network.request, submit, { type: "unsubscribe", email: `d10-${uniqueEmail}` });
  expect(refused.state?.message).toMatch(/^We accept at most 10 new requests an hour from one network, and yours has reached that\. Please try again in/);
  expect(countRows("request_drafts", "email = ?", `d10-${uniqueEmail}`)).toBe(0);
  // The form keeps what was typed.
  expect(refused.state).toMatchObject({ ok: false });
});

test("ten failed links from one network in 15 minutes, then 429 with Retry-After, even for a good link; opening links counts for nothing; other networks are unaffected", async ({
  browser,
  uniqueEmail,
}) => {
  const base = process.env.E2E_BASE_URL ?? "";
  const guesser = await fromNetwork(browser, uniqueClientIp());
  const since = Date.now();
  expect((await askForLink(guesser.request, uniqueEmail)).redirect).toBe("/signin/check-inbox");
  const good = new URL(signInLink(await waitForMail({ to: uniqueEmail, since })));
  /** What the link page's button sends, with `token` in place of the link's own. */
  const press = (token: string) =>
    guesser.request.post("/signin/link/follow", {
      form: { token, email: good.searchParams.get("email") ?? "", next: good.searchParams.get("next") ?? "" },
      headers: { origin: base },
      maxRedirects: 0,
    });
  // Opening a link, however often (a mail scanner does), is not a failed attempt: only pressing the button can be.
  for (let i = 0; i < 15; i++) expect((await guesser.request.get(good.toString().replace(/token=[0-9a-f]+/, `token=${"c".repeat(64)}`))).status()).toBe(200);
  for (let i = 0; i < 10; i++) {
    const answer = await press(`${i}`.padStart(64, "a"));
    expect(answer.status(), `guess ${i + 1}`).toBe(303);
    expect(answer.headers().location).toContain("link=invalid");
  }
  for (const token of ["b".repeat(64), good.searchParams.get("token") ?? ""]) {
    const blocked = await press(token);
    expect(blocked.status()).toBe(429);
    expect(Number(blocked.headers()["retry-after"])).toBeGreaterThan(800);
    expect(Number(blocked.headers()["retry-after"])).toBeLessThanOrEqual(900);
    expect(await blocked.text()).toContain(
      "Too many sign-in links from your network did not work: we allow 10 failed attempts in 15 minutes. Please try again in 15 minutes.",
    );
  }
  // The same good link, from the owner's own network, still signs in.
  const owner = await (await fromNetwork(browser, uniqueClientIp())).newPage();
  await followLink(owner, good.toString());
  expect((await owner.request.get("/requests", { maxRedirects: 0 })).status()).toBe(200);
});

test.describe("without TRUST_PROXY", () => {
  test.beforeAll(async () => {
    await restartServer({ env: { TRUST_PROXY: null, LIMIT_LINK_REQUESTS_PER_IP_HOUR: "3" } });
  });
  test.beforeEach(() => {
    // Every request is now 127.0.0.1, which the main project used freely (under its raised limits) this hour.
    // This project runs alone, so clearing that count touches no other test.
    updateDatabase("delete from rate_limits where key like 'linkRequestsPerIpPerHour:%'");
  });
  test.afterAll(async () => {
    await restartServer({ env: { TRUST_PROXY: "1", LIMIT_LINK_REQUESTS_PER_IP_HOUR: null } });
  });

  test("X-Forwarded-For is ignored: a client cannot pose as many networks", async ({ browser, uniqueEmail }) => {
    for (let i = 0; i < 3; i++) {
      const posing = await fromNetwork(browser, uniqueClientIp());
      expect((await askForLink(posing.request, `p${i}-${uniqueEmail}`)).redirect, `request ${i + 1}`).toBe("/signin/check-inbox");
    }
    const fourth = await fromNetwork(browser, uniqueClientIp());
    expect((await askForLink(fourth.request, `p3-${uniqueEmail}`)).state?.message).toMatch(/^We accept at most 3 requests for sign-in/);
  });

  test("nor can it pose as another network with a peer-address header of its own: the count is the connection's, 127.0.0.1", async ({ browser, uniqueEmail }) => {
    const poses: Array<Record<string, string>> = [
      { "x-rightsdesk-peer": "198.51.100.1" },
      { [`x-rightsdesk-peer-${randomBytes(16).toString("hex")}`]: "198.51.100.2" },
      { "X-Rightsdesk-Peer": "198.51.100.3", "x-rightsdesk-peer-": "198.51.100.3" },
      { "x-rightsdesk-peer": "198.51.100.4" },
    ];
    for (const [i, headers] of poses.entries()) {
      const posing = await browser.newContext({ extraHTTPHeaders: headers });
      const answer = await askForLink(posing.request, `h${i}-${uniqueEmail}`);
      if (i < 3) expect(answer.redirect, `request ${i + 1}`).toBe("/signin/check-inbox");
      else expect(answer.state?.message).toMatch(/^We accept at most 3 requests for sign-in/);
    }
    // Counted against the address the portal's server saw the connection come from, not "unknown".
    const { env } = readServerState();
    const keyOf = (value: string) => createHmac("sha256", env.AUTH_SECRET ?? "").update(value).digest("base64url").slice(0, 32);
    expect(countRows("rate_limits", "key = ?", `linkRequestsPerIpPerHour:${keyOf("127.0.0.1")}`)).toBe(1);
    expect(countRows("rate_limits", "key like 'linkRequestsPerIpPerHour:%'")).toBe(1);
  });
});
