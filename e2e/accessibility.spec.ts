import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./support/fixtures";
import { fileAndConfirm } from "./support/journeys";

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
}

test("public pages have no serious or critical accessibility violations", async ({ page }) => {
  test.slow(); // many pages in one test
  for (const path of ["/", "/new", "/new?type=correction", "/new?type=erasure", "/new?type=concern", "/signin", "/signin/check-inbox", "/signin/error?error=Verification"]) {
    await page.goto(path);
    expect(await seriousViolations(page), path).toEqual([]);
  }
  // The form with its error messages showing.
  await page.goto("/new?type=concern");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator(".error-summary")).toBeVisible();
  expect(await seriousViolations(page), "form with errors").toEqual([]);
});

test("supporter and staff pages have no serious or critical accessibility violations", async ({ page, uniqueEmail }) => {
  test.slow(); // many pages in one test
  const { reference } = await fileAndConfirm(page, { type: "correction", email: uniqueEmail });
  for (const path of ["/requests", `/requests/${reference}`]) {
    await page.goto(path);
    expect(await seriousViolations(page), path).toEqual([]);
  }
  await page.context().clearCookies();
  await signInAs(page, "staff@example.org");
  for (const path of ["/staff", `/staff/requests/${reference}`]) {
    await page.goto(path);
    expect(await seriousViolations(page), path).toEqual([]);
  }
});

test("the admin's import and settings pages, and an import report, have no serious or critical accessibility violations", async ({ page }) => {
  await signInAs(page, "admin@example.org");
  for (const path of ["/staff/import", "/staff/settings"]) {
    await page.goto(path);
    expect(await seriousViolations(page), path).toEqual([]);
  }
  await page.goto("/staff/import");
  await page.getByLabel("CSV file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("kind,external_id\nrobot,X-1\n") });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  // The import runs in the background; the page shows its report when it ends.
  await expect(page.getByRole("region", { name: "Nothing was imported" })).toBeVisible({ timeout: 30_000 });
  // The action's answer refreshes the page's tree, head included: check once the title is back.
  await expect(page).toHaveTitle(/\S/);
  expect(await seriousViolations(page), "import report").toEqual([]);
});
