/**
 * Every page (read from the app/ folder) is served with the security
 * headers, and its scripts run only with that response's nonce.
 */
import { appRoutes } from "./support/app-routes";
import { harnessEnv } from "./support/env";
import { expect, signedInPage, test } from "./support/fixtures";
import { fileAndConfirm, queryDatabase, updateDatabase } from "./support/journeys";

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name ?? "", values]));
}

const ADMIN_PAGES = new Set([
  "/staff/team",
  "/staff/mail",
  "/staff/import",
  "/staff/lists",
  "/staff/settings",
  "/staff/systems",
  "/staff/systems/connect",
  "/staff/systems/[id]",
  "/staff/api",
  "/staff/api/subscriptions",
  "/staff/api/agents",
]);
/**
 * "Not found" here, headers and all: served only by a server started with BENCH_ROUTES=1 (npm run bench), a
 * connected system's page, which the shared tests have none of (e2e/connected-systems.spec.ts checks that page's
 * headers and nonces with its systems in place), or an agent's request page for a request that exists
 * (/agents/verify/ID, here with an id nobody holds).
 */
const BENCH_PAGES = new Set(["/bench/trivial", "/staff/bench/queue", "/staff/systems/[id]", "/agents/verify/[requestId]"]);

test("every page has the security headers, and no script runs without its nonce", async ({ page, browser, uniqueEmail }) => {
  test.setTimeout(120_000);
  const { reference } = await fileAndConfirm(page, { type: "access", email: uniqueEmail });
  const staff = await signedInPage(browser, "staff@example.org");
  const admin = await signedInPage(browser, "admin@example.org");
  const violations: string[] = [];
  const scriptBodies: Promise<[string, string]>[] = [];
  for (const p of [page, staff, admin]) {
    p.on("console", (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) violations.push(`${p.url()}: ${message.text()}`);
    });
    p.on("response", (response) => {
      if (response.request().resourceType() === "script") scriptBodies.push(response.text().then((body) => [response.url(), body], () => [response.url(), ""]));
    });
  }

  // A finished bulk action (none of the shared tests starts one), so /staff/bulk/[id] is checked as it is served;
  // removed again at the end, since the bulk test counts the actions it starts.
  const startedAt = Date.now();
  updateDatabase(
    "insert into bulk_jobs (action, params, started_by, status, total, done, moved, created_at, finished_at) values ('start_review', '{}', 'staff@example.org', 'done', 0, 0, 0, ?, ?)",
    startedAt,
    startedAt,
  );
  const bulkId = queryDatabase<{ id: number }>("select id from bulk_jobs where created_at = ? and total = 0", startedAt)[0]?.id;
  const concrete = (pattern: string) =>
    pattern
      .replace("[ref]", reference)
      .replace("/staff/bulk/[id]", `/staff/bulk/${bulkId}`)
      .replace("[id]", "999999").replace("[requestId]", "00000000-0000-0000-0000-000000000000");
  const nonces = new Set<string>();
  for (const pattern of appRoutes().pages) {
    // Some staff pages are for admins alone; a reviewer gets "not found" there.
    const viewer = ADMIN_PAGES.has(pattern) ? admin : pattern.startsWith("/staff") ? staff : page;
    const response = await viewer.goto(concrete(pattern));
    const headers = response?.headers() ?? {};
    const what = concrete(pattern);
    expect(response?.status(), what).toBe(BENCH_PAGES.has(pattern) ? 404 : 200);
    expect(headers["x-content-type-options"], what).toBe("nosniff");
    expect(headers["referrer-policy"], what).toBe("same-origin");
    expect(headers["x-frame-options"], what).toBe("DENY");
    // Served over http here, so no HSTS (it is sent when APP_URL is https; see lib/http/security-headers.test.ts).
    expect(headers["strict-transport-security"], what).toBeUndefined();
    const policy = directives(headers["content-security-policy"] ?? "");
    expect(policy.get("frame-ancestors"), what).toEqual(["'none'"]);
    expect(policy.get("object-src"), what).toEqual(["'none'"]);
    const scriptSources = policy.get("script-src") ?? [];
    expect(scriptSources, what).not.toContain("'unsafe-inline'");
    expect(scriptSources, what).not.toContain("'unsafe-eval'");
    const nonce = scriptSources.find((s) => s.startsWith("'nonce-"))?.slice(7, -1) ?? "";
    expect(nonce.length, what).toBeGreaterThanOrEqual(16);
    nonces.add(nonce);
    // A "not found" answer: the served HTML carries the nonce on every script, but in the browser it also holds a
    // script element without one, added at run time, so for it only the status and headers are checked.
    if (BENCH_PAGES.has(pattern)) continue;
    // Every script element in the page carries this response's nonce.
    const scripts = await viewer.locator("script").evaluateAll((elements) => elements.map((e) => (e as HTMLScriptElement).nonce));
    expect(scripts.length, what).toBeGreaterThan(0);
    for (const scriptNonce of scripts) expect(scriptNonce, what).toBe(nonce);
    // The page works: its scripts ran (React attached the form handlers).
    await expect(viewer.locator("body"), what).toBeVisible();
  }
  // A fresh nonce for every response.
  updateDatabase("delete from bulk_jobs where id = ?", bulkId);
  expect(nonces.size).toBe(appRoutes().pages.length);
  expect(violations).toEqual([]);
  // The message catalogues stay on the server (the client gets the few words its components need with the page): a
  // client component that imported something reading them sent every language's catalogue, 200 KB, to the browser.
  const scripts = await Promise.all(scriptBodies);
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter(([, body]) => body.includes("complainCcpa")).map(([url]) => url)).toEqual([]);
});

test("an inline script slipped into a page without the nonce does not run, and the page cannot be framed", async ({ page }) => {
  // The real response, headers and all, with a script added as if by an injection flaw.
  await page.route("**/signin", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace("</main>", "<script>window.__injected = true</script></main>");
    await route.fulfill({ response, body: html });
  });
  await page.goto("/signin");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected ?? false)).toBe(false);
  await page.unroute("**/signin");

  // The frame's one navigation is looked at once it has happened and its page has loaded.
  const navigated = page.waitForEvent("framenavigated", (f) => f !== page.mainFrame() && f.url() !== "about:blank");
  await page.setContent(`<iframe src="${harnessEnv("E2E_BASE_URL")}/" title="framed"></iframe>`);
  const frame = await navigated;
  await frame.waitForLoadState("load");
  // The browser shows its own "refused to connect" page in the frame, never the portal's.
  const framed = page.frames().filter((f) => f !== page.mainFrame());
  expect(framed.length).toBe(1);
  expect(framed[0]).toBe(frame);
  expect(frame.url()).toBe("chrome-error://chromewebdata/");
  expect(await frame.getByText("Your data, your rights").count()).toBe(0);
});

test("route handlers and refusals carry the headers too", async ({ request }) => {
  for (const response of [
    await request.get("/api/health"),
    await request.get("/api/auth/session"),
    await request.post("/api/auth/signin/email", { headers: { origin: "https://evil.example" } }),
  ]) {
    const headers = response.headers();
    expect(headers["x-content-type-options"], response.url()).toBe("nosniff");
    expect(headers["content-security-policy"], response.url()).toContain("frame-ancestors 'none'");
  }
});
