import { expect, signInAs, test } from "./support/fixtures";
import { countRows, fileAndConfirm, queryDatabase } from "./support/journeys";
import { addStaffByCommand, removeStaffByCommand } from "./support/server";

test("a staff member signs in with the emailed link and sees the request in the queue", async ({ page, browser, uniqueEmail }) => {
  const supporter = await browser.newPage();
  const { reference } = await fileAndConfirm(supporter, { type: "erasure", email: uniqueEmail, name: "Grace <i>Hopper</i>" });
  await supporter.close();

  await signInAs(page, "staff@example.org", { byLink: true });
  await page.goto("/staff");
  await expect(page.getByRole("heading", { name: "Request queue" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: reference });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Delete my data");
  await expect(row).toContainText("received");
  await expect(row).toContainText(uniqueEmail);
  // Due comes next to Status, so it stays in view beside what the request is.
  await expect(row.getByRole("cell").nth(3)).toContainText("days left");

  // Newest first: nothing received later sits below it.
  const references = await page.locator("tbody tr td:first-child").allInnerTexts();
  const times = queryDatabase<{ reference: string; received_at: number }>(
    `select reference, received_at from requests where reference in (${references.map(() => "?").join(",")})`,
    ...references,
  );
  const order = references.map((r) => times.find((t) => t.reference === r)?.received_at ?? 0);
  expect(order).toEqual([...order].sort((a, b) => b - a));

  await row.getByRole("link", { name: reference }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(reference);
  await expect(page.locator("dl.facts")).toContainText("Grace <i>Hopper</i>");
  await expect(page.locator("ol.history")).toContainText("Request received and email address confirmed");
  // The supporter is named by the request, not in its log (see actorEmail in lib/requests/lifecycle/request-change.ts).
  await expect(page.locator("ol.history")).toContainText("by the supporter");
});

test("staff pages give nothing to a visitor with no session", async ({ request }) => {
  for (const path of ["/staff", "/staff/requests/RD-AAAA-AAAA", "/staff?after=1.1"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(307);
    expect(response.headers().location, path).toMatch(/\/signin\?next=/);
    expect(await response.text(), path).not.toContain("@example.org");
  }
  // A forged cookie gets no further than no cookie.
  const forged = await request.get("/staff", { headers: { cookie: "next-auth.session-token=forged" }, maxRedirects: 0 });
  expect([307, 404]).toContain(forged.status());
  expect(await forged.text()).not.toContain("Request queue");
  expect(await forged.text()).not.toContain("@example.org");
});

test("a supporter cannot reach the staff pages or another supporter's request", async ({ page, browser, uniqueEmail }) => {
  const other = await browser.newPage();
  const otherEmail = `other-${uniqueEmail}`;
  const { reference: othersReference } = await fileAndConfirm(other, { type: "access", email: otherEmail });
  await other.close();

  const { reference: ownReference } = await fileAndConfirm(page, { type: "access", email: uniqueEmail });

  for (const path of ["/staff", `/staff/requests/${othersReference}`, `/staff/requests/${ownReference}`]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(404);
    const body = await response.text();
    expect(body, path).not.toContain(otherEmail);
    expect(body, path).not.toContain("Request queue");
  }
  await page.goto("/staff");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Staff queue" })).toHaveCount(0);

  // Another supporter's reference is a plain 404, by page and by direct request.
  const response = await page.request.get(`/requests/${othersReference}`);
  expect(response.status()).toBe(404);
  expect(await response.text()).not.toContain(otherEmail);
  await page.goto(`/requests/${othersReference}`);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.goto("/requests");
  await expect(page.getByRole("link", { name: othersReference })).toHaveCount(0);

  // Tampering with the cancel form to aim at someone else's request changes nothing.
  await page.goto(`/requests/${ownReference}`);
  await page.locator('input[name="reference"]').evaluate((el, ref) => ((el as HTMLInputElement).value = ref), othersReference);
  await page.getByRole("checkbox", { name: /^Yes, cancel request/ }).check();
  await page.getByRole("button", { name: "Cancel this request" }).click();
  await expect(page.locator("main [role=alert]")).toHaveText("We could not find that request among yours.");
  expect(queryDatabase<{ status: string }>("select status from requests where reference = ?", othersReference)).toEqual([
    { status: "received" },
  ]);
  expect(countRows("request_events e join requests r on r.id = e.request_id", "r.reference = ? and e.action = 'canceled'", othersReference)).toBe(0);
});

test("removing a staff member with `npm run staff` takes the queue away at once", async ({ page }) => {
  await addStaffByCommand("temp-reviewer@example.org", "reviewer");
  await signInAs(page, "temp-reviewer@example.org", { byLink: true });
  await page.goto("/staff");
  await expect(page.getByRole("heading", { name: "Request queue" })).toBeVisible();
  await removeStaffByCommand("temp-reviewer@example.org");
  const response = await page.request.get("/staff", { maxRedirects: 0 });
  expect(response.status()).not.toBe(200);
  expect(await response.text()).not.toContain("Request queue");
  expect(countRows("sessions s join users u on u.id = s.userId", "u.email = ?", "temp-reviewer@example.org")).toBe(0);
});

test("staff who sign in land on the queue, not on an empty list of their own requests", async ({ page }) => {
  await signInAs(page, "staff@example.org", { byLink: true });
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByRole("heading", { name: "Request queue" })).toBeVisible();
  await expect(page.getByText("You have no requests yet")).toHaveCount(0);
});
