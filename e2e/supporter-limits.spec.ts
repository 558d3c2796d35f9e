/**
 * Per-supporter limits (the suite runs under gdpr with the default
 * per-supporter limits): one open request of each type; a repeat access
 * request within three months flagged to staff; staff override with a
 * reason on the record.
 */
import { expect, signedInPage, test } from "./support/fixtures";
import { countRows, fileAndConfirm, followLink, longDate, oneMonthFromTodayUtc, queryDatabase, submitRequestForm } from "./support/journeys";
import { mailsTo, signInLink, waitForMail } from "./support/mail";

function actionsOf(reference: string): string[] {
  return queryDatabase<{ action: string }>(
    "select e.action from request_events e join requests r on r.id = e.request_id where r.reference = ? order by e.id",
    reference,
  ).map((e) => e.action);
}

test("a signed-in supporter with an open access request is told plainly why a second is refused, and nothing is stored", async ({ page, uniqueEmail }) => {
  const { reference } = await fileAndConfirm(page, { type: "access", email: uniqueEmail });
  await submitRequestForm(page, { type: "access" });
  await expect(page.locator(".error-summary")).toHaveText(
    `You already have a request to see your data that we are working on (${reference}). We take one at a time, so you can make another once we have answered it, which will be by ${longDate(oneMonthFromTodayUtc())}.`,
  );
  expect(countRows("requests", "subject_email = ?", uniqueEmail)).toBe(1);
  // Another type is fine.
  await submitRequestForm(page, { type: "unsubscribe" });
  await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=filed/);
});

test("without signing in, the same refusal goes to the mailbox, and the screen says what it says to anyone", async ({ page, browser, uniqueEmail }) => {
  const { reference } = await fileAndConfirm(page, { type: "access", email: uniqueEmail });
  const stranger = await (await browser.newContext()).newPage();
  const since = Date.now();
  await submitRequestForm(stranger, { type: "access", email: uniqueEmail });
  await expect(stranger.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect(stranger.locator("main")).not.toContainText(reference);
  const mail = await waitForMail({ to: uniqueEmail, subject: /^We could not take your request to Harbour Trust$/, since });
  expect(mail.text).toContain(`You already have a request to see your data that we are working on (${reference}).`);
  expect(mail.links.some((l) => l.includes("/api/auth/callback"))).toBe(false);
  expect(countRows("request_drafts", "email = ?", uniqueEmail)).toBe(1);
});

test("a second draft confirmed after the first is refused at confirmation, with the reason on the page", async ({ page, uniqueEmail }) => {
  const since = Date.now();
  await submitRequestForm(page, { type: "concern", email: uniqueEmail, message: "First." });
  await submitRequestForm(page, { type: "concern", email: uniqueEmail, message: "Second." });
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect.poll(async () => (await mailsTo(uniqueEmail)).length).toBe(2);
  const [first, second] = (await mailsTo(uniqueEmail)).filter((m) => m.receivedAt >= since);
  await followLink(page, signInLink(first!));
  await expect(page).toHaveURL(/\?notice=confirmed/);
  const reference = /RD-[0-9A-Z-]{9}/.exec(page.url())?.[0] ?? "";
  await followLink(page, signInLink(second!));
  await expect(page).toHaveURL(/\/requests\?notice=limit&type=concern/);
  await expect(page.getByRole("status")).toContainText(
    `We could not send that request. You already have a request to look into a concern that we are working on (${reference}).`,
  );
  expect(countRows("requests", "subject_email = ?", uniqueEmail)).toBe(1);
});

test("a repeat access request within three months is flagged to staff, who may accept it with a reason on the record", async ({ page, browser, uniqueEmail }) => {
  const { reference: first } = await fileAndConfirm(page, { type: "access", email: uniqueEmail });
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff/requests/${first}`);
  await reviewer.getByRole("button", { name: "Start review" }).click();
  // Approving an access request builds the export and completes it.
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Approved and carried out");

  await submitRequestForm(page, { type: "access" });
  await expect(page).toHaveURL(/\?notice=filed/);
  const repeat = /RD-[0-9A-Z-]{9}/.exec(page.url())?.[0] ?? "";
  expect(actionsOf(repeat)).toEqual(["filed", "flagged_excessive"]);
  // The supporter's own page does not show staff's assessment.
  await expect(page.locator("main")).not.toContainText("excessive");

  await reviewer.goto(`/staff/requests/${repeat}`);
  const flag = reviewer.getByRole("region", { name: "Possibly excessive" });
  await expect(flag).toContainText(`this supporter's access request ${first} arrived on`);
  await flag.getByRole("button", { name: "Accept it despite the limit" }).click();
  await expect(flag.getByRole("alert")).toHaveText("Give your reason for overriding the limit; it goes on the record.");
  await flag.getByLabel("Why you accept it").fill("The first answer missed the events database; this is not a repeat.");
  await flag.getByRole("button", { name: "Accept it despite the limit" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Limit overridden. Your reason is on the record.");
  await expect(reviewer.getByRole("region", { name: "Possibly excessive" })).toHaveCount(0);
  await expect(reviewer.locator("ol.history")).toContainText("Per-supporter limit overridden by staff");
  await expect(reviewer.locator("ol.history")).toContainText("The first answer missed the events database");
  expect(actionsOf(repeat)).toEqual(["filed", "flagged_excessive", "limit_overridden"]);
});

test("staff recording a request past a limit are told so, and may record it with a reason that goes on the record", async ({ page, browser, uniqueEmail }) => {
  const { reference: open } = await fileAndConfirm(page, { type: "erasure", email: uniqueEmail });
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto("/staff/requests/new");
  await reviewer.getByLabel("By email").check();
  await reviewer.getByLabel("How you checked the requester's identity").fill("Replied from the address on file.");
  await reviewer.getByRole("radio", { name: /Delete my data/ }).check();
  await reviewer.getByLabel(/The requester wants their data deleted/).check();
  await reviewer.getByLabel("The requester's email address").fill(uniqueEmail);
  await reviewer.getByRole("button", { name: "Record the request" }).click();
  await expect(reviewer.locator(".error-summary")).toContainText(
    `This person already has an open request of this type (${open}); the limit is 1 at a time. To record it anyway, give your reason for overriding the limit; it goes on the record.`,
  );
  expect(countRows("requests", "subject_email = ?", uniqueEmail)).toBe(1);

  await reviewer.getByLabel("Reason to override a per-supporter limit (optional)").fill("Second letter names a different branch's records.");
  await reviewer.getByRole("button", { name: "Record the request" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Request recorded");
  await expect(reviewer.locator("ol.history")).toContainText("Reason for overriding the limit: Second letter names a different branch's records.");
  const recorded = /RD-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(reviewer.url())?.[0] ?? "";
  // The same person with another erasure open: recorded anyway, it is also marked as a possible duplicate of it.
  expect(actionsOf(recorded)).toEqual(["recorded", "limit_overridden", "duplicate_flagged"]);
});
