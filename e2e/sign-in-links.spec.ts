/**
 * "Send me a link" answers every address alike, and a link signs in once,
 * for 30 minutes, and is stored only as a hash. Opening a link (as a mail
 * scanner does, before the person) changes nothing: only the button on the
 * page it opens does.
 */
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { storedSessionToken } from "../lib/auth/sessions";
import { builtAction, callAction } from "./support/actions";
import { expect, requestSignInLink, signedInPage, signInAs, test } from "./support/fixtures";
import { countRows, fileAndConfirm, followLink, queryDatabase, REFERENCE, submitRequestForm, updateDatabase } from "./support/journeys";
import { signInLink, waitForMail } from "./support/mail";

/** Each response carries its own nonce (in the policy header and the page), which is put aside here. */
function withoutNonce(body: string, policy: string | undefined): string {
  const nonce = /'nonce-([^']+)'/.exec(policy ?? "")?.[1];
  if (!nonce) throw new Error(`No nonce in the policy ${policy}`);
  return body.split(nonce).join("NONCE");
}

async function askForLink(request: APIRequestContext, email: string) {
  const answer = await callAction(request, builtAction("app/(public)/signin/actions.ts", "requestSignInLink"), { email, next: "/requests" });
  const ignored = new Set(["date", "content-security-policy"]);
  return {
    status: answer.status,
    // "Check your inbox" repeats the address typed (the page it leads to, and the cookie it reads it from):
    // only the address itself may differ there, and nothing else about it.
    body: withoutNonce(answer.body, answer.headers["content-security-policy"]).replaceAll(email, "ADDRESS"),
    headers: Object.entries(answer.headers)
      .filter(([name]) => !ignored.has(name))
      // A cookie's Expires is the clock's, like the Date header: answers a second apart differ there and nowhere else.
      .map(([name, value]): [string, string] => [
        name,
        name === "set-cookie" ? value.replaceAll(encodeURIComponent(email), "ADDRESS").replace(/Expires=[^;]*/g, "Expires=WHEN") : value,
      ])
      .sort(),
  };
}

const words = (body: string) => body.split(/([^A-Za-z0-9_-]+)/);

test("known, unknown and staff addresses get byte-identical answers to a sign-in request", async ({ page, request, uniqueEmail }) => {
  await fileAndConfirm(page, { type: "access", email: uniqueEmail });
  const since = Date.now();
  const known = await askForLink(request, uniqueEmail);
  const unknown = await askForLink(request, `nobody-${uniqueEmail}`);
  const staff = await askForLink(request, "admin@example.org");
  // A second answer to the same address shows what varies from one response to the next anyway.
  const again = await askForLink(request, uniqueEmail);

  expect(known.status).toBe(200);
  expect(known.headers).toContainEqual(["x-action-redirect", "/signin/check-inbox;push"]);
  for (const other of [unknown, staff]) {
    expect(other.status).toBe(known.status);
    expect(other.headers).toEqual(known.headers);
    expect(other.body.length).toBe(known.body.length);
    // Byte for byte the same, but for values that are random in every response (Next's render key):
    // wherever the two differ, two answers to the very same address differ too.
    const [a, b, control] = [words(known.body), words(other.body), words(again.body)];
    expect(b.length).toBe(a.length);
    const differing = a.flatMap((word, i) => (word === b[i] ? [] : [{ word, other: b[i], control: control[i] }]));
    for (const d of differing) expect(d.control, `"${d.word}" vs "${d.other}"`).not.toBe(d.word);
    expect(differing.length).toBeLessThanOrEqual(4);
  }
  for (const answer of [known, unknown, staff]) {
    expect(answer.body).not.toContain("example.org");
  }
  // Each of them was sent a link all the same.
  for (const to of [uniqueEmail, `nobody-${uniqueEmail}`]) await waitForMail({ to, subject: /^Your sign-in link/, since });
});

async function linkFor(page: Page, email: string): Promise<string> {
  const since = await requestSignInLink(page, email);
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  return signInLink(await waitForMail({ to: email, subject: /^Your sign-in link/, since }));
}

async function isSignedIn(page: Page): Promise<boolean> {
  return (await page.request.get("/requests", { maxRedirects: 0 })).status() === 200;
}

/** Everything a link can change for `email`: its request, its draft, its token, its sign-in. */
function linkState(email: string) {
  return {
    requests: countRows("requests", "subject_email = ?", email),
    confirmedDrafts: countRows("request_drafts", "email = ? and request_id is not null", email),
    unusedTokens: countRows("verification_tokens", "identifier = ?", email),
    sessions: countRows("sessions s join users u on u.id = s.userId", "u.email = ?", email),
    users: countRows("users", "email = ?", email),
  };
}

/**
 * What mail scanners (Safe Links, Mimecast, Proofpoint, gateways) do with a
 * link before the person sees it: fetch it, with and without following its
 * redirects, ask for its headers, and open it in a browser that runs its
 * scripts, with no cookies of the person's.
 */
async function scan(browser: Browser, request: APIRequestContext, link: string, firstAnswer = 200): Promise<void> {
  for (let i = 0; i < 3; i++) {
    expect((await request.get(link)).status()).toBe(200);
    expect((await request.get(link, { maxRedirects: 0 })).status()).toBe(firstAnswer);
    expect((await request.head(link)).status()).toBe(200);
  }
  const scanner = await browser.newContext();
  const page = await scanner.newPage();
  await page.goto(link);
  await page.waitForLoadState("networkidle");
  await scanner.close();
}

test("a mail scanner opening a confirmation link changes nothing; the person's own click then files exactly one request", async ({
  page,
  browser,
  request,
  uniqueEmail,
}) => {
  const since = Date.now();
  await submitRequestForm(page, { type: "concern", email: uniqueEmail, message: "Why the letters?" });
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const link = signInLink(await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since }));
  const before = linkState(uniqueEmail);
  expect(before).toEqual({ requests: 0, confirmedDrafts: 0, unusedTokens: 1, sessions: 0, users: 0 });

  await scan(browser, request, link);
  expect(linkState(uniqueEmail)).toEqual(before);

  // The person, later, on their own device: the link still works, once.
  await page.context().clearCookies();
  await followLink(page, link);
  await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
  const reference = REFERENCE.exec(page.url())?.[0] ?? "";
  expect(linkState(uniqueEmail)).toEqual({ requests: 1, confirmedDrafts: 1, unusedTokens: 0, sessions: 1, users: 1 });
  await waitForMail({ to: uniqueEmail, subject: new RegExp(`received your request ${reference}`), since });

  // Scanning it again, or pressing the button a second time elsewhere, files nothing more.
  await scan(browser, request, link);
  const stranger = await (await browser.newContext()).newPage();
  await followLink(stranger, link);
  await expect(stranger.getByRole("heading", { level: 1 })).toHaveText("This link was already used");
  expect(linkState(uniqueEmail)).toEqual({ requests: 1, confirmedDrafts: 1, unusedTokens: 0, sessions: 1, users: 1 });
  expect(await isSignedIn(stranger)).toBe(false);
});

test("a mail scanner opening a sign-in link changes nothing; the person's own click then signs them in", async ({ page, browser, request, uniqueEmail }) => {
  const link = await linkFor(page, uniqueEmail);
  const before = linkState(uniqueEmail);
  expect(before).toEqual({ requests: 0, confirmedDrafts: 0, unusedTokens: 1, sessions: 0, users: 0 });
  await scan(browser, request, link);
  expect(linkState(uniqueEmail)).toEqual(before);

  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in to Harbour Trust");
  await expect(page.locator("main")).toContainText(`Press the button to sign in as ${uniqueEmail}`);
  expect(await isSignedIn(page)).toBe(false);
  await page.getByRole("button", { name: "Sign me in" }).click();
  await expect(page).toHaveURL(/\/requests$/);
  expect(await isSignedIn(page)).toBe(true);
  expect(linkState(uniqueEmail)).toEqual({ requests: 0, confirmedDrafts: 0, unusedTokens: 0, sessions: 1, users: 1 });
});

test("a link signs in once; following it again says it was already used and signs nobody in", async ({ page, browser, uniqueEmail }) => {
  const link = await linkFor(page, uniqueEmail);
  await followLink(page, link);
  expect(await isSignedIn(page)).toBe(true);

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "next-auth.session-token");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false, path: "/" });
  // It lasts the session's twelve hours, as next-auth's own did (give or take a minute of clocks and rounding).
  const hoursLeft = ((session?.expires ?? 0) * 1000 - Date.now()) / 3_600_000;
  expect(Math.abs(hoursLeft - 12)).toBeLessThan(1 / 60);
  // next-auth reads the session the button started.
  expect(((await (await page.request.get("/api/auth/session")).json()) as { user?: { email?: string } }).user?.email).toBe(uniqueEmail);

  const stranger = await (await browser.newContext()).newPage();
  await followLink(stranger, link);
  await expect(stranger.getByRole("heading", { level: 1 })).toHaveText("This link was already used");
  expect(new URL(stranger.url()).pathname).toBe("/signin/error");
  expect(await isSignedIn(stranger)).toBe(false);
  expect((await stranger.context().cookies()).some((c) => c.name.includes("session-token"))).toBe(false);
});

test("what the database holds for a session is no cookie: a copy of it signs nobody in", async ({ page, browser, baseURL, uniqueEmail }) => {
  await followLink(page, await linkFor(page, uniqueEmail));
  const [stored] = queryDatabase<{ value: string }>("select s.sessionToken as value from sessions s join users u on u.id = s.userId where u.email = ?", uniqueEmail);
  const cookie = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token")?.value;
  expect(stored?.value).toBe(storedSessionToken(cookie ?? ""));

  const thief = await browser.newContext();
  await thief.addCookies([{ name: "next-auth.session-token", value: stored?.value ?? "", url: baseURL ?? "" }]);
  const stolen = await thief.newPage();
  expect(await isSignedIn(stolen)).toBe(false);
  // next-auth's own reading of it finds nobody either.
  expect(((await (await stolen.request.get("/api/auth/session")).json()) as { user?: unknown }).user).toBeUndefined();
  await thief.close();
  // The browser that signed in is still signed in.
  expect(await isSignedIn(page)).toBe(true);
});

test("signing in with a link ends the session the browser had before", async ({ page, uniqueEmail }) => {
  await followLink(page, await linkFor(page, uniqueEmail));
  const first = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token")?.value ?? "";
  // The database keeps only the token's hash: the cookie's value is nowhere in it.
  expect(countRows("sessions", "sessionToken = ?", first)).toBe(0);
  expect(countRows("sessions", "sessionToken = ?", storedSessionToken(first))).toBe(1);
  await followLink(page, await linkFor(page, `other-${uniqueEmail}`));
  expect(countRows("sessions", "sessionToken = ?", storedSessionToken(first))).toBe(0);
  expect(((await (await page.request.get("/api/auth/session")).json()) as { user?: { email?: string } }).user?.email).toBe(`other-${uniqueEmail}`);
});

test("an expired link cannot sign in and says it expired", async ({ page, uniqueEmail }) => {
  const link = await linkFor(page, uniqueEmail);
  // Thirty minutes on: the link's stored expiry is moved to the past.
  expect(updateDatabase("update verification_tokens set expires = ? where identifier = ?", Date.now() - 1000, uniqueEmail)).toBe(1);
  await followLink(page, link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link has expired");
  expect(await isSignedIn(page)).toBe(false);
  // It stays unusable, however often it is tried.
  await followLink(page, link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link has expired");
});

test("a made-up or altered link cannot sign in and says it is not valid", async ({ page, uniqueEmail }) => {
  const link = new URL(await linkFor(page, uniqueEmail));
  const altered = new URL(link);
  altered.searchParams.set("token", "f".repeat(64));
  await followLink(page, altered.toString());
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link is not valid");
  expect(await isSignedIn(page)).toBe(false);

  // The real token for someone else's address does not work either...
  const redirected = new URL(link);
  redirected.searchParams.set("email", `eve-${uniqueEmail}`);
  await followLink(page, redirected.toString());
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link is not valid");
  expect(await isSignedIn(page)).toBe(false);
  // ...and is still good for its owner.
  await followLink(page, link.toString());
  expect(await isSignedIn(page)).toBe(true);
  // Only the hash of the token was ever stored.
  const token = link.searchParams.get("token") ?? "";
  expect(countRows("verification_tokens", "token = ?", token)).toBe(0);
  expect(countRows("used_sign_in_links", "token = ?", token)).toBe(0);
});

test("a link that lost part of itself says so, and offers no button", async ({ page, uniqueEmail }) => {
  const link = new URL(await linkFor(page, uniqueEmail));
  for (const missing of ["token", "email"]) {
    const cut = new URL(link);
    cut.searchParams.delete(missing);
    await page.goto(cut.toString());
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link is not complete");
    await expect(page.getByRole("button")).toHaveCount(0);
  }
  expect(linkState(uniqueEmail).unusedTokens).toBe(1);
});

test("links in emails sent before the link page still work, through it, and opening them changes nothing", async ({ page, browser, request, uniqueEmail }) => {
  const base = process.env.E2E_BASE_URL ?? "";
  const since = Date.now();
  await submitRequestForm(page, { type: "access", email: uniqueEmail });
  const link = new URL(signInLink(await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since })));
  // The same link as the emails of the last version wrote it.
  const old = new URL(`${base}/api/auth/callback/email`);
  old.searchParams.set("callbackUrl", `${base}${link.searchParams.get("next")}`);
  old.searchParams.set("token", link.searchParams.get("token") ?? "");
  old.searchParams.set("email", uniqueEmail);

  const answer = await request.get(old.toString(), { maxRedirects: 0 });
  expect(answer.status()).toBe(303);
  expect(new URL(answer.headers().location ?? "").toString()).toBe(link.toString());
  const before = linkState(uniqueEmail);
  await scan(browser, request, old.toString(), 303);
  expect(linkState(uniqueEmail)).toEqual(before);

  await page.context().clearCookies();
  await followLink(page, old.toString());
  await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
  expect(linkState(uniqueEmail).requests).toBe(1);
});

test("a signed-in person confirming a draft by its address sees a button, and only pressing it files the request", async ({ browser, request, uniqueEmail }) => {
  // The draft is made without signing in; its owner then signs in with a sign-in link (not the draft's own).
  const anonymous = await (await browser.newContext()).newPage();
  const since = Date.now();
  await submitRequestForm(anonymous, { type: "erasure", email: uniqueEmail });
  const confirmation = new URL(signInLink(await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since })));
  const confirmPath = confirmation.searchParams.get("next") ?? "";
  expect(confirmPath).toMatch(/^\/requests\/confirm\?draft=[A-Za-z0-9_-]+$/);
  const owner = await signedInPage(browser, uniqueEmail);

  // Opened, fetched, asked for headers, with the person's cookies: nothing.
  for (let i = 0; i < 3; i++) {
    expect((await owner.request.get(confirmPath, { maxRedirects: 0 })).status()).toBe(200);
    expect((await owner.request.head(confirmPath, { maxRedirects: 0 })).status()).toBe(200);
  }
  // Anyone else is sent to sign in, and changes nothing either.
  expect((await request.get(confirmPath, { maxRedirects: 0 })).status()).toBe(307);
  await owner.goto(confirmPath);
  await expect(owner.getByRole("heading", { level: 1 })).toHaveText("Confirm your request");
  await expect(owner.locator("main")).toContainText("You asked us: “Delete my data”");
  expect(linkState(uniqueEmail).requests).toBe(0);

  await owner.getByRole("button", { name: "Confirm my request" }).click();
  await expect(owner).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
  expect(linkState(uniqueEmail).requests).toBe(1);
  // Opening it again says it is done, with the way to it.
  await owner.goto(confirmPath);
  await expect(owner.getByRole("heading", { level: 1 })).toHaveText("Your request is confirmed");
  // Posting the button again (a double click, a replay) files nothing more.
  const again = await owner.request.post("/requests/confirm/submit", {
    form: { draft: new URL(confirmPath, process.env.E2E_BASE_URL).searchParams.get("draft") ?? "" },
    headers: { origin: process.env.E2E_BASE_URL ?? "" },
    maxRedirects: 0,
  });
  expect(again.status()).toBe(303);
  expect(again.headers().location).toMatch(/\/requests\/RD-[^?]+\?notice=confirmed$/);
  expect(linkState(uniqueEmail).requests).toBe(1);
});

test("staff sign in with the same link flow, and their session cookie is as strict", async ({ page }) => {
  await signInAs(page, "staff@example.org", { byLink: true });
  const session = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect(queryDatabase<{ n: number }>("select count(*) as n from staff where email = 'staff@example.org'")[0]?.n).toBe(1);
});
