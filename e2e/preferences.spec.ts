/**
 * Choices, list by list: the preference link in a real received email, the
 * one-click unsubscribe of a message about one list, Global Privacy
 * Control, an import that must not sign anyone back up, and the consent
 * history in the access export.
 */
import { randomBytes } from "node:crypto";
import { seriousViolations } from "./support/axe";
import fs from "node:fs";
import { signPreferenceToken } from "../lib/mail/preference-link";
import { expect, requestSignInLink, signInAs, signedInPage, test } from "./support/fixtures";
import { countRows, fileAndConfirm, queryDatabase, REFERENCE } from "./support/journeys";
import { waitForMail, type Mail } from "./support/mail";
import { seedSupporterRecords } from "./support/records";
import { readServerState } from "./support/server";
import { uploadImport } from "./support/imports";

/** The footer's link to the recipient's own choices. */
function preferenceLink(mail: Mail): string {
  const link = [...mail.htmlLinks, ...mail.links].find((url) => /\/preferences\/[^/]+$/.test(url));
  if (!link) throw new Error(`No preference link in "${mail.subject}" (${mail.file}).`);
  return link;
}

function oneClickLink(mail: Mail): string {
  const link = /<(https?:\/\/[^>]+\/unsubscribe\/[^>]+)>/.exec(mail.headers["list-unsubscribe"] ?? "")?.[1];
  if (!link) throw new Error(`No List-Unsubscribe address in "${mail.subject}": ${mail.headers["list-unsubscribe"]}`);
  return link;
}

function openLists(email: string): string[] {
  return queryDatabase<{ list: string }>(
    "select distinct s.list from subscriptions s join supporters p on p.id = s.supporter_id where p.email = ? and s.unsubscribed_at is null order by s.list",
    email,
  ).map((r) => r.list);
}

/** What a scanner must not change: requests, choices, open subscriptions. */
function footprint(email: string) {
  return {
    requests: countRows("requests", "subject_email = ?", email),
    changes: countRows("consent_changes", "email = ?", email),
    open: openLists(email),
    mails: countRows("mail_outbox", "to_address = ?", email),
  };
}

test("from a real email the preference link opens without signing in, a scanner's GET changes nothing, and one list off leaves the others on, on the record", async ({
  page,
  request,
  uniqueEmail,
}) => {
  seedSupporterRecords({ email: uniqueEmail, lists: ["newsletter", "alerts", "appeals"] });
  const since = await requestSignInLink(page, uniqueEmail);
  const mail = await waitForMail({ to: uniqueEmail, since, subject: /^Your sign-in link for / });
  expect(mail.text).toContain("Choose which emails you get from Harbour Trust");
  expect(mail.text).toContain("unsubscribe from all lists");
  const link = preferenceLink(mail);

  // Mail scanners fetch and preview links: nothing changes, however often.
  const before = footprint(uniqueEmail);
  for (let i = 0; i < 3; i++) expect((await request.get(link)).status()).toBe(200);
  expect((await request.head(link)).status()).toBe(200);
  await page.context().clearCookies();
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Your email choices" })).toBeVisible();
  await expect(page.getByText(`For ${uniqueEmail}.`)).toBeVisible();
  expect(footprint(uniqueEmail)).toEqual(before);

  // Every list, on or off, with "none of these" first.
  const boxes = page.getByRole("checkbox");
  await expect(boxes.first()).toHaveAccessibleName(/^None of these: take me off every list/);
  for (const list of ["Newsletter", "Alerts", "Appeals"]) await expect(page.getByRole("checkbox", { name: list, exact: true })).toBeChecked();

  await page.getByRole("checkbox", { name: "Appeals", exact: true }).uncheck();
  const saved = Date.now();
  await page.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.getByRole("status")).toContainText("Your choices are saved and took effect at once.");
  await expect(page.getByRole("checkbox", { name: "Appeals", exact: true })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Newsletter", exact: true })).toBeChecked();
  expect(openLists(uniqueEmail)).toEqual(["alerts", "newsletter"]);

  // On the record: the choice with the words shown, filed as a request that carried itself out.
  const [change] = queryDatabase<{ list: string; state: string; route: string; wording: string; reference: string; status: string }>(
    "select c.list, c.state, c.route, c.wording, r.reference, r.status from consent_changes c join requests r on r.id = c.request_id where c.email = ?",
    uniqueEmail,
  );
  expect(change).toMatchObject({
    list: "appeals",
    state: "withdrawn",
    route: "page",
    wording: 'Preference page. "Which emails would you like from Harbour Trust?" "Appeals" not ticked.',
    status: "completed",
  });
  await expect(page.getByRole("status")).toContainText(`request ${change!.reference}`);
  const confirmation = await waitForMail({ to: uniqueEmail, since: saved, subject: new RegExp(`^You have left a mailing list \\(${change!.reference}\\)$`) });
  expect(confirmation.text).toContain("We have taken this address off the list “Appeals”.");
});

test("a message about one list carries a one-click unsubscribe that ends that list only; its footer offers every list", async ({ page, request, uniqueEmail }) => {
  seedSupporterRecords({ email: uniqueEmail, lists: ["newsletter", "alerts"] });
  // Someone else is on the events list, so the organisation has it.
  seedSupporterRecords({ email: `other-${uniqueEmail}`, lists: ["events"] });
  const since = await requestSignInLink(page, uniqueEmail);
  await page.context().clearCookies();
  await page.goto(preferenceLink(await waitForMail({ to: uniqueEmail, since, subject: /^Your sign-in link for / })));
  await expect(page.getByRole("checkbox", { name: "Events", exact: true })).not.toBeChecked();
  await page.getByRole("checkbox", { name: "Events", exact: true }).check();
  const joinedAt = Date.now();
  await page.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.getByRole("status")).toContainText("We have emailed you about the list you joined.");
  expect(openLists(uniqueEmail)).toEqual(["alerts", "events", "newsletter"]);
  expect(queryDatabase<{ route: string; state: string }>("select route, state from consent_changes where email = ? and list = 'events'", uniqueEmail)).toEqual([
    { route: "page", state: "granted" },
  ]);

  // The email about that list: its header's one-click address ends "events" alone.
  const welcome = await waitForMail({ to: uniqueEmail, since: joinedAt, subject: /^You joined a mailing list$/ });
  expect(welcome.text).toContain("You chose to get the emails of the list “Events”.");
  expect(welcome.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  const footerAll = welcome.htmlLinks.find((url) => url.includes("/unsubscribe/"));
  expect(footerAll, "the footer's link to leave every list").toBeTruthy();
  expect(footerAll).not.toBe(oneClickLink(welcome));
  const answer = await request.post(oneClickLink(welcome), { headers: { "content-type": "application/x-www-form-urlencoded" }, data: "List-Unsubscribe=One-Click" });
  expect(answer.status()).toBe(200);
  expect(await answer.text()).toBe("Unsubscribed.");
  expect(openLists(uniqueEmail)).toEqual(["alerts", "newsletter"]);
  expect(queryDatabase<{ route: string; state: string }>("select route, state from consent_changes where email = ? and list = 'events' order by id", uniqueEmail)).toEqual([
    { route: "page", state: "granted" },
    { route: "one_click", state: "withdrawn" },
  ]);
  expect(countRows("consent_changes", "email = ? and topic = 'all_lists'", uniqueEmail)).toBe(0);

  // Opened in a browser, the footer's "all lists" link offers the button, and leaving every list is one press.
  await page.goto(footerAll!);
  await page.getByRole("button", { name: "Unsubscribe from every Harbour Trust mailing list" }).click();
  await expect(page.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
  expect(openLists(uniqueEmail)).toEqual([]);
  expect(queryDatabase<{ route: string }>("select route from consent_changes where email = ? and topic = 'all_lists'", uniqueEmail)).toEqual([{ route: "page" }]);
});

test("a browser sending Sec-GPC: 1 sees the acknowledgement, and for the person signed in the opt-out is recorded", async ({ browser, request, uniqueEmail }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { "Sec-GPC": "1" } });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("status").filter({ hasText: "Your browser's privacy signal was received." })).toContainText(
    "an objection, made by automated means (GDPR Article 21(5))",
  );
  expect(countRows("consents", "email = ?", uniqueEmail)).toBe(0);

  await signInAs(page, uniqueEmail);
  await expect(page.getByRole("status").filter({ hasText: "Your browser's privacy signal was received." })).toContainText(`It is now on record for ${uniqueEmail}`);
  expect(queryDatabase<{ topic: string; state: string; route: string }>("select topic, state, route from consents where email = ?", uniqueEmail)).toEqual([
    { topic: "sale_sharing", state: "withdrawn", route: "gpc" },
  ]);
  await page.goto("/requests/preferences");
  await expect(page.getByRole("status").filter({ hasText: "Your browser's privacy signal was received." })).toContainText("It is on record for");
  await expect(page.getByText("Your objection to us selling or sharing your personal information is on record since")).toBeVisible();
  expect(countRows("consent_changes", "email = ?", uniqueEmail)).toBe(1);

  // A browser without the signal is told nothing of it, and the POST alone records nothing: the header must come with it.
  const plain = await signedInPage(browser, `plain-${uniqueEmail}`);
  await plain.goto("/requests");
  await expect(plain.getByText("Your browser's privacy signal was received.")).toHaveCount(0);
  const forged = await plain.request.post("/privacy-signal", { headers: { origin: process.env.E2E_BASE_URL ?? "", accept: "application/json" }, form: { back: "/requests" } });
  expect(forged.status()).toBe(400);
  expect((await forged.json()).error).toContain("did not send the privacy signal");
  expect(countRows("consents", "email = ?", `plain-${uniqueEmail}`)).toBe(0);

  // The GPC support resource.
  const resource = await request.get("/.well-known/gpc.json");
  expect(resource.status()).toBe(200);
  expect(resource.headers()["content-type"]).toContain("application/json");
  expect(await resource.json()).toEqual({ gpc: true, lastUpdate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  await context.close();
  await plain.context().close();
});

test("an import that lists the person on a list they left does not sign them up again, and the access export holds the consent history", async ({
  page,
  browser,
  uniqueEmail,
}) => {
  test.setTimeout(180_000);
  const tag = randomBytes(4).toString("hex");
  const admin = await signedInPage(browser, "admin@example.org");
  const header = "kind,external_id,supporter_external_id,email,list,at,ended_at";
  const rows = [`supporter,P-S-${tag},,${uniqueEmail},,,`, `subscription,P-L1-${tag},P-S-${tag},,newsletter,2025-01-01,`, `subscription,P-L2-${tag},P-S-${tag},,appeals,2025-01-01,`];
  await uploadImport(admin, `crm-${tag}.csv`, [header, ...rows].join("\n"));
  await expect(admin.getByRole("region", { name: "Import complete" })).toBeVisible({ timeout: 30_000 });
  expect(openLists(uniqueEmail)).toEqual(["appeals", "newsletter"]);

  // The person leaves "appeals" from the link in an email.
  const since = await requestSignInLink(page, uniqueEmail);
  await page.context().clearCookies();
  await page.goto(preferenceLink(await waitForMail({ to: uniqueEmail, since, subject: /^Your sign-in link for / })));
  await page.getByRole("checkbox", { name: "Appeals", exact: true }).uncheck();
  await page.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.getByRole("status")).toContainText("Your choices are saved");
  expect(openLists(uniqueEmail)).toEqual(["newsletter"]);

  // The CRM still has them on it, and a second record of theirs on it too: both kept off, and the report says so.
  await uploadImport(admin, `crm-again-${tag}.csv`, [header, ...rows, `supporter,P-S2-${tag},,${uniqueEmail},,,`, `subscription,P-L3-${tag},P-S2-${tag},,appeals,2026-06-01,`].join("\n"));
  const report = admin.getByRole("region", { name: "Import complete" });
  await expect(report).toBeVisible({ timeout: 30_000 });
  const kept = admin.getByRole("region", { name: "Subscriptions kept as the person chose" });
  await expect(kept).toContainText('Line 4: kept off the list "appeals", which this address left on');
  await expect(kept).toContainText("Line 6: kept off the list");
  expect(openLists(uniqueEmail)).toEqual(["newsletter"]);

  // The access export holds the history: the organisation's consent as imported, then the choice on the page.
  const { reference } = await fileAndConfirm(page, { type: "access", email: uniqueEmail });
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff/requests/${reference}`);
  await reviewer.getByRole("button", { name: "Start review" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Review started.");
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Approved and carried out");
  await page.goto(`/requests/${reference}`);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download your data (JSON file)" }).click();
  const doc = JSON.parse(fs.readFileSync(await (await downloading).path(), "utf8"));
  expect(doc.version).toBe(4);
  expect(doc.choiceHistory.map((c: { list: string; state: string; how: string }) => `${c.list}:${c.state}:${c.how}`)).toEqual([
    "newsletter:granted:import",
    "appeals:granted:import",
    "appeals:withdrawn:page",
  ]);
  expect(doc.choiceHistory[0]).toMatchObject({ source: `import: crm-${tag}.csv`, wording: `The organisation's records (import: crm-${tag}.csv): on the list since 2025-01-01.` });
  expect(doc.choiceHistory[2].wording).toContain('"Appeals" not ticked.');
  expect(doc.choiceHistory[2].reference).toMatch(REFERENCE);
  expect(doc.choices).toEqual(
    expect.arrayContaining([expect.objectContaining({ topic: "mailing_list", list: "appeals", state: "withdrawn", how: "page" })]),
  );
  const html = await (await page.request.get(`/requests/${reference}/export/html`)).text();
  expect(html).toContain("History of your choices");
  expect(html).toContain("on our preference page");
});

test("bad input gets a sentence, never a 500: a forged or expired link, an unknown list, a tampered form; a list's words are shown as text", async ({
  page,
  browser,
  uniqueEmail,
}) => {
  // A list of its own, so the words an admin gives it below reach no other test's page.
  const words = `words-${randomBytes(3).toString("hex")}`;
  seedSupporterRecords({ email: uniqueEmail, lists: ["newsletter", words] });
  const since = await requestSignInLink(page, uniqueEmail);
  const link = preferenceLink(await waitForMail({ to: uniqueEmail, since, subject: /^Your sign-in link for / }));
  await page.context().clearCookies();

  // A forged link: its page says it does not work.
  const forged = await page.goto(`${link.slice(0, -4)}abcd`);
  expect(forged?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "This link does not work" })).toBeVisible();

  // An expired link, signed as the server signs: its page offers a fresh one, sent to the address it names.
  const secret = readServerState().env.AUTH_SECRET ?? "";
  const old = signPreferenceToken(uniqueEmail, secret, new Date(Date.now() - 31 * 24 * 60 * 60 * 1000));
  const expired = await page.goto(`/preferences/${old}`);
  expect(expired?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
  const asked = Date.now();
  await page.getByRole("button", { name: "Email me a new link" }).click();
  await expect(page.getByRole("status")).toContainText("We have emailed a new link");
  const fresh = await waitForMail({ to: uniqueEmail, since: asked, subject: /^Your link to choose which emails you get$/ });
  const freshLink = fresh.htmlLinks.find((url) => /\/preferences\/[^/]+$/.test(url))!;
  await page.goto(freshLink);
  await expect(page.getByRole("heading", { name: "Your email choices" })).toBeVisible();
  // The token was never stored: the kept copy points at the signed-in page.
  const token = freshLink.split("/preferences/")[1]!;
  expect(countRows("mail_outbox", "text_body like ? or html_body like ? or props like ?", `%${token}%`, `%${token}%`, `%${token}%`)).toBe(0);

  // A list the organisation does not have, slipped into the form: a sentence, and nothing changes.
  const before = footprint(uniqueEmail);
  await page.goto(link);
  await page.evaluate(() => {
    const form = document.querySelector('form[action="/preferences/save"]')!;
    for (const [name, value] of [
      ["shown", "made-up-list"],
      ["list", "made-up-list"],
    ]) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name!;
      input.value = value!;
      form.append(input);
    }
  });
  await page.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "One of the lists" })).toHaveText(
    "One of the lists on the page is not one we offer now, so nothing was changed. Here are the lists as they are now: please choose again.",
  );
  // A list ticked that the page never showed: refused whole.
  await page.evaluate(() => {
    const form = document.querySelector('form[action="/preferences/save"]')!;
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "list";
    input.value = "never-shown";
    form.append(input);
  });
  await page.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This form arrived" })).toContainText("This form arrived in a shape we do not understand");
  expect(footprint(uniqueEmail)).toEqual(before);

  // An admin's words for a list are shown as text, never as markup.
  const admin = await signedInPage(browser, "admin@example.org");
  await admin.goto("/staff/lists");
  const hostile = `<b>News ${randomBytes(3).toString("hex")}</b>`;
  const section = admin.locator("section").filter({ hasText: `Imported as "${words}"` });
  await section.getByLabel("Title").fill(hostile);
  await section.getByLabel("Description").fill("Monthly <script>alert(1)</script>");
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByRole("status")).toContainText("Saved.");
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.goto(link);
  await expect(page.getByRole("checkbox", { name: `${hostile} Monthly <script>alert(1)</script>` })).toBeVisible();
  expect(await page.locator("b", { hasText: "News" }).count()).toBe(0);
  expect(dialogs).toBe(0);
});

test("the preference pages, the privacy-signal notice and the admins' lists page have no serious or critical accessibility violations, on a phone too", async ({ browser, uniqueEmail }) => {
  test.slow();
  seedSupporterRecords({ email: uniqueEmail, lists: ["newsletter", "alerts"] });
  const context = await browser.newContext({ extraHTTPHeaders: { "Sec-GPC": "1" } });
  const page = await context.newPage();
  const since = await requestSignInLink(page, uniqueEmail);
  const link = preferenceLink(await waitForMail({ to: uniqueEmail, since, subject: /^Your sign-in link for / }));
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await page.goto(link);
    await page.getByRole("checkbox", { name: "Alerts", exact: true }).uncheck();
    await page.getByRole("button", { name: "Save my choices" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Your choices are saved" })).toBeVisible();
    expect(await seriousViolations(page), `${width} px preference page, saved`).toEqual([]);
    await page.goto("/preferences/made.up");
    expect(await seriousViolations(page), `${width} px a link that does not work`).toEqual([]);
  }
  await signInAs(page, uniqueEmail);
  await page.goto("/requests/preferences");
  await expect(page.getByRole("status").filter({ hasText: "Your browser's privacy signal was received." })).toBeVisible();
  expect(await seriousViolations(page), "signed-in preference page with the privacy-signal notice").toEqual([]);
  const admin = await signedInPage(browser, "admin@example.org");
  await admin.goto("/staff/lists");
  expect(await seriousViolations(admin), "the admins' lists page").toEqual([]);
  await context.close();
});

test.describe("a supporter whose browser speaks Spanish and sends Sec-GPC: 1", () => {
  test.use({ locale: "es-ES", extraHTTPHeaders: { "Sec-GPC": "1" } });

  test("reads the preference page, the acknowledgement and the unsubscribe page in Spanish; what they saw is recorded in Spanish, and the email confirming it is Spanish", async ({
    page,
    uniqueEmail,
  }) => {
    seedSupporterRecords({ email: uniqueEmail, lists: ["newsletter", "appeals"] });
    const secret = readServerState().env.AUTH_SECRET ?? "";
    await page.goto(`/preferences/${signPreferenceToken(uniqueEmail, secret, new Date())}`);
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page.getByRole("heading", { name: "Sus preferencias de correo" })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Hemos recibido la señal de privacidad de su navegador." })).toContainText("artículo 21, apartado 5, del RGPD");
    await expect(page.getByRole("group", { name: "¿Qué correos quiere recibir de Harbour Trust?" })).toBeVisible();
    await expect(page.getByRole("checkbox").first()).toHaveAccessibleName(/^Ninguno: quítenme de todas las listas/);

    await page.getByRole("checkbox", { name: "Appeals", exact: true }).uncheck();
    const saved = Date.now();
    await page.getByRole("button", { name: "Guardar mis preferencias" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Sus preferencias se han guardado" })).toContainText("Su baja consta como la solicitud RD-");

    // The words recorded are the ones the page showed; the request is Spanish, and so is its email. The signal came with the save.
    expect(
      queryDatabase<{ topic: string; route: string; wording: string; language: string | null }>(
        "select c.topic, c.route, c.wording, r.language from consent_changes c left join requests r on r.id = c.request_id where c.email = ? order by c.id",
        uniqueEmail,
      ),
    ).toEqual([
      { topic: "mailing_list", route: "page", wording: 'Preference page. "¿Qué correos quiere recibir de Harbour Trust?" "Appeals" not ticked.', language: "es" },
      { topic: "sale_sharing", route: "gpc", wording: expect.stringContaining("Sec-GPC: 1"), language: null },
    ]);
    const confirmation = await waitForMail({ to: uniqueEmail, since: saved, subject: /^Ha salido de una lista de correo \(RD-/ });
    expect(confirmation.html).toContain('lang="es"');
    expect(confirmation.text).toContain("Hemos quitado esta dirección de la lista «Appeals».");
    expect(confirmation.text).toContain("Elija qué correos recibe de Harbour Trust");

    // The footer's link to leave every list, opened in the browser: Spanish words and button, recorded as shown.
    const all = confirmation.htmlLinks.find((url) => url.includes("/unsubscribe/"));
    expect(all).toBeTruthy();
    await page.goto(all!);
    await expect(page.getByRole("heading", { name: "Dejar de recibir correos de Harbour Trust" })).toBeVisible();
    await page.getByRole("button", { name: "Darme de baja de todas las listas de Harbour Trust" }).click();
    await expect(page.getByRole("heading", { name: "Se ha dado de baja" })).toBeVisible();
    expect(openLists(uniqueEmail)).toEqual([]);
    expect(queryDatabase<{ wording: string }>("select wording from consent_changes where email = ? and topic = 'all_lists'", uniqueEmail)).toEqual([
      { wording: 'Unsubscribe page, from the link in an email. "Darme de baja de todas las listas de Harbour Trust" pressed.' },
    ]);
  });
});
