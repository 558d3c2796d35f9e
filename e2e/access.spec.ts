import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { expect, signedInPage, test } from "./support/fixtures";
import { countRows, fileAndConfirm, queryDatabase } from "./support/journeys";
import { waitForMail } from "./support/mail";
import { seedSupporterRecords } from "./support/records";
import { uploadImport } from "./support/imports";

test("an imported donation reaches the supporter in their access export, and only them", async ({ page: supporter, browser, uniqueEmail }) => {
  // The import runs in a process of its own, which takes a few seconds to start on a busy machine.
  test.setTimeout(120_000);
  const tag = randomBytes(4).toString("hex");
  const admin = await signedInPage(browser, "admin@example.org");
  await uploadImport(
    admin,
    `crm-${tag}.csv`,
    [
      "kind,external_id,supporter_external_id,email,name,amount,currency,date,method,card_last4",
      `supporter,E2E-S-${tag},,${uniqueEmail.toUpperCase()},"Lovelace, Ada <b>",,,,,`,
      `donation,E2E-D-${tag},E2E-S-${tag},,,42.50,GBP,2025-03-01,card,4242`,
    ].join("\n"),
  );
  const result = admin.getByRole("region", { name: "Import complete" });
  await expect(result).toBeVisible({ timeout: 30_000 });
  await expect(result.locator("dl.facts")).toContainText("Created2");
  expect(countRows("supporters", "email = ?", uniqueEmail)).toBe(1);
  // The record says which file it came from (the supporter sees that); who uploaded it is kept for staff, on the import.
  expect(queryDatabase<{ source: string }>("select source from supporters where email = ?", uniqueEmail)).toEqual([{ source: `import: crm-${tag}.csv` }]);
  expect(queryDatabase<{ imported_by: string; status: string }>("select imported_by, status from import_jobs where filename = ?", `crm-${tag}.csv`)).toEqual([
    { imported_by: "admin@example.org", status: "done" },
  ]);

  const { reference } = await fileAndConfirm(supporter, { type: "access", email: uniqueEmail });
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff/requests/${reference}`);
  await reviewer.getByRole("button", { name: "Start review" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Review started.");
  const since = Date.now();
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Approved and carried out");

  const mail = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Your request ${reference} is complete$`), since });
  expect(mail.text).toContain(`/requests/${reference}`);
  expect(mail.text).not.toContain("42.50");
  // Nothing attached: the message is only its text and HTML alternatives.
  expect(mail.headers["content-type"]).not.toContain("multipart/mixed");

  await supporter.goto(`/requests/${reference}`);
  await expect(supporter.getByRole("heading", { name: "Your data" })).toBeVisible();
  const downloading = supporter.waitForEvent("download");
  await supporter.getByRole("link", { name: "Download your data (JSON file)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${reference}-data.json`);
  const doc = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  expect(doc.reference).toBe(reference);
  expect(doc.supporterDetails).toEqual([expect.objectContaining({ email: uniqueEmail, name: "Lovelace, Ada <b>" })]);
  expect(doc.donations).toEqual([{ externalId: `E2E-D-${tag}`, amount: "42.50", amountMinor: 4250, currency: "GBP", date: "2025-03-01", method: "card", cardLast4: "4242" }]);
  expect(doc.statement.purposes).toBeTruthy();
  expect(doc.rights.join(" ")).toContain("supervisory authority");

  const html = await supporter.request.get(`/requests/${reference}/export/html`);
  expect(html.status()).toBe(200);
  expect(html.headers()["content-type"]).toContain("text/html");
  // Nothing in it may run, load, post a form or be framed: the export's own policy, not the pages' (which allows this site's scripts, images and forms).
  const policy = new Map((html.headers()["content-security-policy"] ?? "").split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  expect(policy.get("default-src")).toEqual(["'none'"]);
  expect(policy.get("form-action")).toEqual(["'none'"]);
  expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  expect(policy.get("style-src")).toEqual([expect.stringMatching(/^'nonce-.{16,}'$/)]);
  const page = await html.text();
  expect(page).toContain("42.50 GBP");
  expect(page).toContain("4242");
  expect(page).toContain("Lovelace, Ada &lt;b&gt;");
  expect(page).not.toContain("Ada <b>");

  const downloads = queryDatabase<{ actor_type: string; actor_email: string; note: string }>(
    "select e.actor_type, e.actor_email, e.note from request_events e join requests r on r.id = e.request_id where r.reference = ? and e.action = 'downloaded' order by e.id",
    reference,
  );
  expect(downloads).toEqual([
    { actor_type: "supporter", actor_email: null, note: "JSON file" },
    { actor_type: "supporter", actor_email: null, note: "readable page" },
  ]);
  await supporter.reload();
  await expect(supporter.locator("ol.history")).toContainText("Data export downloaded");

  // Someone else, signed in, finds nothing there.
  const other = await signedInPage(browser, `other-${tag}@example.org`);
  for (const format of ["json", "html"]) {
    const response = await other.request.get(`/requests/${reference}/export/${format}`, { maxRedirects: 0 });
    expect(response.status(), format).toBe(404);
    expect(response.headers()["content-disposition"], format).toBeUndefined();
    const body = await response.text();
    expect(body, format).not.toContain(uniqueEmail);
    expect(body, format).not.toContain("42.50");
  }
  for (const path of ["/requests/RD-0000-0000/export/json", "/requests/not-a-reference/export/html"]) {
    expect((await other.request.get(path, { maxRedirects: 0 })).status(), path).toBe(404);
  }
  expect(countRows("request_events e join requests r on r.id = e.request_id", "r.reference = ? and e.action = 'downloaded'", reference)).toBe(2);
});

test("a file with bad rows is refused whole, naming each line, and nothing is stored", async ({ browser }) => {
  const tag = randomBytes(4).toString("hex");
  const admin = await signedInPage(browser, "admin@example.org");
  await uploadImport(
    admin,
    `bad-${tag}.csv`,
    [
      "kind,external_id,supporter_external_id,email,amount,currency,date,method,card_last4",
      `supporter,E2E-S-${tag},,bad-${tag}@example.org,,,,,`,
      `donation,E2E-D-${tag},E2E-S-${tag},,10.00,GBP,2025-03-01,card,4111111111111111`,
      `donation,E2E-D2-${tag},E2E-S-${tag},,ten,GBP,2025-03-01,cash,`,
    ].join("\n"),
  );
  const result = admin.getByRole("region", { name: "Nothing was imported" });
  await expect(result).toBeVisible({ timeout: 30_000 });
  await expect(result).toContainText("Line 3: card_last4 looks like a full card number");
  await expect(result).toContainText("Line 4: amount must be a positive number");
  await expect(result).not.toContainText("4111111111111111");
  await expect(admin).toHaveURL(/\/staff\/import\?job=\d+$/);
  // Once it has ended, the page says how, once, and no longer that it is being imported; a reload says the same.
  for (const when of ["ended", "reloaded"]) {
    if (when === "reloaded") await admin.reload();
    await expect(result, when).toBeVisible();
    await expect(admin.locator("main"), when).not.toContainText("is being imported");
    const text = (await admin.locator("main").textContent()) ?? "";
    expect(text.split(`Nothing was imported from bad-${tag}.csv`).length - 1, when).toBe(1);
  }
  expect(countRows("supporters", "external_id = ?", `E2E-S-${tag}`)).toBe(0);
  expect(countRows("donations", "external_id like ?", `%${tag}`)).toBe(0);
});

test("reviewers cannot reach the import or settings pages", async ({ browser }) => {
  const reviewer = await signedInPage(browser, "staff@example.org");
  for (const path of ["/staff/import", "/staff/settings"]) {
    await reviewer.goto(path);
    await expect(reviewer.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});

test("an admin saves the organisation's statement", async ({ browser }) => {
  const admin = await signedInPage(browser, "admin@example.org");
  await admin.goto("/staff/settings");
  await expect(admin.getByLabel("Purposes")).not.toBeEmpty();
  await admin.getByLabel("Donation retention (years)").fill("forty");
  await admin.getByRole("button", { name: "Save statement" }).click();
  await expect(admin.locator("main [role=alert]")).toContainText("whole number of years");
  await admin.getByLabel("Donation retention (years)").fill("6");
  await admin.getByRole("button", { name: "Save statement" }).click();
  await expect(admin.locator("main [role=status]").filter({ hasText: "Saved" })).toBeVisible();
  expect(queryDatabase<{ updated_by: string }>("select updated_by from org_statement")[0]?.updated_by).toBe("admin@example.org");
});

test("staff preview an access export before releasing it, then open what was sent; both looks are on the record, and the export holds the person's requests and emails", async ({
  page: supporter,
  browser,
  uniqueEmail,
}) => {
  seedSupporterRecords({ email: uniqueEmail, name: "Pria Preview" });
  const { reference } = await fileAndConfirm(supporter, { type: "access", email: uniqueEmail });
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff/requests/${reference}`);
  await reviewer.getByRole("button", { name: "Start review" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Review started.");
  const eventsBefore = countRows("request_events e join requests r on r.id = e.request_id", "r.reference = ?", reference);
  const versionBefore = queryDatabase<{ version: number }>("select version from requests where reference = ?", reference)[0]!.version;

  // The preview: the export as approval would build it, with a banner saying nothing was sent or stored.
  await reviewer.getByRole("button", { name: "Preview the export" }).click();
  await expect(reviewer.getByRole("note")).toContainText("Staff preview");
  await expect(reviewer.getByRole("heading", { level: 1 })).toHaveText("Your data held by Harbour Trust");
  await expect(reviewer.locator("section[aria-labelledby=details]")).toContainText("Pria Preview");
  expect(countRows("access_exports x join requests r on r.id = x.request_id", "r.reference = ?", reference)).toBe(0);
  expect(queryDatabase<{ version: number }>("select version from requests where reference = ?", reference)[0]!.version).toBe(versionBefore);
  expect(
    queryDatabase<{ action: string; actor_email: string }>(
      "select e.action, e.actor_email from request_events e join requests r on r.id = e.request_id where r.reference = ? order by e.id desc limit 1",
      reference,
    ),
  ).toEqual([{ action: "export_previewed", actor_email: "staff@example.org" }]);
  expect(countRows("request_events e join requests r on r.id = e.request_id", "r.reference = ?", reference)).toBe(eventsBefore + 1);

  await reviewer.goto(`/staff/requests/${reference}`);
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Approved and carried out");
  await expect(reviewer.getByRole("button", { name: "Preview the export" })).toHaveCount(0);
  await reviewer.getByRole("button", { name: "Open the export as sent" }).click();
  await expect(reviewer.getByRole("note")).toContainText("The export as sent to the supporter");
  // The person's own requests and the emails sent to them are part of their data.
  const requests = reviewer.locator("section[aria-labelledby=requests]");
  await expect(requests.getByRole("heading", { level: 3 })).toContainText(["See my data"]);
  await expect(requests).toContainText(reference);
  const emails = reviewer.locator("section[aria-labelledby=emails]");
  await expect(emails).toContainText(`We have received your request ${reference}`);
  await expect(emails).toContainText("A link to sign in or to confirm a request. We do not keep the text of these");
  await expect(reviewer.getByRole("navigation", { name: "Contents" }).getByRole("link")).toHaveText([
    "Your details",
    "Donations",
    "Memberships",
    "Mailing lists",
    "Petitions signed",
    "Correspondence",
    "Visits to our website",
    "Your requests to us",
    "Emails we sent you",
    "Your choices about our emails and your data",
    "History of your choices",
    "How we use your data",
    "Your rights",
  ]);
  expect(
    queryDatabase<{ action: string }>("select e.action from request_events e join requests r on r.id = e.request_id where r.reference = ? order by e.id desc limit 1", reference),
  ).toEqual([{ action: "export_opened" }]);

  // The supporter's history shows neither look: they are staff's own record.
  await supporter.goto(`/requests/${reference}`);
  await expect(supporter.locator("ol.history")).not.toContainText("previewed");
  await expect(supporter.locator("ol.history")).not.toContainText("opened by staff");
  // ...and its words are about this page, not an email's.
  await expect(supporter.locator("ol.history")).toContainText("Your data is ready. Download it from this page");
  await expect(supporter.locator("ol.history")).not.toContainText("Nothing is attached to this email");

  // The readable copy on a phone: the portal's look, every table a list of cards, nothing wider than the screen.
  await supporter.setViewportSize({ width: 390, height: 844 });
  await supporter.goto(`/requests/${reference}/export/html`);
  await expect(supporter.getByRole("heading", { level: 1 })).toHaveText("Your data held by Harbour Trust");
  expect(await supporter.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await supporter.locator("tbody tr").first().evaluate((row) => getComputedStyle(row).display)).toBe("block");
  await expect(supporter.locator("section[aria-labelledby=details] td").filter({ hasText: "Our records (e2e), first recorded on" })).toBeVisible();
  await supporter.emulateMedia({ media: "print" });
  expect(await supporter.locator("header.band").evaluate((band) => getComputedStyle(band).backgroundColor)).toBe("rgba(0, 0, 0, 0)");
});
