import { randomBytes } from "node:crypto";
import { seriousViolations } from "./support/axe";
import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./support/fixtures";
import { countRows, fileAndConfirm, queryDatabase } from "./support/journeys";
import { seedRequests } from "./support/seed";
import { addStaff, removeStaff } from "./support/server";

// The queue is shared with every other test running at the same time, so each
// test looks only at requests from its own never-seen-before addresses, which
// all start with one unique word it searches for.
const added: string[] = [];

async function freshReviewer(): Promise<string> {
  const email = `queue-reviewer-${randomBytes(5).toString("hex")}@example.org`;
  await addStaff(email, "reviewer");
  added.push(email);
  return email;
}

test.afterAll(async () => {
  for (const email of added) {
    if (countRows("staff", "email = ?", email) > 0) await removeStaff(email);
  }
});

/** The references listed; assert on it with retrying matchers, as the page may still be loading. */
function shownReferences(page: Page) {
  return page.locator("tbody tr td:first-child");
}

function queryOf(page: Page): Record<string, string> {
  return Object.fromEntries(new URL(page.url()).searchParams);
}

function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}


test("filters and search narrow the queue, and the URL carries them", async ({ page, browser }) => {
  test.slow(); // many pages in one test
  const word = `queue-${randomBytes(5).toString("hex")}`;
  const supporter = await browser.newPage();
  // Each confirmation link signs its supporter in, so the next one starts signed out.
  const file = async (type: "access" | "erasure" | "concern", name: string) => {
    await supporter.context().clearCookies();
    return (await fileAndConfirm(supporter, { type, email: `${word}-${name}@example.org` })).reference;
  };
  const ada = await file("access", "ada");
  const bob = await file("erasure", "bob");
  const cy = await file("concern", "cy");
  // Cy, signed in from their link, cancels theirs.
  await supporter.goto(`/requests/${cy}`);
  await supporter.getByRole("checkbox", { name: `Yes, cancel request ${cy}` }).check();
  await supporter.getByRole("button", { name: "Cancel this request" }).click();
  await expect(supporter.getByRole("status")).toContainText("Your request has been cancelled");
  await supporter.close();

  await signInAs(page, await freshReviewer());
  await page.goto("/staff");
  const form = page.getByRole("search", { name: "Filter requests" });

  await form.getByLabel("Email or reference").fill(word);
  await form.getByRole("button", { name: "Show requests" }).click();
  // The address names the view exactly: the form's empty fields are dropped.
  await expect(page).toHaveURL(new RegExp(`/staff\\?q=${word}$`));
  await expect(shownReferences(page)).toHaveText([cy, bob, ada]);
  await expect(page.getByRole("row").filter({ hasText: ada })).toContainText("unassigned");

  await form.getByLabel("Type").selectOption({ label: "Delete my data" });
  await form.getByRole("button", { name: "Show requests" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff\\?q=${word}&type=erasure$`));
  await expect(shownReferences(page)).toHaveText([bob]);
  expect(await seriousViolations(page), "/staff with filters").toEqual([]);

  // Back goes to the view before, filters and all.
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/staff\\?q=${word}$`));
  await expect(form.getByLabel("Type")).toHaveValue("");
  await expect(form.getByLabel("Email or reference")).toHaveValue(word);
  await expect(shownReferences(page)).toHaveText([cy, bob, ada]);

  await form.getByLabel("Status").selectOption({ label: "cancelled" });
  await form.getByRole("button", { name: "Show requests" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff\\?q=${word}&status=canceled$`));
  await expect(shownReferences(page)).toHaveText([cy]);

  // A shared link opens the same view.
  await page.goto(`/staff?q=${word}&status=received&type=access`);
  await expect(shownReferences(page)).toHaveText([ada]);
  await expect(form.getByLabel("Status")).toHaveValue("received");

  // A reference in any case, with or without dashes; a whole address in any case.
  for (const typed of [ada.toLowerCase(), ada.replace(/-/g, "").toLowerCase(), `${word}-ADA@Example.org`]) {
    await page.goto("/staff");
    await form.getByLabel("Email or reference").fill(typed);
    await form.getByRole("button", { name: "Show requests" }).click();
    await expect(shownReferences(page), typed).toHaveText([ada]);
  }

  // Soonest due first; equal due dates keep the order they arrived in.
  await page.goto(`/staff?q=${word}`);
  await form.getByLabel("Order").selectOption({ label: "Due date, soonest first" });
  await form.getByRole("button", { name: "Show requests" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff\\?q=${word}&sort=due$`));
  await expect(page.locator("caption")).toHaveText("Requests, soonest due first, filtered");
  const byDue = queryDatabase<{ reference: string }>(
    "select reference from requests where subject_email like ? order by due_on, id",
    `${word}-%`,
  ).map((r) => r.reference);
  await expect(shownReferences(page)).toHaveText(byDue);

  // Nothing matching says so; a clear link leaves the filters.
  await page.goto(`/staff?q=${word}&status=approved`);
  await expect(page.getByText("No requests match these filters.")).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/staff$/);
});

test("counts by status show, and each opens that status", async ({ page }) => {
  test.slow(); // many pages in one test
  seedRequests([{ email: `queue-count-${randomBytes(5).toString("hex")}@example.org`, receivedAt: new Date(), dueOn: daysFromToday(31) }]);
  await signInAs(page, await freshReviewer());
  await page.goto("/staff");
  const counts = page.getByRole("navigation", { name: "Requests by status" });
  const links = counts.getByRole("link");
  await expect(links).toHaveCount(8);
  await expect(links.first()).toHaveText(/^all \d+$/);
  await expect(links.first()).toHaveAttribute("aria-current", "true");
  // Other tests file and cancel requests meanwhile, so only the shape and a lower bound are certain.
  const received = counts.getByRole("link", { name: /^received \d+$/ });
  expect(Number((await received.innerText()).replace(/\D/g, ""))).toBeGreaterThanOrEqual(1);
  await received.click();
  await expect(page).toHaveURL(/\/staff\?status=received$/);
  await expect(counts.getByRole("link", { name: /^received \d+$/ })).toHaveAttribute("aria-current", "true");
  await expect(page.locator("caption")).toHaveText("Requests, newest first, filtered");
  const statuses = await page.locator("tbody tr td:nth-child(3)").allInnerTexts();
  expect(statuses.length).toBeGreaterThanOrEqual(1);
  for (const status of statuses) expect(status).toBe("received");
});

test("deadline and assignment filters, days left, and pages that reach every row once", async ({ page }) => {
  test.slow(); // many pages in one test
  const reviewer = await freshReviewer();
  const word = `pages-${randomBytes(5).toString("hex")}`;
  const now = Date.now();
  const onTrack = seedRequests(
    Array.from({ length: 60 }, (_, i) => ({
      email: `${word}-${String(i).padStart(2, "0")}@example.org`,
      receivedAt: new Date(now - 5 * 86_400_000 - i * 60_000),
      dueOn: daysFromToday(26),
    })),
  );
  const overdue = seedRequests([
    { email: `${word}-late1@example.org`, status: "in_review", receivedAt: new Date(now - 40 * 86_400_000), dueOn: daysFromToday(-9) },
    { email: `${word}-late2@example.org`, status: "approved", receivedAt: new Date(now - 40 * 86_400_000 - 1000), dueOn: daysFromToday(-9) },
  ]);
  const dueSoon = seedRequests([{ email: `${word}-soon@example.org`, receivedAt: new Date(now - 28 * 86_400_000), dueOn: daysFromToday(3) }]);
  const mine = seedRequests([
    { email: `${word}-mine1@example.org`, receivedAt: new Date(now - 6 * 86_400_000), dueOn: daysFromToday(25), assigneeEmail: reviewer },
    { email: `${word}-mine2@example.org`, receivedAt: new Date(now - 7 * 86_400_000), dueOn: daysFromToday(24), assigneeEmail: reviewer },
  ]);
  const all = [...onTrack, ...overdue, ...dueSoon, ...mine];

  await signInAs(page, reviewer);

  await page.goto(`/staff?q=${word}&deadline=overdue`);
  // Both arrived 40 days ago, the first a second after the other, so it is listed first.
  await expect(shownReferences(page)).toHaveText(overdue);
  for (const reference of overdue) await expect(page.getByRole("row").filter({ hasText: reference })).toContainText("9 days overdue");

  await page.goto(`/staff?q=${word}&deadline=due_soon`);
  await expect(shownReferences(page)).toHaveText(dueSoon);
  await expect(page.getByRole("row").filter({ hasText: dueSoon[0]! })).toContainText("3 days left");

  await page.goto(`/staff?q=${word}&assigned=me`);
  await expect(shownReferences(page)).toHaveText(mine);
  await expect(page.getByRole("row").filter({ hasText: mine[0]! }).getByRole("cell").nth(6)).toHaveText("you");

  await page.goto(`/staff?q=${word}&assigned=none`);
  await expect(page.getByRole("link", { name: "Next page" })).toBeVisible();

  // 65 rows: a page of 50, then the rest, each row once, the filters kept in every link.
  await page.goto(`/staff?q=${word}`);
  await expect(shownReferences(page)).toHaveCount(50);
  const first = await shownReferences(page).allInnerTexts();
  await expect(page.getByRole("link", { name: "First page" })).toHaveCount(0);
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/[?&]after=/);
  expect(queryOf(page)).toMatchObject({ q: word, after: expect.stringMatching(/^\d+\.\d+$/) });
  await expect(shownReferences(page)).toHaveCount(15);
  const second = await shownReferences(page).allInnerTexts();
  await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
  expect([...first, ...second].sort()).toEqual([...all].sort());

  // The same with the due-date order, whose cursor is a date.
  await page.goto(`/staff?q=${word}&sort=due`);
  await expect(shownReferences(page)).toHaveCount(50);
  const dueFirst = await shownReferences(page).allInnerTexts();
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/[?&]after=/);
  expect(queryOf(page)).toMatchObject({ q: word, sort: "due", after: expect.stringMatching(/^\d{4}-\d{2}-\d{2}\.\d+$/) });
  await expect(shownReferences(page)).toHaveCount(15);
  const dueSecond = await shownReferences(page).allInnerTexts();
  expect([...dueFirst, ...dueSecond].sort()).toEqual([...all].sort());
  expect(dueFirst.slice(0, 2).sort()).toEqual([...overdue].sort());

  await page.getByRole("link", { name: "First page" }).click();
  await expect(page).not.toHaveURL(/after=/);
  await expect(shownReferences(page)).toHaveText(dueFirst);
});

test("bad values in the URL are ignored, never an error", async ({ page }) => {
  test.slow(); // many pages in one test
  await signInAs(page, await freshReviewer());
  for (const [query, canonical] of [
    ["status=lost&type=everything&deadline=yesterday&assigned=bob&sort=id", "/staff"],
    ["after=not-a-cursor", "/staff"],
    ["sort=due&after=2026-02-30.1", "/staff?sort=due"],
    // Only the order differs from the canonical link: left as it is.
    ["type=erasure&after=99999999999999.1&q=%00%01", "/staff?type=erasure&after=99999999999999.1&q=%00%01"],
    [`q=${"x".repeat(5000)}`, "/staff"],
    ["q=%F4%8F%BF%BF", "/staff?q=%F4%8F%BF%BF"],
    ["status=received&status=completed", "/staff?status=received"],
    ["utm_source=newsletter&status=in_review", "/staff?status=in_review"],
  ]) {
    const response = await page.goto(`/staff?${query}`);
    expect(response?.status(), query).toBe(200);
    await expect(page.getByRole("heading", { name: "Request queue" }), query).toBeVisible();
    expect(page.url().slice(new URL(page.url()).origin.length), query).toBe(canonical);
  }
});

test("an erased requester reads \"erased\", the table fits its box with Due in view, and on a phone each request is a card", async ({ page }) => {
  const word = `queue-${randomBytes(5).toString("hex")}`;
  const received = new Date(Date.now() - 3 * 86_400_000);
  // A long address of the kind that pushed the table wider than its box, and a request whose requester was erased.
  const long = `${word}-${"a-very-long-local-part-".repeat(3)}x@an-organisation-with-a-long-domain.example.org`;
  const [longRef, erasedRef] = seedRequests([
    { email: long, receivedAt: received, dueOn: daysFromToday(20) },
    { email: `erased:${randomBytes(32).toString("hex")}`, type: "erasure", status: "completed", receivedAt: received, dueOn: daysFromToday(20) },
  ]);
  await signInAs(page, "staff@example.org");

  await page.goto(`/staff?q=${erasedRef}`);
  const erasedRow = page.getByRole("row").filter({ hasText: erasedRef! });
  await expect(erasedRow.getByRole("cell").nth(4)).toHaveText("erased");
  await expect(erasedRow).not.toContainText("erased:");

  await page.goto(`/staff?q=${word}`);
  const table = page.getByRole("table");
  await expect(table.getByRole("row").filter({ hasText: longRef! })).toBeVisible();
  const fits = () => table.evaluate((t) => ({ table: t.scrollWidth, box: (t.parentElement as HTMLElement).clientWidth }));
  const wide = await fits();
  expect(wide.table).toBeLessThanOrEqual(wide.box);
  await expect(table.getByRole("columnheader", { name: "Due" })).toBeInViewport();
  // A reference never wraps mid-code.
  const refCell = table.getByRole("row").filter({ hasText: longRef! }).getByRole("cell").first();
  expect(await refCell.evaluate((cell) => cell.getClientRects().length === 1 && getComputedStyle(cell).whiteSpace === "nowrap")).toBe(true);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const card = page.locator("tbody tr").filter({ hasText: longRef! });
  await expect(card).toBeVisible();
  expect(await card.evaluate((row) => getComputedStyle(row).display)).toBe("block");
  // Every line of the card is within the screen's width, Due among them, and nothing scrolls sideways.
  const due = card.locator("td").nth(3);
  await due.scrollIntoViewIfNeeded();
  await expect(due).toBeInViewport();
  await expect(due).toContainText("days left");
  for (const box of await card.locator("td").evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect()))) {
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(390);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await seriousViolations(page)).toEqual([]);
});
