/**
 * Settings that change how the one shared server behaves for everyone: the
 * two-approval rule for erasures and the settings left at their defaults.
 * They run alone (see playwright.config.ts) and put everything back.
 */
import type { Page } from "@playwright/test";
import { expect, signedInPage, test } from "./support/fixtures";
import { countRows, fileAndConfirm, queryDatabase } from "./support/journeys";
import { seedSupporterRecords } from "./support/records";
import { readServerState, restartServer, serverLog } from "./support/server";

async function setErasureApprovals(admin: Page, which: "One staff member" | "Two different staff members"): Promise<void> {
  await admin.goto("/staff/settings");
  await admin.getByRole("radio", { name: new RegExp(`^${which}`) }).check();
  await admin.getByRole("button", { name: "Save approval rule" }).click();
  await expect(admin.locator("main [role=status]").filter({ hasText: "Saved" })).toBeVisible();
}

test("with two approvals required, the first erases nothing, its giver cannot give the second, and a different staff member's erases; both are on the record", async ({
  page: supporter,
  browser,
  uniqueEmail,
}) => {
  const admin = await signedInPage(browser, "admin@example.org");
  await setErasureApprovals(admin, "Two different staff members");
  try {
    expect(queryDatabase("select erasure_needs_two_approvals as two, updated_by as by from approval_policy")).toEqual([{ two: 1, by: "admin@example.org" }]);
    seedSupporterRecords({ email: uniqueEmail, name: "Twyla Twice" });
    const { reference } = await fileAndConfirm(supporter, { type: "erasure", email: uniqueEmail });

    const reviewer = await signedInPage(browser, "staff@example.org");
    await reviewer.goto(`/staff/requests/${reference}`);
    await reviewer.getByRole("button", { name: "Start review" }).click();
    await expect(reviewer.getByRole("status")).toHaveText("Review started.");
    // The first approval erases nothing, and neither its box nor its error says it does.
    const firstBox = reviewer.getByRole("checkbox", { name: /^I have checked what approval does\. This first approval deletes nothing\. Deleted once a different staff member gives the second: / });
    await expect(firstBox).toBeVisible();
    await expect(firstBox).not.toHaveAccessibleName(/at once/);
    await reviewer.getByRole("button", { name: "Give the first approval" }).click();
    const refusal = reviewer.getByRole("alert").filter({ hasText: "Tick the box" });
    await expect(refusal).toHaveText(/once a different staff member gives the second approval/);
    await expect(refusal).not.toContainText("at once");
    expect(countRows("supporters", "email = ?", uniqueEmail)).toBe(1);
    await firstBox.check();
    await reviewer.getByRole("button", { name: "Give the first approval" }).click();
    await expect(reviewer.getByRole("status")).toHaveText(
      "Your approval is recorded as the first of two. Nothing is erased until a different staff member approves.",
    );
    expect(queryDatabase("select status from requests where reference = ?", reference)).toEqual([{ status: "in_review" }]);
    expect(countRows("supporters", "email = ?", uniqueEmail)).toBe(1);
    // The first approver is told to wait for someone else, and offered no second approval.
    await expect(reviewer.getByText(/^You gave the first approval on .+\. A different staff member must give the second/)).toBeVisible();
    await expect(reviewer.getByRole("button", { name: /approval/ })).toHaveCount(0);

    await admin.goto(`/staff/requests/${reference}`);
    await expect(admin.getByText(/^First approved by staff@example\.org on .+\. Yours is the second approval: it erases at once\.$/)).toBeVisible();
    await admin.getByRole("checkbox", { name: /^I have checked what approval does\. Deleted at once: / }).check();
    await admin.getByRole("button", { name: "Give the second approval and erase" }).click();
    await expect(admin.getByRole("status")).toContainText("Approved and carried out");
    expect(countRows("supporters", "email = ?", uniqueEmail)).toBe(0);
    expect(
      queryDatabase<{ action: string; actor_email: string }>(
        "select e.action, e.actor_email from request_events e join requests r on r.id = e.request_id where r.reference = ? and e.actor_type = 'staff' order by e.id",
        reference,
      ),
    ).toEqual([
      { action: "review_started", actor_email: "staff@example.org" },
      { action: "erasure_first_approval", actor_email: "staff@example.org" },
      { action: "approved", actor_email: "admin@example.org" },
    ]);
    // Staff's timeline shows both approvals; the first is staff-only.
    await expect(admin.locator("ol.history")).toContainText("First of two approvals given");
  } finally {
    await setErasureApprovals(admin, "One staff member");
  }
});

test("settings left at their defaults: one warning at start-up and a banner on the staff queue naming what to set", async ({ browser }) => {
  // Signed in before the restart: with mail written to files, no sign-in link would reach the test's mail server.
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto("/staff");
  await expect(reviewer.getByRole("note")).toHaveCount(0);
  const { SMTP_URL: smtpUrl, ORG_NAME: orgName, ORG_CONTACT_EMAIL: contact } = readServerState().env;
  const logBefore = (await serverLog()).length;
  // Without SMTP_URL (mail to files) the server starts with a warning; with it, it would refuse (scripts/commands.test.ts).
  await restartServer({ env: { SMTP_URL: null, ORG_NAME: null, ORG_CONTACT_EMAIL: null } });
  try {
    const log = (await serverLog()).slice(logBefore);
    expect(log.match(/^Warning: .*$/gm)).toEqual([
      'Warning: ORG_NAME is still the default, so pages and emails say "Our organisation". Set it before real use (see "Settings" in the README).',
    ]);
    await reviewer.goto("/staff");
    await expect(reviewer.getByRole("note")).toHaveText(
      'Default settings in use. Set ORG_NAME before real use: until then pages and emails say "Our organisation". They are environment variables of the server (see "Settings" in the README); restart it after setting them.',
    );
  } finally {
    await restartServer({ env: { SMTP_URL: smtpUrl ?? null, ORG_NAME: orgName ?? null, ORG_CONTACT_EMAIL: contact ?? null } });
  }
});
