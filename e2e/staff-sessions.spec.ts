/**
 * Staff sessions: each member sees where they are signed in (device, last
 * seen) and ends any; an admin ends anyone's, on the record; a staff session
 * left unused for STAFF_IDLE_MINUTES has ended.
 */
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { expect, signInAs, test } from "./support/fixtures";
import { countRows, queryDatabase, updateDatabase } from "./support/journeys";
import { addStaff, removeStaff, type StaffRole } from "./support/server";

const added: string[] = [];

async function freshStaff(role: StaffRole): Promise<string> {
  const email = `sessions-${role}-${randomBytes(5).toString("hex")}@example.org`;
  await addStaff(email, role);
  added.push(email);
  return email;
}

test.afterAll(async () => {
  for (const email of added) if (countRows("staff", "email = ?", email) > 0) await removeStaff(email);
});

/** A page in a browser of its own, claiming to be the given browser, signed in as `email`. */
async function signedInOn(browser: Browser, email: string, userAgent: string): Promise<Page> {
  const page = await (await browser.newContext({ userAgent })).newPage();
  await signInAs(page, email, { byLink: true });
  return page;
}

const LAPTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

test("a staff member sees their sessions by device and ends the one they do not use", async ({ browser }) => {
  const auditor = await freshStaff("auditor");
  const laptop = await signedInOn(browser, auditor, LAPTOP);
  const phone = await signedInOn(browser, auditor, PHONE);

  await laptop.goto("/staff");
  await laptop.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Your account" }).click();
  await expect(laptop.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  const rows = laptop.getByRole("table").getByRole("row");
  await expect(rows.filter({ hasText: "Firefox 133 on Linux" })).toContainText("(this device)");
  await expect(rows.filter({ hasText: "Safari 17 on iOS (iPhone)" })).toBeVisible();

  await rows.filter({ hasText: "Safari 17 on iOS (iPhone)" }).getByRole("button", { name: /^End/ }).click();
  await expect(laptop.getByText("The session on Safari 17 on iOS (iPhone) has ended.")).toBeVisible();

  // The phone is signed out at once: the dashboard sends it to sign in.
  const answer = await phone.request.get("/staff", { maxRedirects: 0 });
  expect(answer.status()).toBe(307);
  expect(answer.headers().location).toMatch(/^\/signin\?next=/);
  // The laptop carries on.
  expect((await laptop.request.get("/staff", { maxRedirects: 0 })).status()).toBe(200);

  // Signing out here ends this one too.
  await laptop.goto("/staff/account");
  await laptop.getByRole("button", { name: "Sign out here" }).click();
  await expect(laptop).toHaveURL(/\/signin$/);
  expect(countRows("sessions s join users u on u.id = s.userId", "u.email = ?", auditor)).toBe(0);
});

test("an admin ends a reviewer's session from the team page, and the record says so", async ({ browser }) => {
  const admin = await freshStaff("admin");
  const reviewer = await freshStaff("reviewer");
  const them = await signedInOn(browser, reviewer, PHONE);
  const lead = await signedInOn(browser, admin, LAPTOP);

  await lead.goto("/staff/team");
  const row = lead.getByRole("row").filter({ hasText: reviewer }).filter({ hasText: "Safari 17 on iOS (iPhone)" });
  await row.getByRole("button", { name: `End ${reviewer}'s session on Safari 17 on iOS (iPhone)` }).click();
  await expect(lead.getByText(`${reviewer}'s session on Safari 17 on iOS (iPhone) has ended.`)).toBeVisible();

  expect((await them.request.get("/staff", { maxRedirects: 0 })).status()).toBe(307);
  expect(queryDatabase("select actor_email, kind, note from staff_events where subject_email = ? and kind = 'session_ended'", reviewer)).toEqual([
    { actor_email: admin, kind: "session_ended", note: "The session on Safari 17 on iOS (iPhone)." },
  ]);
  await lead.reload();
  await expect(lead.locator("ol.history li").filter({ hasText: reviewer }).first()).toContainText(`Session ended by an admin, ${reviewer}, by ${admin}`);
});

test("a staff session left unused past STAFF_IDLE_MINUTES has ended; a supporter's has not", async ({ browser, uniqueEmail }) => {
  const reviewer = await freshStaff("reviewer");
  const page = await signedInOn(browser, reviewer, LAPTOP);
  expect((await page.request.get("/staff", { maxRedirects: 0 })).status()).toBe(200);
  // As if the last page was opened 31 minutes ago (the default idle time is 30).
  const idleSince = Date.now() - 31 * 60_000;
  updateDatabase("update sessions set last_seen_at = ? where userId = (select id from users where email = ?)", idleSince, reviewer);
  const answer = await page.request.get("/staff", { maxRedirects: 0 });
  expect(answer.status()).toBe(307);
  expect(answer.headers().location).toMatch(/^\/signin\?next=/);

  // A supporter signed in as long ago is still signed in: the idle time is for staff.
  const supporter = await signedInOn(browser, uniqueEmail, PHONE);
  updateDatabase("update sessions set last_seen_at = ? where userId = (select id from users where email = ?)", idleSince, uniqueEmail);
  expect((await supporter.request.get("/requests", { maxRedirects: 0 })).status()).toBe(200);
});
