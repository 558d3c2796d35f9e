import type { Page } from "@playwright/test";
import { expect, requestSignInLink, signedInPage, signInAs, test } from "./support/fixtures";
import { countRows, fileAndConfirm, followLink, longDate, oneMonthFromTodayUtc, queryDatabase, REFERENCE, submitRequestForm } from "./support/journeys";
import { expectWellFormedMail, mailsTo, signInLink, waitForMail } from "./support/mail";

test("a supporter files an access request, confirms it from the email, and follows it", async ({ page, uniqueEmail }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Your data, your rights" })).toBeVisible();
  for (const label of ["See my data", "Correct my data", "Delete my data", "Stop emails", "Raise a concern"]) {
    await expect(page.getByRole("heading", { name: label })).toBeVisible();
  }
  // Each link says where it goes.
  await expect(page.getByRole("link", { name: "Start", exact: true })).toHaveCount(0);
  await page.getByRole("link", { name: "Ask to see your data" }).click();
  await expect(page.getByRole("radio", { name: /See my data/ })).toBeChecked();

  const since = Date.now();
  await page.getByLabel("Your name (optional)").fill("Ada Supporter");
  await page.getByLabel("Your email address").fill(uniqueEmail.toUpperCase());
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();

  // Nothing is a request until the address is proven.
  expect(countRows("requests", "subject_email = ?", uniqueEmail)).toBe(0);
  expect(countRows("request_drafts", "email = ?", uniqueEmail)).toBe(1);

  const confirmation = await waitForMail({ to: uniqueEmail, subject: /^Confirm your request to Harbour Trust$/, since });
  expect(confirmation.text).toContain("See my data");
  expect(confirmation.html).toContain("Confirm my request");
  const link = signInLink(confirmation);
  expect(link.startsWith(process.env.E2E_BASE_URL ?? "")).toBe(true);
  expectWellFormedMail(confirmation, { links: [link] });
  // The emailed token is stored only as a hash.
  const token = new URL(link).searchParams.get("token") ?? "";
  expect(token).toHaveLength(64);
  expect(countRows("verification_tokens", "token = ?", token)).toBe(0);
  expect(countRows("verification_tokens", "identifier = ?", uniqueEmail)).toBe(1);

  // The link opens a page that says what will happen; pressing its button confirms.
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm your request");
  await expect(page.locator("main")).toContainText(`Press the button to confirm the request you made with ${uniqueEmail}.`);
  expect(countRows("requests", "subject_email = ?", uniqueEmail)).toBe(0);
  await page.getByRole("button", { name: "Confirm my request" }).click();
  await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
  const reference = REFERENCE.exec(page.url())?.[0] ?? "";
  const due = longDate(oneMonthFromTodayUtc());
  await expect(page.getByRole("heading", { level: 1 })).toContainText(reference);
  await expect(page.getByRole("status")).toContainText("your request has been sent");
  await expect(page.getByText(due)).toBeVisible();
  await expect(page.locator("dl.facts")).toContainText("received");
  await expect(page.getByRole("list").filter({ hasText: "Request received and email address confirmed" })).toBeVisible();

  const receipt = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^We have received your request ${reference}$`), since });
  expect(receipt.text).toContain(`Reference: ${reference}`);
  expect(receipt.text).toContain(`We will answer by: ${due}`);
  expect(receipt.html).toContain(reference);
  expect(receipt.text).toContain("What happens next:");
  expectWellFormedMail(receipt, { reference, links: [`${process.env.E2E_BASE_URL}/requests/${reference}`] });

  const [stored] = queryDatabase<{ status: string; due_on: string; regime: string }>(
    "select status, due_on, regime from requests where reference = ?",
    reference,
  );
  expect(stored).toEqual({ status: "received", due_on: oneMonthFromTodayUtc(), regime: "gdpr" });

  // The list shows it, and the link has been used up.
  await page.goto("/requests");
  await expect(page.getByRole("link", { name: reference })).toBeVisible();
  await page.context().clearCookies();
  await followLink(page, link);
  await expect(page.getByRole("heading", { name: "This link was already used" })).toBeVisible();
  // Its request went through when it was first used: the page says so, rather than asking to make it again.
  await expect(page.locator("main")).toContainText("Your request was confirmed when this link was first used, so there is nothing more to do");
  await expect(page.locator("main")).not.toContainText("make it again");
});

test("a signed-in supporter files a further request without a new link, then cancels it", async ({ page, uniqueEmail }) => {
  await fileAndConfirm(page, { type: "access", email: uniqueEmail });
  const before = (await mailsTo(uniqueEmail)).length;

  await page.goto("/new?type=concern");
  await expect(page.getByLabel("Your email address")).toHaveCount(0);
  await expect(page.getByText(`We will use your confirmed email address, ${uniqueEmail}`)).toBeVisible();
  const since = Date.now();
  await submitRequestForm(page, { type: "concern", message: "You sent me post after I asked you not to." });
  await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=filed/);
  const reference = REFERENCE.exec(page.url())?.[0] ?? "";
  await waitForMail({ to: uniqueEmail, subject: new RegExp(`received your request ${reference}`), since });
  // A receipt, and no confirmation link, was sent.
  expect((await mailsTo(uniqueEmail)).filter((m) => /^Confirm your request/.test(m.subject))).toHaveLength(1);
  expect((await mailsTo(uniqueEmail)).length).toBe(before + 1);
  await expect(page.locator("dl.facts")).toContainText("You sent me post after I asked you not to.");

  // Cancelling cannot be undone: the button alone does nothing but say so.
  await page.getByRole("button", { name: "Cancel this request" }).click();
  await expect(page.locator("#field-confirm-error")).toHaveText("Error: Tick the box to confirm that you want to cancel this request.");
  await expect(page.getByRole("checkbox", { name: `Yes, cancel request ${reference}. This cannot be undone` })).toHaveAttribute("aria-invalid", "true");
  expect(queryDatabase<{ status: string }>("select status from requests where reference = ?", reference)).toEqual([{ status: "received" }]);
  await page.getByRole("checkbox", { name: `Yes, cancel request ${reference}` }).check();
  await page.getByRole("button", { name: "Cancel this request" }).click();
  await expect(page.getByRole("status")).toContainText("Your request has been cancelled");
  await expect(page.locator("dl.facts")).toContainText("cancelled");
  await expect(page.getByRole("button", { name: "Cancel this request" })).toHaveCount(0);
  const cancellation = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Your request ${reference} has been cancelled$`), since });
  expect(cancellation.text).toContain(reference);
  expectWellFormedMail(cancellation, { reference, links: [`${process.env.E2E_BASE_URL}/requests`] });

  const events = queryDatabase<{ action: string; from_status: string | null; to_status: string }>(
    "select e.action, e.from_status, e.to_status from request_events e join requests r on r.id = e.request_id where r.reference = ? order by e.id",
    reference,
  );
  expect(events).toEqual([
    { action: "filed", from_status: null, to_status: "received" },
    { action: "canceled", from_status: "received", to_status: "canceled" },
  ]);
});

test("the check-your-inbox answer is the same for a known, an unknown and a staff address", async ({ page, uniqueEmail }) => {
  await fileAndConfirm(page, { type: "access", email: uniqueEmail });
  await page.context().clearCookies();
  const answers: string[] = [];
  // The page repeats the address typed, and nothing else differs.
  const answerFor = async (email: string) => (await page.locator("main").innerHTML()).replaceAll(email, "EMAIL");
  for (const email of [uniqueEmail, `nobody-${Date.now()}@example.org`, "staff@example.org"]) {
    await submitRequestForm(page, { type: "unsubscribe", email });
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    await expect(page.locator("main strong")).toHaveText(email);
    answers.push(await answerFor(email));
  }
  expect(new Set(answers).size).toBe(1);

  const signInAnswers: string[] = [];
  for (const email of [uniqueEmail, `nobody-${Date.now()}@example.org`]) {
    await requestSignInLink(page, email);
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    signInAnswers.push(await answerFor(email));
  }
  expect(new Set(signInAnswers).size).toBe(1);
});

test("\"Check your inbox\" repeats the address, so a typo shows, and sends the email again with a new link", async ({ page, uniqueEmail }) => {
  const typo = uniqueEmail.replace("@example.org", "@exmaple.org");
  await requestSignInLink(page, typo);
  await expect(page.locator("main .lede")).toContainText(`We have sent an email to ${typo}.`);
  await expect(page.getByRole("link", { name: "Sign in with a different address" })).toHaveAttribute("href", "/signin");
  // The address is not in the page's own address, where logs and history would keep it.
  expect(page.url()).not.toContain("exmaple");

  // Sending again: a second request with its own link.
  const since = await requestSignInLink(page, uniqueEmail);
  const first = await waitForMail({ to: uniqueEmail, subject: /^Your sign-in link for /, since });
  await page.getByRole("button", { name: "Send the email again" }).click();
  await expect(page.getByRole("status")).toContainText(`We have sent it again to ${uniqueEmail}.`);
  const second = await waitForMail({ to: uniqueEmail, subject: /^Your sign-in link for /, since, where: (m) => signInLink(m) !== signInLink(first) });
  expect(signInLink(second)).not.toBe(signInLink(first));

  // For a request, it sends a new link for the same draft, which then confirms it.
  await page.context().clearCookies();
  const requestSince = Date.now();
  await submitRequestForm(page, { type: "concern", email: uniqueEmail, message: "Please send it again." });
  await expect(page.locator("main .lede")).toContainText(`We have sent an email to ${uniqueEmail}. Open the link in it and press the button on the page it opens to confirm your request.`);
  await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since: requestSince });
  const resentAt = Date.now();
  await page.getByRole("button", { name: "Send the email again" }).click();
  await expect(page.getByRole("status")).toContainText("We have sent it again");
  const again = await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since: resentAt });
  expect(countRows("request_drafts", "email = ?", uniqueEmail)).toBe(1);
  await followLink(page, signInLink(again));
  await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
});

test("every page has a favicon and a description", async ({ page, request }) => {
  await page.goto("/");
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(icon).toBeTruthy();
  expect((await request.get(icon!)).status()).toBe(200);
  expect((await request.get("/favicon.ico")).status()).toBe(200);
  await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /^Ask Harbour Trust to show you the data it holds about you/);
});

test("opening a page asks the server for that page alone: no link is fetched ahead of a click, and links still change the page", async ({ page, browser }) => {
  // Every request Next's router makes for a page's content carries the RSC header, whether it fetches ahead
  // (prefetching, which also says next-router-prefetch) or at a click. So none may be made before the click, and the
  // click must make one, which also shows this watch sees such requests at all.
  const flights: Array<{ url: string; ahead: boolean }> = [];
  const watch = (watched: Page) => watched.on("request", (request) => {
    const headers = request.headers();
    if (headers["rsc"] !== undefined) flights.push({ url: request.url(), ahead: headers["next-router-prefetch"] !== undefined });
  });
  watch(page);
  await page.goto("/");
  await page.getByRole("link", { name: /sign in/i }).first().hover();
  await page.waitForLoadState("networkidle");

  const admin = await signedInPage(browser, "admin@example.org");
  watch(admin);
  await admin.goto("/staff");
  const menu = admin.getByRole("navigation", { name: "Staff" });
  await menu.getByRole("link", { name: "Reports" }).hover();
  await admin.waitForLoadState("networkidle");
  expect(flights, "fetched before any click").toEqual([]);

  // Fetched at the click instead, by the router (no full load): the menu still changes the page.
  await menu.getByRole("link", { name: "Reports" }).click();
  await expect(admin).toHaveURL(/\/staff\/reports$/);
  await expect(admin.getByRole("heading", { level: 1 })).toContainText("Reports");
  expect(flights.length, "the click fetched its page through the router").toBeGreaterThan(0);
  expect(flights.every((f) => !f.ahead && new URL(f.url).pathname === "/staff/reports"), JSON.stringify(flights)).toBe(true);
  await admin.context().close();
});

test.describe("bad input gets a specific message and stores nothing", () => {
  // "EMAIL" and "MARKER" stand for this test's own address and a unique name, so
  // what another test stores meanwhile cannot be mistaken for a leak.
  const cases: Array<{ name: string; type: string; fill: Record<string, string>; field: string; message: string }> = [
    { name: "missing email", type: "access", fill: { "Your name (optional)": "MARKER" }, field: "Your email address", message: "Enter your email address." },
    {
      name: "invalid email",
      type: "access",
      fill: { "Your email address": "not-an-address", "Your name (optional)": "MARKER" },
      field: "Your email address",
      message: "Your email address must be a valid address, like name@example.org.",
    },
    {
      name: "100 kB name",
      type: "access",
      fill: { "Your email address": "EMAIL", "Your name (optional)": "x".repeat(100_000) },
      field: "Your name (optional)",
      message: "Your name must be 200 characters or fewer.",
    },
    {
      name: "control character in name",
      type: "access",
      fill: { "Your email address": "EMAIL", "Your name (optional)": "Ada\u0007Lovelace" },
      field: "Your name (optional)",
      message: "Your name contains hidden control characters; remove them and try again.",
    },
    {
      name: "100 kB concern",
      type: "concern",
      fill: { "Your email address": "EMAIL", "Your concern": "y".repeat(100_000) },
      field: "Your concern",
      message: "Your concern must be 5,000 characters or fewer.",
    },
    {
      name: "empty concern",
      type: "concern",
      fill: { "Your email address": "EMAIL" },
      field: "Your concern",
      message: "Tell us what your concern is.",
    },
    {
      name: "erasure not confirmed",
      type: "erasure",
      fill: { "Your email address": "EMAIL" },
      field: "I want you to delete",
      message: "Tick the box to confirm you want us to delete your data.",
    },
  ];

  for (const c of cases) {
    test(c.name, async ({ page, uniqueEmail }) => {
      const marker = `Marker ${uniqueEmail}`;
      const fill = Object.entries(c.fill).map(([label, value]) => [label, value.replace("EMAIL", uniqueEmail).replace("MARKER", marker)] as const);
      await page.goto(`/new?type=${c.type}`);
      for (const [label, value] of fill) await page.getByLabel(label).fill(value);
      await page.getByRole("button", { name: "Continue" }).click();
      await expect(page.locator(".error-summary")).toContainText("There is a problem");
      const field = page.getByLabel(c.field === "I want you to delete" ? /I want you to delete/ : c.field);
      await expect(field).toHaveAttribute("aria-invalid", "true");
      const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
      const errorId = describedBy.split(" ").find((id) => id.endsWith("-error")) ?? "missing";
      await expect(page.locator(`[id="${errorId}"]`)).toHaveText(`Error: ${c.message}`);
      // What was typed is kept, so the supporter only fixes the one thing.
      for (const [label, value] of fill) {
        if (value.length < 1000) await expect(page.getByLabel(label)).toHaveValue(value);
      }
      expect(countRows("request_drafts", "email = ? or name = ?", uniqueEmail, marker)).toBe(0);
      expect(countRows("mail_outbox", "to_address = ?", uniqueEmail)).toBe(0);
    });
  }

  test("an unknown request type", async ({ page, uniqueEmail }) => {
    await page.goto("/new?type=access");
    await page.getByLabel("Your email address").fill(uniqueEmail);
    await page.locator('input[name="type"][value="access"]').evaluate((el) => ((el as HTMLInputElement).value = "delete-everything"));
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator("#field-type-error")).toHaveText("Error: Choose what you would like us to do.");
    expect(countRows("request_drafts", "email = ?", uniqueEmail)).toBe(0);
    expect(countRows("mail_outbox", "to_address = ?", uniqueEmail)).toBe(0);
  });
});

test("what a supporter typed is shown as text, never run as markup", async ({ page, uniqueEmail }) => {
  const hostile = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  const { reference } = await fileAndConfirm(page, { type: "concern", email: uniqueEmail, name: "Eve <b>Bold</b>", message: hostile });
  await page.goto(`/requests/${reference}`);
  await expect(page.locator("dl.facts")).toContainText(hostile);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator("main img").count()).toBe(0);
  expect(dialogs).toBe(0);
});
