import { readFile } from "node:fs/promises";
import { seriousViolations } from "./support/axe";
import { expect, signInAs, test } from "./support/fixtures";
import { countRows, fileAndConfirm } from "./support/journeys";

const PATHS = ["/staff/reports", "/staff/reports/requests.csv", "/staff/reports/events.csv"];

/** The harness pins TIME_ZONE to UTC, so this month is the UTC month. */
function thisMonth(): { key: string; label: string } {
  const now = new Date();
  return {
    key: now.toISOString().slice(0, 7),
    label: new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(now),
  };
}

test("a staff member sees this month's figures, the chart's description and downloads both logs", async ({ page, browser, uniqueEmail }) => {
  const supporter = await browser.newPage();
  const { reference } = await fileAndConfirm(supporter, { type: "concern", email: uniqueEmail });
  await supporter.close();

  await signInAs(page, "staff@example.org");
  const month = thisMonth();
  // Other tests file requests at the same time, so the page's figure lies between these two counts.
  const before = countRows("requests", "substr(received_on, 1, 7) = ?", month.key);
  await page.goto("/staff/reports");
  await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();
  const after = countRows("requests", "substr(received_on, 1, 7) = ?", month.key);

  const row = page.locator("table").first().locator("tbody tr").filter({ has: page.getByRole("rowheader", { name: month.label, exact: true }) });
  await expect(row).toHaveCount(1);
  const received = Number((await row.getByRole("cell").first().innerText()).replaceAll(",", ""));
  expect(before).toBeGreaterThanOrEqual(1);
  expect(received).toBeGreaterThanOrEqual(before);
  expect(received).toBeLessThanOrEqual(after);
  // Twelve months by default, this one last.
  await expect(page.locator("table").first().locator("tbody tr")).toHaveCount(12);
  await expect(page.locator("table").first().locator("tbody tr").last().getByRole("rowheader")).toHaveText(month.label);

  const chart = page.getByRole("img", { name: /^Requests received, completed and refused per month, .+ to / });
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAccessibleName(new RegExp(`to ${month.label}$`));
  await expect(chart).toHaveAccessibleDescription(/^In the 12 months from .+, [\d,]+ requests? (was|were) received, [\d,]+ completed and [\d,]+ refused\./);
  // The wide drawing, loaded, with this month's bars counted as the table counts them (asked for again just now,
  // so perhaps with a request or two more from the other tests).
  const drawn = await chart.evaluate((img: HTMLImageElement) => ({ src: img.currentSrc, natural: img.naturalWidth }));
  expect(drawn).toEqual({ src: expect.stringContaining("/staff/reports/chart.svg?months=12&size=wide"), natural: 720 });
  const image = await page.request.get(drawn.src);
  expect(image.headers()["content-type"]).toBe("image/svg+xml; charset=utf-8");
  const bars = new RegExp(`<title>${month.label}: (\\d+) received, `).exec(await image.text());
  expect(Number(bars?.[1])).toBeGreaterThanOrEqual(received);
  expect(Number(bars?.[1])).toBeLessThanOrEqual(countRows("requests", "substr(received_on, 1, 7) = ?", month.key));
  // Asked again with its ETag it is "not modified", unless the figures changed in between, when it is drawn anew.
  await expect
    .poll(async () => {
      const first = await page.request.get(drawn.src);
      const again = await page.request.get(drawn.src, { headers: { "if-none-match": first.headers().etag! } });
      if (again.status() === 200) expect(await again.text()).not.toBe(await first.text());
      return again.status();
    })
    .toBe(304);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Request log (CSV)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^requests-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await file.path(), "utf8");
  expect(csv.split("\r\n")[0]).toBe(
    "\uFEFFreference,type,status,channel,subject_email,received_at,received_on,due_on,closed_at,assignee_email,extended,days_clock_stopped",
  );
  expect(csv).toMatch(new RegExp(`\\r\\n${reference},concern,received,web,${uniqueEmail.replaceAll(".", "\\.")},${month.key}-\\d\\dT`));

  const requestsCsv = await page.request.get("/staff/reports/requests.csv");
  expect(requestsCsv.status()).toBe(200);
  expect(requestsCsv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(requestsCsv.headers()["content-disposition"]).toMatch(/^attachment; filename="requests-\d{4}-\d{2}-\d{2}\.csv"$/);
  expect(requestsCsv.headers()["cache-control"]).toContain("no-store");
  expect(await requestsCsv.text()).toContain(reference);

  const eventsCsv = await page.request.get("/staff/reports/events.csv");
  expect(eventsCsv.status()).toBe(200);
  expect(eventsCsv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(eventsCsv.headers()["content-disposition"]).toMatch(/^attachment; filename="request-events-\d{4}-\d{2}-\d{2}\.csv"$/);
  // The log names staff, not supporters: the request row says whose it is (an erased address must be able to leave every table).
  expect(await eventsCsv.text()).toMatch(new RegExp(`\\r\\n\\d+,${reference},[^,]+,supporter,,filed,,received,,[0-9a-f]{64}\\r\\n`));
});

test("an admin can switch the period shown", async ({ page }) => {
  await signInAs(page, "admin@example.org");
  await page.goto("/staff/reports");
  await expect(page.getByRole("link", { name: "Last 12 months" })).toHaveAttribute("aria-current", "page");
  await page.getByRole("link", { name: "Last 3 months" }).click();
  await expect(page).toHaveURL(/\/staff\/reports\?months=3$/);
  await expect(page.locator("table").first().locator("tbody tr")).toHaveCount(3);
  await expect(page.getByRole("img", { name: /per month/ })).toHaveAccessibleDescription(/^(In|No requests .* in) the 3 months from /);
  // A period not offered falls back to the default rather than failing.
  await page.goto("/staff/reports?months=999");
  await expect(page.locator("table").first().locator("tbody tr")).toHaveCount(12);
});

test("a supporter gets a plain 404 for the reports page and both downloads", async ({ page, uniqueEmail }) => {
  // Confirming the request signs the supporter in.
  const { reference } = await fileAndConfirm(page, { type: "access", email: uniqueEmail });
  for (const path of PATHS) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(404);
    expect(response.headers()["content-type"], path).not.toContain("text/csv");
    expect(response.headers()["content-disposition"], path).toBeUndefined();
    const body = await response.text();
    for (const secret of [reference, uniqueEmail, "subject_email", "Requests per month"]) expect(body, path).not.toContain(secret);
  }
  await page.goto("/staff/reports");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("a visitor with no session, or a forged one, gets no data", async ({ request }) => {
  for (const path of PATHS) {
    for (const headers of [{}, { cookie: "next-auth.session-token=forged" }] as Array<Record<string, string>>) {
      const response = await request.get(path, { headers, maxRedirects: 0 });
      expect(response.status(), path).toBe(307);
      expect(response.headers().location, path).toMatch(/\/signin\?next=%2Fstaff%2Freports/);
      expect(response.headers()["content-disposition"], path).toBeUndefined();
      const body = await response.text();
      expect(body, path).not.toContain("@example.org");
      expect(body, path).not.toContain("RD-");
    }
  }
});

test("the reports page has no serious or critical accessibility violations", async ({ page }) => {
  await signInAs(page, "staff@example.org");
  for (const [path, width] of [["/staff/reports", 1280], ["/staff/reports?months=24", 1280], ["/staff/reports?months=24", 390]] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(path);
    expect(await seriousViolations(page), `${path} at ${width}px`).toEqual([]);
  }
});

test("the overdue figure reads as words, and on a phone the chart is drawn for its width with labels at a readable size", async ({ page }) => {
  await signInAs(page, "staff@example.org");
  await page.goto("/staff/reports");
  // "0 open requests", never "0open requests".
  expect(await page.locator("main p").filter({ hasText: "past the due date" }).first().innerText()).toMatch(/^[\d,]+ open requests? (is|are) past the due date/);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const chart = page.getByRole("img", { name: /^Requests received, completed and refused per month/ });
  await expect(chart).toHaveCount(1);
  await expect(chart).toBeVisible();
  // The browser chose the drawing made for a phone, and shows it at (nearly) its own size.
  const shown = await chart.evaluate((img: HTMLImageElement) => ({ src: img.currentSrc, natural: img.naturalWidth, width: img.getBoundingClientRect().width }));
  expect(shown.src).toContain("size=narrow");
  expect(shown.natural).toBe(360);
  const scale = shown.width / shown.natural;
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // The drawing opened on its own: month labels at least 10 pixels high as the page shows them, and none overlapping the next.
  await page.goto(shown.src);
  const labels = await page.locator("text[text-anchor=middle]").evaluateAll((texts) =>
    texts.map((t) => t.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => ({ left: r.left, right: r.right, top: r.top, height: r.height })),
  );
  expect(labels.length).toBeGreaterThan(3);
  for (const label of labels) expect(label.height * scale).toBeGreaterThanOrEqual(10);
  const monthRow = labels.filter((l) => l.top === labels[0]!.top).sort((a, b) => a.left - b.left);
  for (let i = 1; i < monthRow.length; i++) expect(monthRow[i]!.left).toBeGreaterThanOrEqual(monthRow[i - 1]!.right);

});
