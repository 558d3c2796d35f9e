/**
 * "Send me a link" answers every address alike, and a link signs in once,
 * for 30 minutes, and is stored only as a hash.
 */
import type { APIRequestContext, Page } from "@playwright/test";
import { builtAction, callAction } from "./support/actions";
import { expect, requestSignInLink, signInAs, test } from "./support/fixtures";
import { countRows, fileAndConfirm, queryDatabase, updateDatabase } from "./support/journeys";
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
    body: withoutNonce(answer.body, answer.headers["content-security-policy"]),
    headers: Object.entries(answer.headers)
      .filter(([name]) => !ignored.has(name))
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

test("a link signs in once; following it again says it was already used and signs nobody in", async ({ page, browser, uniqueEmail }) => {
  const link = await linkFor(page, uniqueEmail);
  await page.goto(link);
  expect(await isSignedIn(page)).toBe(true);

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "next-auth.session-token");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });

  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(link);
  await expect(stranger.getByRole("heading", { level: 1 })).toHaveText("This link was already used");
  expect(new URL(stranger.url()).pathname).toBe("/signin/error");
  expect(await isSignedIn(stranger)).toBe(false);
  expect((await stranger.context().cookies()).some((c) => c.name.includes("session-token"))).toBe(false);
});

test("an expired link cannot sign in and says it expired", async ({ page, uniqueEmail }) => {
  const link = await linkFor(page, uniqueEmail);
  // Thirty minutes on: the link's stored expiry is moved to the past.
  expect(updateDatabase("update verification_tokens set expires = ? where identifier = ?", Date.now() - 1000, uniqueEmail)).toBe(1);
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link has expired");
  expect(await isSignedIn(page)).toBe(false);
  // It stays unusable, however often it is tried.
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link has expired");
});

test("a made-up or altered link cannot sign in and says it is not valid", async ({ page, uniqueEmail }) => {
  const link = new URL(await linkFor(page, uniqueEmail));
  const altered = new URL(link);
  altered.searchParams.set("token", "f".repeat(64));
  await page.goto(altered.toString());
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link is not valid");
  expect(await isSignedIn(page)).toBe(false);

  // The real token for someone else's address does not work either...
  const redirected = new URL(link);
  redirected.searchParams.set("email", `eve-${uniqueEmail}`);
  await page.goto(redirected.toString());
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link is not valid");
  expect(await isSignedIn(page)).toBe(false);
  // ...and is still good for its owner.
  await page.goto(link.toString());
  expect(await isSignedIn(page)).toBe(true);
  // Only the hash of the token was ever stored.
  const token = link.searchParams.get("token") ?? "";
  expect(countRows("verification_tokens", "token = ?", token)).toBe(0);
  expect(countRows("used_sign_in_links", "token = ?", token)).toBe(0);
});

test("staff sign in with the same link flow, and their session cookie is as strict", async ({ page }) => {
  await signInAs(page, "staff@example.org");
  const session = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect(queryDatabase<{ n: number }>("select count(*) as n from staff where email = 'staff@example.org'")[0]?.n).toBe(1);
});
