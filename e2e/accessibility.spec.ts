import type { Page } from "@playwright/test";
import { seriousViolations } from "./support/axe";
import { expect, requestSignInLink, signedInPage, signInAs, test } from "./support/fixtures";
import { fileAndConfirm } from "./support/journeys";

/**
 * What makes the page itself scroll sideways: nothing, when it fits its width. Otherwise the elements that reach past
 * the right edge outside any box that scrolls on its own (a table's scroll region), to say what to fix.
 */
async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return [];
    // Inside a box that clips it; something absolutely positioned is clipped only by a positioned box.
    const scrollsItself = (el: Element): boolean => {
      const absolute = getComputedStyle(el).position === "absolute";
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (["auto", "scroll", "hidden"].includes(style.overflowX) && (!absolute || style.position !== "static")) return true;
      }
      return false;
    };
    const over = [...document.body.querySelectorAll("*")].filter((e) => e.getBoundingClientRect().right > root.clientWidth + 0.5 && !scrollsItself(e));
    return [
      `the page is ${root.scrollWidth} px wide in ${root.clientWidth}`,
      ...over.slice(0, 8).map((e) => `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).split(" ").join(".")}` : ""} to ${Math.round(e.getBoundingClientRect().right)} px: ${(e.textContent ?? "").trim().slice(0, 60)}`),
    ];
  });
}


test("the check itself finds what it is there to find, and passes the same page once mended", async ({ page }) => {
  // A page of the portal, then the same page with four faults written into it: the check must name each.
  await page.goto("/verify");
  expect(await seriousViolations(page), "/verify before").toEqual([]);
  await page.evaluate(() => {
    const main = document.querySelector("main")!;
    main.insertAdjacentHTML(
      "beforeend",
      '<p id="faint" style="color:#c8c8c8;background:#ffffff">Too faint to read</p>' +
        '<input type="text" id="unlabelled">' +
        '<img src="/favicon.ico">' +
        '<p id="faint">The same id again</p>',
    );
  });
  const found = await seriousViolations(page);
  expect(found.map((v) => v.id).sort()).toEqual(["color-contrast", "id-given-twice", "image-alt", "label"]);
  expect(found.find((v) => v.id === "label")?.targets).toEqual(["#unlabelled"]);
  await page.evaluate(() => {
    for (const selector of ["#faint", "#faint", "#unlabelled", 'main img[src="/favicon.ico"]']) document.querySelector(selector)?.remove();
  });
  expect(await seriousViolations(page), "/verify mended").toEqual([]);
});

// The other public pages, in every language, with a form's errors and the switcher open: languages.spec.ts.
test("the receipt check has no serious or critical accessibility violations, with and without its answer", async ({ page }) => {
  await page.goto("/verify");
  expect(await seriousViolations(page), "/verify").toEqual([]);
  await page.getByLabel("Receipt").fill("Not a receipt at all");
  await page.getByRole("button", { name: "Check the receipt" }).click();
  await expect(page.locator(".error-summary")).toBeVisible();
  expect(await seriousViolations(page), "/verify with its answer").toEqual([]);
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
  // The settings page quotes the sentence supporters read about complaining (this server: gdpr, no COMPLAINT_AUTHORITY).
  await expect(page.getByText(/^Where supporters may complain:/)).toContainText("the Information Commissioner's Office, ico.org.uk");
  await page.goto("/staff/import");
  await page.getByLabel("CSV file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("kind,external_id\nrobot,X-1\n") });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  // The import runs in the background; the page shows its report when it ends.
  await expect(page.getByRole("region", { name: "Nothing was imported" })).toBeVisible({ timeout: 30_000 });
  // The action's answer refreshes the page's tree, head included: check once the title is back.
  await expect(page).toHaveTitle(/\S/);
  expect(await seriousViolations(page), "import report").toEqual([]);
});

test("at a phone's width (390 px) the staff and supporter pages, the export preview and the readable export have no serious or critical violations", async ({ page, browser, uniqueEmail }) => {
  test.slow(); // many pages in one test
  const { reference: access } = await fileAndConfirm(page, { type: "access", email: uniqueEmail });
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/", "/requests", `/requests/${access}`]) {
    await page.goto(path);
    expect(await seriousViolations(page), `390 px ${path}`).toEqual([]);
  }
  // "Check your inbox" with the address repeated and the form to send again.
  await page.context().clearCookies();
  await requestSignInLink(page, uniqueEmail);
  await expect(page.getByRole("button", { name: "Send the email again" })).toBeVisible();
  expect(await seriousViolations(page), "390 px check your inbox").toEqual([]);

  const { reference: erasure } = await fileAndConfirm(await browser.newPage(), { type: "erasure", email: `erase-${uniqueEmail}` });
  const admin = await signedInPage(browser, "admin@example.org");
  await admin.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/staff", "/staff/import", "/staff/reports", "/staff/settings", "/staff/team", "/staff/requests/new", `/staff/requests/${access}`]) {
    await admin.goto(path);
    expect(await seriousViolations(admin), `390 px ${path}`).toEqual([]);
  }
  // At 320 px (WCAG 1.4.10) no staff page scrolls sideways: a wide table reflows, or scrolls inside its own region.
  const { reference: correction } = await fileAndConfirm(await browser.newPage(), { type: "correction", email: `correct-${uniqueEmail}` });
  await admin.setViewportSize({ width: 320, height: 740 });
  for (const path of [
    "/staff",
    "/staff/team",
    "/staff/import",
    "/staff/reports",
    "/staff/settings",
    "/staff/requests/new",
    "/staff/mail",
    "/staff/lists",
    "/staff/systems",
    "/staff/api",
    "/staff/api/subscriptions",
    "/staff/api/agents",
    "/staff/account",
    `/staff/requests/${access}`,
    `/staff/requests/${correction}`,
  ]) {
    await admin.goto(path);
    expect(await sidewaysOverflow(admin), `320 px ${path}`).toEqual([]);
  }
  // ...the proposed changes being among them, in their own scroll region.
  await expect(admin.getByRole("region", { name: "Proposed changes, field by field" }).getByRole("table")).toBeVisible();
  await admin.setViewportSize({ width: 390, height: 844 });
  // An erasure in review: the lists of what goes and stays, and the confirmation to tick.
  await admin.goto(`/staff/requests/${erasure}`);
  await admin.getByRole("button", { name: "Start review" }).click();
  await expect(admin.getByRole("checkbox", { name: /^I have checked what approval does/ })).toBeVisible();
  expect(await seriousViolations(admin), "390 px erasure in review").toEqual([]);
  // The export preview, a page of its own.
  await admin.goto(`/staff/requests/${access}`);
  await admin.getByRole("button", { name: "Start review" }).click();
  // Once the page has come back from starting the review: a click while it re-renders can be lost.
  await expect(admin.getByRole("status")).toContainText("Review started.");
  await admin.getByRole("button", { name: "Preview the export" }).click();
  await expect(admin.getByRole("note")).toContainText("Staff preview");
  expect(await seriousViolations(admin), "390 px export preview").toEqual([]);
  await admin.setViewportSize({ width: 1280, height: 800 });
  expect(await seriousViolations(admin), "export preview").toEqual([]);
  // The readable export the supporter downloads, once approved.
  await admin.goto(`/staff/requests/${access}`);
  await admin.getByRole("button", { name: "Approve" }).click();
  await expect(admin.getByRole("status")).toContainText("Approved and carried out");
  await signInAs(page, uniqueEmail);
  await page.goto(`/requests/${access}/export/html`);
  expect(await seriousViolations(page), "390 px readable export").toEqual([]);
});

test("the API reference and the admin's pages for other programs have no serious or critical accessibility violations, also at a phone's width", async ({ page, browser }) => {
  test.slow(); // many pages in one test
  await page.goto("/developers");
  expect(await seriousViolations(page), "/developers").toEqual([]);
  const admin = await signedInPage(browser, "admin@example.org");
  for (const width of [1280, 390]) {
    await admin.setViewportSize({ width, height: 900 });
    for (const path of ["/staff/api", "/staff/api/subscriptions", "/staff/api/agents"]) {
      await admin.goto(path);
      expect(await seriousViolations(admin), `${width} px ${path}`).toEqual([]);
    }
  }
  // A form with its errors showing.
  await admin.goto("/staff/api");
  await admin.getByRole("button", { name: "Make a key" }).click();
  await expect(admin.locator(".error-summary")).toBeVisible();
  expect(await seriousViolations(admin), "the key form with errors").toEqual([]);
  await admin.context().close();
});

test("at 320 px a long address and a request waiting for the supporter do not make the supporter's or the queue's pages scroll sideways", async ({ page, browser, uniqueEmail }) => {
  // No hyphen, where a browser would break a line anyway: dots and digits, as many real addresses are.
  const email = `a.rather.long.address.${uniqueEmail.replace("-", ".")}`;
  const { reference } = await fileAndConfirm(page, { type: "correction", email });
  await page.setViewportSize({ width: 320, height: 740 });
  // "Signed in as <address>." heads both pages: the address wraps rather than pushing the page wider.
  for (const path of ["/requests", "/requests/preferences"]) {
    await page.goto(path);
    await expect(page.getByText(email).first()).toBeVisible();
    expect(await sidewaysOverflow(page), `320 px ${path}`).toEqual([]);
  }
  const { reference: access } = await fileAndConfirm(await browser.newPage(), { type: "access", email: `access.${email}` });
  const reviewer = await signedInPage(browser, "staff@example.org");
  // The readable export opens with the address too.
  await reviewer.goto(`/staff/requests/${access}`);
  await reviewer.getByRole("button", { name: "Start review" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Review started.");
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Approved and carried out");
  await signInAs(page, `access.${email}`);
  await page.goto(`/requests/${access}/export/html`);
  await expect(page.getByText(`access.${email}`).first()).toBeVisible();
  expect(await sidewaysOverflow(page), "320 px readable export").toEqual([]);

  await reviewer.goto(`/staff/requests/${reference}`);
  await reviewer.getByRole("button", { name: "Start review" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Review started.");
  await reviewer.getByLabel("Question for the supporter").fill("Which of your addresses should we keep?");
  await reviewer.getByRole("button", { name: "Send question" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Question sent.");
  await reviewer.setViewportSize({ width: 320, height: 740 });
  // Its card in the queue: the status "waiting for the supporter" wraps inside the card.
  await reviewer.goto(`/staff?q=${encodeURIComponent(email)}`);
  await expect(reviewer.getByRole("cell", { name: "waiting for the supporter" })).toBeVisible();
  expect(await sidewaysOverflow(reviewer), "320 px queue").toEqual([]);
});

test("the list of what to fix follows the order of the fields, so a keyboard or screen-reader user meets them as the form goes", async ({ page }) => {
  for (const [type, fill] of [
    ["correction", async () => page.getByLabel("New email address").fill("not an address")],
    ["concern", async () => page.getByLabel("Your concern").fill("x".repeat(5001))],
    ["erasure", async () => {}],
  ] as const) {
    await page.goto(`/new?type=${type}`);
    await fill();
    await page.getByRole("button", { name: "Continue" }).click();
    const summary = page.locator(".error-summary");
    await expect(summary).toBeFocused();
    // Where each link of the summary leads, in the order the page has those fields.
    const order = await summary.locator("a").evaluateAll((links) =>
      links.map((link) => {
        const target = document.querySelector(link.getAttribute("href") ?? "");
        return target ? [...document.querySelectorAll("[id]")].indexOf(target) : -1;
      }),
    );
    expect(order.length, type).toBeGreaterThan(1);
    expect(order.every((at) => at >= 0), type).toBe(true);
    expect(order, type).toEqual([...order].sort((a, b) => a - b));
  }
});
