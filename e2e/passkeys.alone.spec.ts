/**
 * Passkeys, with Chromium's virtual authenticator (the DevTools WebAuthn
 * domain). Browsers refuse an IP address as a passkey's relying party, so
 * these tests restart the one server with APP_URL naming "localhost" (the
 * same server, port and database) and put it back afterwards: they run alone.
 */
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, CDPSession, Page } from "@playwright/test";
import { builtAction, callAction } from "./support/actions";
import { expect, signInAs, test } from "./support/fixtures";
import { countRows, queryDatabase, updateDatabase } from "./support/journeys";
import { waitForMail } from "./support/mail";
import { addStaff, readServerState, removeStaff, restartServer } from "./support/server";

const ipBase = process.env.E2E_BASE_URL ?? "";
const LOCAL = ipBase.replace("127.0.0.1", "localhost");
test.use({ baseURL: LOCAL });
test.describe.configure({ mode: "serial" });

const added: string[] = [];
async function freshStaff(role: "admin" | "reviewer"): Promise<string> {
  const email = `passkey-${role}-${randomBytes(5).toString("hex")}@example.org`;
  await addStaff(email, role);
  added.push(email);
  return email;
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await restartServer({ env: { APP_URL: LOCAL } });
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  // Whatever happened above, the rule goes back to each member's choice, and the server to its own address.
  updateDatabase("delete from sign_in_policy");
  for (const email of added) if (countRows("staff", "email = ?", email) > 0) await removeStaff(email);
  await restartServer({ env: { APP_URL: readServerState().baseUrl } });
});

type Authenticator = { cdp: CDPSession; id: string };

/** Gives the browser context a virtual passkey device that answers at once, as a person touching it would. */
async function addAuthenticator(page: Page): Promise<Authenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, id: authenticatorId };
}

async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: LOCAL });
  return { context, page: await context.newPage() };
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${LOCAL}/`);
}

async function addPasskey(page: Page, name: string): Promise<void> {
  await page.goto("/staff/account");
  await page.getByLabel("Name of the passkey").fill(name);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText(name, { exact: true })).toBeVisible();
}

test("a member adds a passkey; the emailed link alone then no longer opens the dashboard; without the passkey they cannot get in; an admin resets them", async ({ browser, playwright }) => {
  test.setTimeout(180_000);
  const member = await freshStaff("reviewer");
  const admin = await freshStaff("admin");
  const { page } = await newPage(browser);
  const device = await addAuthenticator(page);

  // No passkey yet: the link signs the member straight in.
  await signInAs(page, member, { byLink: true });
  await page.goto("/staff");
  await expect(page.getByRole("heading", { name: "Request queue" })).toBeVisible();

  await addPasskey(page, "Work laptop");
  expect(queryDatabase("select name, counter >= 0 as ok from passkeys p join staff s on s.id = p.staff_id where s.email = ?", member)).toEqual([{ name: "Work laptop", ok: 1 }]);
  expect(queryDatabase("select kind, actor_email from staff_events where subject_email = ? and kind = 'passkey_added'", member)).toEqual([
    { kind: "passkey_added", actor_email: member },
  ]);

  // Signed out and back in by the link: the link stops at the passkey.
  await signOut(page);
  await signInAs(page, member, { byLink: true });
  await expect(page).toHaveURL(/\/signin\/passkey\?next=/);
  await expect(page.getByRole("heading", { name: "Use your passkey" })).toBeVisible();
  const held = await page.request.get("/staff", { maxRedirects: 0 });
  expect(held.status()).toBe(307);
  expect(held.headers().location).toBe("/signin/passkey?next=%2Fstaff");
  const csv = await page.request.get("/staff/reports/requests.csv", { maxRedirects: 0 });
  expect(csv.headers().location).toMatch(/^\/signin\/passkey\?next=/);
  // A server action that changes the record refuses the session too.
  const refused = await callAction(page.request, builtAction("app/staff/requests/[ref]/actions.ts", "noteAction"), { reference: "RD-AAAA-AAAA", note: "x" }, {
    params: { ref: "RD-AAAA-AAAA" },
    baseURL: LOCAL,
  });
  expect(refused.state?.message).toBe("Confirm it is you with your passkey first: open the dashboard and follow the steps.");

  const cookieNow = async () => (await page.context().cookies()).find((c) => c.name === "next-auth.session-token")?.value;
  const waiting = await cookieNow();
  await page.getByRole("button", { name: "Use my passkey" }).click();
  await expect(page.getByRole("heading", { name: "Request queue" })).toBeVisible();
  // The session went on under a new token: the one it had while waiting (planted in a browser, say) opens nothing now.
  expect(await cookieNow()).not.toBe(waiting);
  const stale = await playwright.request.newContext({ baseURL: LOCAL, extraHTTPHeaders: { cookie: `next-auth.session-token=${waiting}` } });
  expect((await stale.get("/staff", { maxRedirects: 0 })).headers().location).toBe("/signin?next=%2Fstaff");
  await stale.dispose();
  expect(queryDatabase<{ used: number | null }>("select last_used_at as used from passkeys p join staff s on s.id = p.staff_id where s.email = ?", member)[0]?.used).not.toBeNull();

  // The device holding the passkey is gone (another one, holding none of theirs, in its place): no way past the passkey step.
  await signOut(page);
  await device.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: device.id });
  await device.cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await signInAs(page, member, { byLink: true });
  await page.getByRole("button", { name: "Use my passkey" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "No passkey was used" })).toBeVisible();
  expect((await page.request.get("/staff", { maxRedirects: 0 })).headers().location).toBe("/signin/passkey?next=%2Fstaff");

  // Another admin resets them: on the record, their sessions end, and they are emailed.
  const { page: lead } = await newPage(browser);
  await signInAs(lead, admin, { byLink: true });
  await lead.goto("/staff/team");
  const since = Date.now();
  await lead.getByRole("button", { name: `Reset passkeys of ${member}` }).click();
  await expect(lead.getByText(`Removed 1 passkey of ${member} and ended their sessions. They have been emailed.`)).toBeVisible();
  expect(countRows("passkeys p join staff s on s.id = p.staff_id", "s.email = ?", member)).toBe(0);
  expect(queryDatabase("select actor_email, note from staff_events where subject_email = ? and kind = 'passkeys_reset'", member)).toEqual([
    { actor_email: admin, note: "1 passkey removed; every session ended; the member was emailed." },
  ]);
  const notice = await waitForMail({ to: member, subject: /^The passkeys of your staff account at Harbour Trust were removed$/, since });
  expect(notice.text).toContain(`${admin} removed every passkey of your staff account`);
  expect(countRows("sessions s join users u on u.id = s.userId", "u.email = ?", member)).toBe(0);

  // With no passkey left (and none required), the link alone signs them in again.
  await signInAs(page, member, { byLink: true });
  await page.goto("/staff");
  await expect(page.getByRole("heading", { name: "Request queue" })).toBeVisible();
});

test("an admin requires passkeys of everyone: first their own, then a member without one must add one before the dashboard", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await freshStaff("admin");
  const member = await freshStaff("reviewer");
  const { page: lead } = await newPage(browser);
  await addAuthenticator(lead);
  await signInAs(lead, admin, { byLink: true });

  // Requiring passkeys without one of one's own would lock the admin out: refused.
  await lead.goto("/staff/settings");
  await lead.getByRole("radio", { name: /^Every member/ }).check();
  await lead.getByRole("button", { name: "Save passkey rule" }).click();
  await expect(lead.getByText("Add a passkey to your own account first")).toBeVisible();
  expect(countRows("sign_in_policy")).toBe(0);

  await addPasskey(lead, "Admin's key");
  await lead.goto("/staff/settings");
  await lead.getByRole("radio", { name: /^Every member/ }).check();
  await lead.getByRole("button", { name: "Save passkey rule" }).click();
  await expect(lead.getByText("Passkeys are now required of every staff member.")).toBeVisible();

  // Someone signed in as a supporter and then put on the staff list waits for a passkey as a new sign-in would.
  const joiner = `passkey-joiner-${randomBytes(5).toString("hex")}@example.org`;
  const { page: joining } = await newPage(browser);
  await signInAs(joining, joiner, { byLink: true });
  await addStaff(joiner, "reviewer");
  added.push(joiner);
  expect((await joining.request.get("/staff", { maxRedirects: 0 })).headers().location).toBe("/signin/passkey?next=%2Fstaff");

  // The member has none: after the link they must add one, and only then reach the queue.
  const { page } = await newPage(browser);
  await addAuthenticator(page);
  await signInAs(page, member, { byLink: true });
  await expect(page.getByRole("heading", { name: "Add a passkey to go on" })).toBeVisible();
  expect((await page.request.get("/staff", { maxRedirects: 0 })).headers().location).toBe("/signin/passkey?next=%2Fstaff");
  // Signed in on a second device too, also told to add one.
  const { page: elsewhere } = await newPage(browser);
  await signInAs(elsewhere, member, { byLink: true });
  await expect(elsewhere.getByRole("heading", { name: "Add a passkey to go on" })).toBeVisible();
  await page.getByLabel("Name of the passkey").fill("Phone");
  await page.getByRole("button", { name: "Add a passkey and go on" }).click();
  await expect(page.getByRole("heading", { name: "Request queue" })).toBeVisible();
  // Now they have one: the second device must use it, not add another of its own to get past it.
  await elsewhere.reload();
  await expect(elsewhere.getByRole("heading", { name: "Use your passkey" })).toBeVisible();
  expect((await elsewhere.request.post("/signin/passkey/register", { data: { step: "options" }, headers: { origin: LOCAL } })).status()).toBe(403);

  // Their last passkey cannot be removed while the rule stands.
  await page.goto("/staff/account");
  await page.getByRole("button", { name: "Remove the passkey Phone" }).click();
  await expect(page.getByText("Your organisation requires a passkey: add another before removing your last one.")).toBeVisible();

  await lead.goto("/staff/settings");
  await lead.getByRole("radio", { name: /^Each member chooses/ }).check();
  await lead.getByRole("button", { name: "Save passkey rule" }).click();
  await expect(lead.getByText("Passkeys are now each member's choice.")).toBeVisible();
});
