import { randomBytes } from "node:crypto";
import { seriousViolations } from "./support/axe";
import type { Page } from "@playwright/test";
import { expect, signedInPage, signInAs, test } from "./support/fixtures";
import { countRows, queryDatabase } from "./support/journeys";
import { addStaff, removeStaff } from "./support/server";

// Every test works with staff it adds itself: the seeded admin and reviewer
// are shared by the other workers, and signing one address in from two tests
// at once could mix up their sign-in links.
const added: string[] = [];

function freshAddress(kind: string): string {
  return `${kind}-${randomBytes(5).toString("hex")}@example.org`;
}

async function freshStaff(role: "admin" | "reviewer"): Promise<string> {
  const email = freshAddress(`team-${role}`);
  await addStaff(email, role);
  added.push(email);
  return email;
}

test.afterAll(async () => {
  for (const email of added) {
    if (countRows("staff", "email = ?", email) > 0) await removeStaff(email);
  }
});

function roleOf(email: string): string | null {
  return queryDatabase<{ role: string }>("select role from staff where email = ?", email)[0]?.role ?? null;
}


test("an admin adds a reviewer, changes their role and removes them; the removal ends their session at once", async ({ page, browser }) => {
  const admin = await freshStaff("admin");
  const newcomer = freshAddress("team-newcomer");
  added.push(newcomer);
  await signInAs(page, admin);
  await page.goto("/staff");
  await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Team" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();

  await page.getByLabel("Email address").fill(newcomer.toUpperCase());
  await page.getByRole("radio", { name: /Reviewer/ }).check();
  await page.getByRole("button", { name: "Add staff member" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Added ${newcomer} as reviewer.` })).toBeVisible();
  const row = page.getByRole("region", { name: "Staff members" }).getByRole("row").filter({ hasText: newcomer });
  await expect(row).toContainText("Reviewer");
  await expect(page.getByLabel("Email address")).toHaveValue("");
  expect(roleOf(newcomer)).toBe("reviewer");

  // Adding someone already listed changes nothing: the form says so, and a role changes only by the row's buttons.
  const recordBefore = countRows("staff_events", "subject_email = ?", newcomer);
  await page.getByLabel("Email address").fill(newcomer);
  await page.getByRole("radio", { name: /Admin/ }).check();
  await page.getByRole("button", { name: "Add staff member" }).click();
  await expect(page.locator(".error-summary")).toContainText(`${newcomer} is already on the staff list, as reviewer, so nothing was changed.`);
  await expect(page.getByLabel("Email address")).toHaveValue(newcomer);
  expect(roleOf(newcomer)).toBe("reviewer");
  expect(countRows("staff_events", "subject_email = ?", newcomer)).toBe(recordBefore);
  await page.getByLabel("Email address").fill("");

  // The newcomer signs in and works the queue, but the team page is not theirs.
  const them = await signedInPage(browser, newcomer);
  await them.goto("/staff");
  await expect(them.getByRole("heading", { name: "Request queue" })).toBeVisible();
  await expect(them.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Team" })).toHaveCount(0);
  expect((await them.request.get("/staff/team")).status()).toBe(404);

  await row.getByRole("button", { name: `Make admin ${newcomer}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${newcomer} is now admin (was reviewer).` })).toBeVisible();
  await expect(row).toContainText("Admin");
  expect(roleOf(newcomer)).toBe("admin");
  // The change counts on their very next request.
  expect((await them.request.get("/staff/team")).status()).toBe(200);

  await row.getByRole("button", { name: `Make reviewer ${newcomer}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${newcomer} is now reviewer (was admin).` })).toBeVisible();
  expect(roleOf(newcomer)).toBe("reviewer");
  expect((await them.request.get("/staff/team")).status()).toBe(404);

  await row.getByRole("button", { name: `Remove ${newcomer}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `Removed ${newcomer}; any session they had has ended.` })).toBeVisible();
  await expect(page.getByRole("region", { name: "Staff members" }).getByRole("row").filter({ hasText: newcomer })).toHaveCount(0);
  expect(roleOf(newcomer)).toBeNull();
  expect(countRows("sessions s join users u on u.id = s.userId", "u.email = ?", newcomer)).toBe(0);

  // The staff record reads as sentences, as text too: who did it, then the note as a sentence of its own.
  await page.reload();
  const entry = page.locator("ol.history li").filter({ hasText: newcomer }).filter({ hasText: "From admin to reviewer." });
  expect((await entry.textContent())?.replace(/\s+/g, " ").trim()).toMatch(new RegExp(`, ${newcomer.replace(/[.+]/g, "\\$&")}, by ${admin.replace(/[.+]/g, "\\$&")}\\. From admin to reviewer\\.$`));

  const refused = await them.request.get("/staff", { maxRedirects: 0 });
  expect(refused.status()).not.toBe(200);
  expect(await refused.text()).not.toContain("Request queue");
  await them.context().close();
});

test("the add form says what to fix and adds nothing", async ({ page }) => {
  const admin = await freshStaff("admin");
  await signInAs(page, admin);
  await page.goto("/staff/team");
  const before = countRows("staff");

  for (const [typed, message] of [
    ["", "Enter the staff member's email address."],
    ["not-an-address", "The staff member's email address must be a valid address, like name@example.org."],
  ] as const) {
    await page.getByLabel("Email address").fill(typed);
    await page.getByRole("button", { name: "Add staff member" }).click();
    await expect(page.locator(".error-summary")).toContainText("There is a problem");
    await expect(page.locator(".error-summary")).toBeFocused();
    const field = page.getByLabel("Email address");
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#field-email-error")).toHaveText(`Error: ${message}`);
    await expect(field).toHaveValue(typed);
  }
  expect(countRows("staff")).toBe(before);
  expect(await seriousViolations(page), "team page with errors").toEqual([]);
});

test("an admin who removes themselves is signed out, while another admin remains", async ({ page }) => {
  const admin = await freshStaff("admin");
  await signInAs(page, admin);
  await page.goto("/staff/team");
  expect(await seriousViolations(page), "/staff/team").toEqual([]);
  const own = page.getByRole("region", { name: "Staff members" }).getByRole("row").filter({ hasText: admin });
  await expect(own).toContainText("(you)");

  await own.getByRole("button", { name: `Remove ${admin}` }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  expect(roleOf(admin)).toBeNull();
  expect(countRows("sessions s join users u on u.id = s.userId", "u.email = ?", admin)).toBe(0);
  const response = await page.request.get("/staff/team", { maxRedirects: 0 });
  expect(response.status()).toBe(307);
});

test.describe("a reviewer cannot manage the team", () => {
  test("the team page is not found", async ({ page }) => {
    const reviewer = await freshStaff("reviewer");
    await signInAs(page, reviewer);
    const response = await page.request.get("/staff/team", { maxRedirects: 0 });
    expect(response.status()).toBe(404);
    expect(await response.text()).not.toContain("Add staff member");
    await page.goto("/staff/team");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });

  test("a forged POST of a team action is refused and changes nothing", async ({ page, browser }) => {
    const admin = await freshStaff("admin");
    const reviewer = await freshStaff("reviewer");
    const viaForm = { admin: freshAddress("team-control-form"), reviewer: freshAddress("team-forged-form") };
    const viaFetch = { admin: freshAddress("team-control-fetch"), reviewer: freshAddress("team-forged-fetch") };
    added.push(...Object.values(viaForm), ...Object.values(viaFetch));

    // The admin's page holds what a forger needs: the add form's hidden action
    // fields (how a browser without JavaScript posts it), and the request the
    // page's script sends, captured on its way out and stopped.
    const owner = await signedInPage(browser, admin);
    await owner.goto("/staff/team");
    const addForm = owner.locator("form", { has: owner.getByRole("button", { name: "Add staff member" }) });
    const hidden = await addForm
      .locator('input[type="hidden"]')
      .evaluateAll((inputs) => inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value] as [string, string]));
    expect(hidden.some(([name]) => name.startsWith("$ACTION"))).toBe(true);
    const roleForm = owner.getByRole("region", { name: "Staff members" }).getByRole("row").filter({ hasText: reviewer }).locator("form", { has: owner.getByRole("button", { name: /^Make admin/ }) });
    const promoteHidden = await roleForm
      .locator('input[type="hidden"]')
      .evaluateAll((inputs) => inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value] as [string, string]));
    expect(promoteHidden).toContainEqual(["role", "admin"]);

    let captured: { headers: Record<string, string>; body: string } | null = null;
    await owner.route("**/staff/team", async (route) => {
      const request = route.request();
      if (request.method() !== "POST") return route.continue();
      captured = { headers: request.headers(), body: request.postData() ?? "" };
      return route.abort();
    });
    await owner.getByLabel("Email address").fill(viaFetch.admin);
    await owner.getByRole("button", { name: "Add staff member" }).click();
    await expect.poll(() => captured).not.toBeNull();
    await owner.unroute("**/staff/team");
    const fetchCall = captured as unknown as { headers: Record<string, string>; body: string };
    expect(fetchCall.headers["next-action"]).toMatch(/^[0-9a-f]{20,}$/);
    expect(countRows("staff", "email = ?", viaFetch.admin)).toBe(0);

    /** Posts a form as a browser without JavaScript would: a form built in the page, submitted with its button. */
    async function postPlainForm(from: Page, fields: Array<[string, string]>): Promise<number> {
      await from.evaluate((pairs) => {
        const form = document.createElement("form");
        form.method = "POST";
        form.action = "/staff/team";
        form.enctype = "multipart/form-data";
        for (const [name, value] of pairs) {
          const input = document.createElement("input");
          input.type = "hidden";
          input.name = name;
          input.value = value;
          form.append(input);
        }
        const submit = document.createElement("button");
        submit.type = "submit";
        submit.id = "forged-submit";
        submit.textContent = "Send";
        form.append(submit);
        document.body.append(form);
      }, fields);
      const response = from.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/staff/team");
      // The submit navigates the page to the answer; the next call must not
      // append its form to the document that navigation is about to replace.
      const navigated = from.waitForEvent("framenavigated", (frame) => frame === from.mainFrame());
      await from.locator("#forged-submit").click();
      const status = (await response).status();
      await navigated;
      await from.waitForLoadState("load");
      return status;
    }

    /** Replays the captured script request, for another address, from `from`'s session. */
    async function postAsScript(from: Page, email: string): Promise<string> {
      const response = await from.request.post("/staff/team", {
        headers: {
          "next-action": fetchCall.headers["next-action"] ?? "",
          "content-type": fetchCall.headers["content-type"] ?? "",
          accept: "text/x-component",
          origin: new URL(from.url()).origin,
        },
        data: Buffer.from(fetchCall.body.replace(viaFetch.admin, email)),
      });
      return response.text();
    }

    // First, the same two requests from the admin's session do add someone,
    // so a refusal below is the role check at work, not a malformed request.
    await postPlainForm(owner, [...hidden, ["email", viaForm.admin], ["role", "admin"]]);
    await expect.poll(() => roleOf(viaForm.admin)).toBe("admin");
    expect(await postAsScript(owner, viaFetch.admin)).toContain(`Added ${viaFetch.admin} as reviewer.`);
    expect(roleOf(viaFetch.admin)).toBe("reviewer");

    // Now from the reviewer's own signed-in page.
    await signInAs(page, reviewer);
    await page.goto("/staff");
    await expect(page.getByRole("heading", { name: "Request queue" })).toBeVisible();

    // The page answers 404 to a reviewer either way, so what proves the refusal is the database.
    expect(await postPlainForm(page, [...hidden, ["email", viaForm.reviewer], ["role", "admin"]])).toBe(404);
    expect(roleOf(viaForm.reviewer)).toBeNull();

    expect(await postAsScript(page, viaFetch.reviewer)).toContain("You are not allowed to do this.");
    expect(roleOf(viaFetch.reviewer)).toBeNull();

    // The "make admin" form from the reviewer's own row, posted by the reviewer: self-promotion.
    expect(await postPlainForm(page, promoteHidden)).toBe(404);
    expect(roleOf(reviewer)).toBe("reviewer");
    await owner.context().close();
  });
});
