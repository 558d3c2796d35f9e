import { expect, signedInPage, test } from "./support/fixtures";
import { countRows, fileAndConfirm, longDate, queryDatabase } from "./support/journeys";
import { expectWellFormedMail, waitForMail } from "./support/mail";

function statusOf(reference: string): string | undefined {
  return queryDatabase<{ status: string }>("select status from requests where reference = ?", reference)[0]?.status;
}

test("a reviewer takes a request through question, answer, approval and completion; the supporter sees and hears of each step", async ({
  page: supporter,
  browser,
  uniqueEmail,
}) => {
  const { reference } = await fileAndConfirm(supporter, { type: "access", email: uniqueEmail });
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff/requests/${reference}`);
  // Named by its reference, so several open requests are told apart.
  await expect(reviewer).toHaveTitle(new RegExp(`^Request ${reference} · `));

  await reviewer.getByRole("button", { name: "Start review" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Review started.");
  await expect(reviewer.locator("dl.facts")).toContainText("in review");
  await expect(reviewer.locator("dl.facts")).toContainText("staff@example.org");

  const since = Date.now();
  const question = "Which postal address did you use when you <b>donated</b>?";
  await reviewer.getByLabel("Question for the supporter").fill(question);
  await reviewer.getByRole("button", { name: "Send question" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Question sent");
  expect(statusOf(reference)).toBe("awaiting_supporter");
  const [stopped] = queryDatabase<{ clock_stopped_on: string | null }>("select clock_stopped_on from requests where reference = ?", reference);
  expect(stopped?.clock_stopped_on).toBe(new Date().toISOString().slice(0, 10));

  const questionMail = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^We need something from you about your request ${reference}$`), since });
  expect(questionMail.text).toContain(question);
  expect(questionMail.html).toContain("&lt;b&gt;donated&lt;/b&gt;");
  expectWellFormedMail(questionMail, { reference, links: [`${process.env.E2E_BASE_URL}/requests/${reference}`] });

  await supporter.goto(`/requests/${reference}`);
  await expect(supporter.getByRole("heading", { name: "We need something from you" })).toBeVisible();
  await expect(supporter.locator(".question blockquote")).toHaveText(question);
  await expect(supporter.getByText("clock stopped")).toBeVisible();
  await supporter.getByLabel("Your answer").fill("12 Harbour Row, Portsmouth");
  await supporter.getByRole("button", { name: "Send my answer" }).click();
  await expect(supporter.getByRole("status")).toContainText("we have your answer");
  await expect(supporter.locator("dl.facts")).toContainText("in review");
  await expect(supporter.getByRole("heading", { name: "We need something from you" })).toHaveCount(0);

  await reviewer.reload();
  await expect(reviewer.locator("ol.history")).toContainText("The supporter answered");
  await expect(reviewer.locator("ol.history")).toContainText("12 Harbour Row, Portsmouth");
  // Approving an access request builds the export and completes it by itself.
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Approved and carried out");
  expect(statusOf(reference)).toBe("completed");

  const done = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Your request ${reference} is complete$`), since });
  expect(done.text).toContain("Your data is ready.");
  expect(done.text).toContain("Nothing is attached to this email.");
  expectWellFormedMail(done, { reference, links: [`${process.env.E2E_BASE_URL}/requests/${reference}`] });

  await supporter.reload();
  await expect(supporter.locator("dl.facts")).toContainText("completed");
  const history = supporter.locator("ol.history");
  for (const step of ["Request received", "Review started", "Question sent to the supporter", "The supporter answered", "Request approved", "Request completed"]) {
    await expect(history).toContainText(step);
  }
  await expect(supporter.getByRole("button", { name: "Cancel this request" })).toHaveCount(0);

  const actions = queryDatabase<{ action: string }>(
    "select e.action from request_events e join requests r on r.id = e.request_id where r.reference = ? order by e.id",
    reference,
  ).map((e) => e.action);
  expect(actions).toEqual(["filed", "review_started", "question", "reply", "approved", "completed"]);
});

test("a refusal shows its reason to the supporter and tells them of their right to complain", async ({ page: supporter, browser, uniqueEmail }) => {
  const { reference } = await fileAndConfirm(supporter, { type: "erasure", email: uniqueEmail });
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff/requests/${reference}`);
  const since = Date.now();

  // No reason, no refusal.
  await reviewer.getByRole("button", { name: "Refuse the request" }).click();
  await expect(reviewer.locator("main [role=alert]")).toHaveText("Give the reason; it is sent to the supporter.");
  expect(statusOf(reference)).toBe("received");

  const reason = "We hold donation records for six years for tax purposes; they cannot be deleted yet.";
  await reviewer.getByLabel("Reason for refusing").fill(reason);
  await reviewer.getByRole("button", { name: "Refuse the request" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Refused");
  expect(statusOf(reference)).toBe("denied");

  const mail = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Our decision on your request ${reference}$`), since });
  expect(mail.text).toContain(reason);
  expect(mail.text).toContain("supervisory authority");
  expectWellFormedMail(mail, { reference, links: [`${process.env.E2E_BASE_URL}/requests/${reference}`] });

  await supporter.goto(`/requests/${reference}`);
  await expect(supporter.locator("dl.facts")).toContainText("refused");
  await expect(supporter.locator("ol.history")).toContainText(reason);
});

test("an extension moves the due date once and sends the reason; internal notes stay internal", async ({ page: supporter, browser, uniqueEmail }) => {
  const { reference } = await fileAndConfirm(supporter, { type: "access", email: uniqueEmail });
  const [before] = queryDatabase<{ due_on: string }>("select due_on from requests where reference = ?", reference);
  const admin = await signedInPage(browser, "admin@example.org");
  await admin.goto(`/staff/requests/${reference}`);
  const since = Date.now();

  await admin.getByLabel("How much longer").selectOption("2");
  await admin.getByLabel("Reason for the extension").fill("Your records span three systems and we must gather them by hand.");
  await admin.getByRole("button", { name: "Extend and tell the supporter" }).click();
  await expect(admin.getByRole("status")).toContainText("Deadline extended");
  const [after] = queryDatabase<{ due_on: string; extension_reason: string }>("select due_on, extension_reason from requests where reference = ?", reference);
  const expected = new Date(`${before?.due_on}T00:00:00Z`);
  const target = new Date(Date.UTC(expected.getUTCFullYear(), expected.getUTCMonth() + 2, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(expected.getUTCDate(), lastDay));
  expect(after?.due_on).toBe(target.toISOString().slice(0, 10));
  await expect(admin.getByRole("heading", { name: "Extend the deadline" })).toHaveCount(0);
  // The record says what the step changed: from which due date to which.
  await expect(admin.locator("ol.history li").filter({ hasText: "Deadline extended" })).toContainText(
    `Due date moved from ${longDate(before?.due_on ?? "")} to ${longDate(after?.due_on ?? "")}.`,
  );

  const mail = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^We need more time for your request ${reference}$`), since });
  expect(mail.text).toContain("gather them by hand");
  expect(mail.text).toContain(`We will now answer by: ${longDate(after?.due_on ?? "")}`);
  expectWellFormedMail(mail, { reference, links: [`${process.env.E2E_BASE_URL}/requests/${reference}`] });

  await admin.getByLabel("Note for staff").fill("Checked CRM and payment processor; mailing tool still to do.");
  await admin.getByRole("button", { name: "Add note" }).click();
  await expect(admin.getByRole("status")).toHaveText("Internal note added.");
  await expect(admin.locator("ol.history")).toContainText("mailing tool still to do");
  // The "internal" badge reads apart from the name before it, as text too (what a screen reader or a copy gives).
  const noteEntry = admin.locator("ol.history li").filter({ hasText: "mailing tool still to do" });
  expect((await noteEntry.textContent())?.replace(/\s+/g, " ")).toMatch(/ by admin@example\.org \(internal\)/);

  await supporter.goto(`/requests/${reference}`);
  await expect(supporter.locator("ol.history")).toContainText("Deadline extended");
  await expect(supporter.locator("ol.history")).toContainText("gather them by hand");
  await expect(supporter.locator("main")).not.toContainText("mailing tool still to do");
});

test("two staff acting at once: one succeeds, the other is told and sees the new state", async ({ page: supporter, browser, uniqueEmail }) => {
  const { reference } = await fileAndConfirm(supporter, { type: "access", email: uniqueEmail });
  const reviewer = await signedInPage(browser, "staff@example.org");
  const admin = await signedInPage(browser, "admin@example.org");
  await reviewer.goto(`/staff/requests/${reference}`);
  await admin.goto(`/staff/requests/${reference}`);

  await reviewer.getByRole("button", { name: "Start review" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Review started.");

  await admin.getByRole("button", { name: "Start review" }).click();
  await expect(admin.locator("main [role=alert]")).toContainText("Someone else changed this request while you were looking at it; it is now in review.");
  await expect(admin.locator("dl.facts")).toContainText("in review");
  expect(countRows("request_events e join requests r on r.id = e.request_id", "r.reference = ? and e.action = 'review_started'", reference)).toBe(1);
});

test("a forged direct POST of a staff transition by a supporter is refused and changes nothing", async ({ page: supporter, browser, uniqueEmail }) => {
  const { reference } = await fileAndConfirm(supporter, { type: "access", email: uniqueEmail });
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff/requests/${reference}`);
  await reviewer.getByRole("button", { name: "Start review" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Review started.");

  // Capture the real "Approve" POST a reviewer's browser makes, without letting it through.
  let captured: { headers: Record<string, string>; body: Buffer } | null = null;
  await reviewer.route(`**/staff/requests/${reference}*`, async (route) => {
    const request = route.request();
    if (request.method() === "POST" && !captured) {
      captured = { headers: request.headers(), body: request.postDataBuffer() ?? Buffer.alloc(0) };
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect.poll(() => captured !== null).toBe(true);
  expect(statusOf(reference)).toBe("in_review");
  const forged = captured as unknown as { headers: Record<string, string>; body: Buffer };
  expect(forged.headers["next-action"]).toBeTruthy();

  // The supporter replays it with their own session (from the site's own origin, which every change must come from).
  const origin = process.env.E2E_BASE_URL ?? "";
  const response = await supporter.request.post(`/staff/requests/${reference}`, {
    headers: { "next-action": forged.headers["next-action"] ?? "", "content-type": forged.headers["content-type"] ?? "", accept: "text/x-component", origin },
    data: forged.body,
  });
  expect(response.status()).toBeLessThan(500);
  expect(await response.text()).toContain("You are not allowed to do this.");
  expect(statusOf(reference)).toBe("in_review");
  expect(countRows("request_events e join requests r on r.id = e.request_id", "r.reference = ? and e.action = 'approved'", reference)).toBe(0);

  // With no session at all it is refused too.
  const anonymous = await browser.newContext();
  const noSession = await anonymous.request.post(`${process.env.E2E_BASE_URL}/staff/requests/${reference}`, {
    headers: { "next-action": forged.headers["next-action"] ?? "", "content-type": forged.headers["content-type"] ?? "", accept: "text/x-component", origin },
    data: forged.body,
    maxRedirects: 0,
  });
  expect(noSession.status()).toBeLessThan(500);
  expect(statusOf(reference)).toBe("in_review");
});

test("staff record a request that arrived by phone; the requester gets a receipt and can follow it", async ({ browser, uniqueEmail }) => {
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto("/staff/requests/new");
  await reviewer.getByRole("button", { name: "Record the request" }).click();
  await expect(reviewer.locator(".error-summary")).toContainText("Choose how the request arrived");
  await expect(reviewer.locator(".error-summary")).toContainText("Say how you checked the requester's identity.");
  await expect(reviewer.locator(".error-summary")).toBeFocused();
  // The summary names the fields as they are labelled for staff, and its sentences are about the requester.
  await reviewer.getByRole("radio", { name: /Raise a concern/ }).check();
  await reviewer.getByRole("button", { name: "Record the request" }).click();
  const summary = reviewer.locator(".error-summary");
  await expect(summary.getByRole("link", { name: /^Their concern: / })).toHaveText("Their concern: Enter their concern, in their words.");
  await expect(summary).toContainText("The requester's email address: Enter the requester's email address.");
  await expect(summary).not.toContainText(/\byour\b|\bus\b/i);
  await expect(reviewer.locator("#field-message-error")).toContainText("Enter their concern, in their words.");
  await expect(reviewer.getByLabel("Their concern")).toBeVisible();

  const since = Date.now();
  await reviewer.getByLabel("By phone").check();
  await reviewer.getByLabel("How you checked the requester's identity").fill("Called back on the number on file; confirmed postcode.");
  await reviewer.getByRole("radio", { name: /Stop emails/ }).check();
  await reviewer.getByLabel("The requester's email address").fill(uniqueEmail);
  await reviewer.getByRole("button", { name: "Record the request" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Request recorded");
  await expect(reviewer.locator("dl.facts")).toContainText("by phone");
  await expect(reviewer.locator("dl.facts")).toContainText("Called back on the number on file");
  const reference = /RD-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(reviewer.url())?.[0] ?? "";

  // An unsubscribe is carried out as it is recorded, so its one email says it is done, with the reference to follow it.
  await waitForMail({ to: uniqueEmail, subject: new RegExp(`^You are off our mailing lists \\(${reference}\\)$`), since });
  const supporter = await signedInPage(browser, uniqueEmail);
  await supporter.goto(`/requests/${reference}`);
  await expect(supporter.locator("ol.history")).toContainText("Request recorded by staff");
  await expect(supporter.locator("main")).not.toContainText("Called back on the number on file");
});
