/**
 * The portal and its emails in the supporter's own language: a browser that
 * asks for French is answered in French on every page and in every email,
 * a request keeps the language it was made in whatever the person switches
 * to later, bad input is refused in the language chosen, the switcher works
 * without JavaScript, the organisation's own words can be given per
 * language, and the public pages pass the accessibility check in every
 * language.
 */
import { seriousViolations } from "./support/axe";
import type { Browser, Page } from "@playwright/test";
import { expect, signInAs, test } from "./support/fixtures";
import { queryDatabase, REFERENCE } from "./support/journeys";
import { signInLink, waitForMail, type Mail } from "./support/mail";

const FRENCH_MONTH = /\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}/;
const SPANISH_MONTH = /\d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre) de \d{4}/;

/** Sentences only an English page or email would hold: none may appear in another language. */
const ENGLISH_GIVEAWAYS = ["Questions? Write to us", "your data rights", "Your request", "Sign in", "Skip to main content", "We will answer by"];

async function expectPageIn(page: Page, language: string, heading: string | RegExp): Promise<void> {
  await expect(page.locator("html")).toHaveAttribute("lang", language);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(heading);
  if (language === "en") return;
  const text = await page.locator("body").innerText();
  for (const english of ENGLISH_GIVEAWAYS) expect(text, `${page.url()} shows "${english}"`).not.toContain(english);
}

function expectMailIn(mail: Mail, language: string, says: RegExp): void {
  expect(mail.html, mail.subject).toContain(`lang="${language}"`);
  expect(mail.text, mail.subject).toMatch(says);
  for (const english of ENGLISH_GIVEAWAYS) expect(mail.text, `${mail.subject} says "${english}"`).not.toContain(english);
}

/** Staff in a browser of their own that speaks English, whatever the test's supporter speaks. */
async function staffPage(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: "en-GB" })).newPage();
  await signInAs(page, email);
  return page;
}


/** Opens the switcher (a disclosure in the header) and presses the button of one language. */
async function switchTo(page: Page, language: string): Promise<void> {
  await page.locator(".language-switcher summary").click();
  await page.getByRole("button", { name: language, exact: true }).click();
}

test.describe("a supporter whose browser asks for French", () => {
  test.use({ locale: "fr-FR" });

  test("files and confirms a request in French, every page and email in French; switching to Spanish changes the pages, not the request's emails", async ({ page, browser, uniqueEmail }) => {
    test.slow(); // a whole journey, with staff, in two languages
    await page.goto("/");
    await expectPageIn(page, "fr", "Vos données, vos droits");
    await page.getByRole("link", { name: "Demander à voir vos données" }).click();
    await expectPageIn(page, "fr", "Faire une demande");

    // Bad input is refused in French.
    await page.getByLabel("Votre adresse e-mail").fill("pas-une-adresse");
    await page.getByRole("button", { name: "Continuer" }).click();
    await expect(page.locator(".error-summary")).toContainText("Il y a un problème");
    await expect(page.locator("#field-email-error")).toContainText("Votre adresse e-mail doit être une adresse valide, comme nom@exemple.org.");
    // French punctuation: a (no-break) space before each colon, in the summary and the request types alike.
    expect(await page.locator(".error-summary li").first().textContent()).toMatch(/^Adresse e-mail\u00a0: Votre adresse e-mail doit être/);
    expect(await page.locator("label[for=type-access]").textContent()).toMatch(/^Voir mes données\u00a0: /);
    expect(await seriousViolations(page), "the French form with its errors").toEqual([]);

    const since = Date.now();
    await page.getByLabel("Votre adresse e-mail").fill(uniqueEmail);
    await page.getByRole("button", { name: "Continuer" }).click();
    await expectPageIn(page, "fr", "Consultez votre boîte de réception");
    await expect(page.locator("main")).toContainText(uniqueEmail);

    const confirmation = await waitForMail({ to: uniqueEmail, subject: /^Confirmez votre demande à /, since });
    expectMailIn(confirmation, "fr", /Vous nous avez demandé\s?:\s«\sVoir mes données\s»/);
    expect(confirmation.text).toMatch(/Des questions\s?\? Écrivez-nous à/);

    await page.goto(signInLink(confirmation));
    await expectPageIn(page, "fr", "Confirmez votre demande");
    await page.getByRole("button", { name: "Confirmer ma demande" }).click();
    await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
    const reference = REFERENCE.exec(page.url())?.[0] ?? "";
    await expectPageIn(page, "fr", "Voir mes données");
    await expect(page.getByRole("status")).toContainText(/Merci\s?: votre adresse e-mail est confirmée/);
    await expect(page.locator("dl.facts")).toContainText("reçue");
    await expect(page.locator("dl.facts")).toContainText(FRENCH_MONTH);
    await expect(page.locator("ol.history")).toContainText("Demande reçue et adresse e-mail confirmée");
    expect(await page.locator("ol.history li").first().textContent()).toMatch(/\d\u00a0: Demande reçue/);
    expect(await seriousViolations(page), "the French request page").toEqual([]);
    expect(queryDatabase<{ language: string }>("select language from requests where reference = ?", reference)).toEqual([{ language: "fr" }]);

    const receipt = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Nous avons bien reçu votre demande ${reference}$`), since });
    expectMailIn(receipt, "fr", /Réponse au plus tard le\s?: /);
    expect(receipt.text).toMatch(FRENCH_MONTH);

    await page.goto("/requests");
    await expectPageIn(page, "fr", "Vos demandes");
    expect(await seriousViolations(page), "the French list of requests").toEqual([]);

    // Staff read the request in English, told which language to answer in.
    const reviewer = await staffPage(browser, "staff@example.org");
    await reviewer.goto(`/staff/requests/${reference}`);
    await expect(reviewer.locator("html")).toHaveAttribute("lang", "en");
    await expect(reviewer.locator("dl.facts")).toContainText("French: the supporter's emails are in it");

    // The supporter switches to Spanish: the page, and every page after, is Spanish.
    await page.goto(`/requests/${reference}`);
    await switchTo(page, "Español");
    await expect(page).toHaveURL(new RegExp(`/requests/${reference}$`));
    await expectPageIn(page, "es", "Ver mis datos");
    await expect(page.locator("dl.facts")).toContainText("recibida");
    await expect(page.locator("dl.facts")).toContainText(SPANISH_MONTH);
    expect(await seriousViolations(page), "the Spanish request page").toEqual([]);
    await page.goto("/");
    await expectPageIn(page, "es", "Sus datos, sus derechos");

    // Bad input is now refused in Spanish.
    await page.goto("/new?type=concern");
    await page.getByRole("button", { name: "Enviar mi solicitud" }).click();
    await expect(page.locator(".error-summary")).toContainText("Hay un problema");
    await expect(page.locator("#field-message-error")).toContainText("Cuéntenos cuál es su inquietud.");

    // A later email about the French request is still French, right to complain included.
    const refusedAt = Date.now();
    const reason = "Nous avons déjà répondu à cette même demande il y a deux semaines.";
    await reviewer.getByLabel("Reason for refusing").fill(reason);
    await reviewer.getByRole("button", { name: "Refuse the request" }).click();
    await expect(reviewer.getByRole("status")).toContainText("Refused");
    const refusal = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Notre décision sur votre demande ${reference}$`), since: refusedAt });
    expectMailIn(refusal, "fr", /Nous ne pouvons pas donner suite à votre demande «\sVoir mes données\s»/);
    expect(refusal.text).toContain(reason);
    expect(refusal.text).toMatch(/droit de déposer une plainte auprès d’une autorité de contrôle/);

    // …while the supporter, who chose Spanish, reads the refusal on the page in Spanish.
    await page.goto(`/requests/${reference}`);
    await expect(page.locator("dl.facts")).toContainText("denegada");
    await expect(page.locator("ol.history")).toContainText("Solicitud denegada");
  });

  test("a sign-in link asked for in French comes in French", async ({ page, uniqueEmail }) => {
    await page.goto("/signin");
    await expectPageIn(page, "fr", "Connexion");
    await page.getByRole("button", { name: "M’envoyer un lien de connexion" }).click();
    await expect(page.locator("#field-email-error")).toContainText("Indiquez votre adresse e-mail.");
    const since = Date.now();
    await page.getByLabel("Adresse e-mail").fill(uniqueEmail);
    await page.getByRole("button", { name: "M’envoyer un lien de connexion" }).click();
    await expectPageIn(page, "fr", "Consultez votre boîte de réception");
    const mail = await waitForMail({ to: uniqueEmail, subject: /^Votre lien de connexion pour /, since });
    expectMailIn(mail, "fr", /appuyez sur «\sMe connecter\s»/);
    await page.goto(signInLink(mail));
    await expectPageIn(page, "fr", /^Se connecter à /);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false, locale: "en-GB" });

  test("the switcher is a form: choosing German brings the same page back in German and keeps to it; no GET changes the language", async ({ page, request }) => {
    await page.goto("/new?type=erasure");
    await expectPageIn(page, "en", "Make a request");
    await switchTo(page, "Deutsch");
    await expect(page).toHaveURL(/\/new\?type=erasure$/);
    await expectPageIn(page, "de", "Eine Anfrage stellen");
    await expect(page.getByLabel(/Ich möchte, dass Sie die Daten löschen/)).toBeVisible();
    const cookie = (await page.context().cookies()).find((c) => c.name === "rightsdesk-language");
    expect(cookie).toMatchObject({ value: "de", httpOnly: true, sameSite: "Lax" });
    await page.goto("/signin");
    await expectPageIn(page, "de", "Anmelden");

    // Only a POST from the site's own page chooses; asking for the address changes nothing.
    expect((await request.get("/language?language=fr")).status()).toBe(405);
    const foreign = await request.post("/language", { form: { language: "fr", back: "/" }, headers: { origin: "https://evil.example" }, maxRedirects: 0 });
    expect(foreign.status()).toBe(403);
    const notOffered = await request.post("/language", { form: { language: "nl", back: "/" }, headers: { origin: process.env.E2E_BASE_URL ?? "" }, maxRedirects: 0 });
    expect(notOffered.status()).toBe(400);
    // A "back" address elsewhere is not followed.
    // Nor one that becomes "//evil.example" once its dot segments are resolved.
    for (const back of ["//evil.example/x", "/.//evil.example/x", "/%2e//evil.example/x", "/a/..//evil.example/x"]) {
      const away = await request.post("/language", { form: { language: "fr", back }, headers: { origin: process.env.E2E_BASE_URL ?? "" }, maxRedirects: 0 });
      expect(away.status(), back).toBe(303);
      expect(new URL(away.headers().location ?? "").origin, back).toBe(new URL(process.env.E2E_BASE_URL ?? "").origin);
    }
  });
});

test.describe("the organisation's own words", () => {
  test.use({ locale: "de-DE" });

  test("given in German on /staff/settings, German readers see them, in pages, emails and the export; the others keep the default", async ({ page, browser, uniqueEmail }) => {
    test.slow();
    const admin = await staffPage(browser, "admin@example.org");
    await admin.goto("/staff/settings?language=de");
    await admin.getByLabel("The organisation's name in German").fill("Hafen-Stiftung");
    await admin.getByLabel("Why you hold data in German").fill("Um Ihre Spenden zu verbuchen.\nUm Ihnen Kampagnen-Nachrichten zu schicken.");
    const words = admin.locator("section[aria-labelledby=languages-heading]");
    await words.getByRole("button", { name: "Save the words in German" }).click();
    await expect(words.getByRole("status")).toContainText("Saved. Pages, emails and access exports in German");
    try {
      await page.goto("/");
      await expectPageIn(page, "de", "Ihre Daten, Ihre Rechte");
      await expect(page.locator(".brand")).toHaveText("Hafen-Stiftung: Ihre Rechte an Ihren Daten");
      const english = await (await browser.newContext({ locale: "en-GB" })).newPage();
      await english.goto("/");
      await expect(english.locator(".brand")).toHaveText("Harbour Trust: your data rights");

      const since = Date.now();
      await page.goto("/new?type=access");
      await page.getByLabel("Ihre E-Mail-Adresse").fill(uniqueEmail);
      await page.getByRole("button", { name: "Weiter" }).click();
      const confirmation = await waitForMail({ to: uniqueEmail, subject: /^Bestätigen Sie Ihre Anfrage an Hafen-Stiftung$/, since });
      expectMailIn(confirmation, "de", /Hafen-Stiftung/);
      await page.goto(signInLink(confirmation));
      await page.getByRole("button", { name: "Meine Anfrage bestätigen" }).click();
      await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
      const reference = REFERENCE.exec(page.url())?.[0] ?? "";

      await admin.goto(`/staff/requests/${reference}`);
      await admin.getByRole("button", { name: "Start review" }).click();
      await admin.getByRole("button", { name: "Approve" }).click();
      await expect(admin.getByRole("status")).toContainText("Approved and carried out");
      const done = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Ihre Anfrage ${reference} ist erledigt$`), since });
      expectMailIn(done, "de", /Ihre Daten sind bereit/);
      expect(done.text).toMatch(/beim BfDI|Aufsichtsbehörde/);

      await page.goto(`/requests/${reference}`);
      await expect(page.locator("ol.history")).toContainText("Ihre Daten sind bereit");
      await page.goto(`/requests/${reference}/export/html`);
      await expect(page.locator("html")).toHaveAttribute("lang", "de");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ihre Daten bei Hafen-Stiftung");
      await expect(page.locator("#use").locator("..")).toContainText("Um Ihre Spenden zu verbuchen.");
      // Sections the organisation left empty in German read as in the default language: its saved statement, or
      // (none saved yet) the starting point, which the catalogue has in German too.
      const saved = queryDatabase<{ recipients: string }>("select recipients from org_statement")[0];
      const recipients = saved ? (saved.recipients.split("\n")[0] ?? "") : "Wir verkaufen, vermieten und tauschen keine Unterstützerlisten.";
      await expect(page.locator("#use").locator("..")).toContainText(recipients);
      expect(await seriousViolations(page), "the German export").toEqual([]);
    } finally {
      // Back to the default words, for anything else run against this server.
      await admin.goto("/staff/settings?language=de");
      await admin.getByLabel("The organisation's name in German").fill("");
      await admin.getByLabel("Why you hold data in German").fill("");
      await words.getByRole("button", { name: "Save the words in German" }).click();
      await expect(words.getByRole("status")).toContainText("Saved.");
    }
  });
});

/** The public pages, in one language, checked with axe: as they open, with a form's errors, and with the switcher open. */
async function checkPublicPages(browser: Browser, locale: string, language: string, continueLabel: string): Promise<void> {
  const page = await (await browser.newContext({ locale })).newPage();
  for (const path of [
    "/",
    "/new",
    "/new?type=correction",
    "/new?type=erasure",
    "/new?type=concern",
    "/signin",
    "/signin/check-inbox",
    "/signin/error?error=Verification",
    "/signin/error?error=Verification&link=expired",
    `/signin/link?token=${"0".repeat(64)}&email=someone%40example.org&next=%2Frequests`,
    "/signin/link?email=someone%40example.org",
    "/unsubscribe?token=made.up",
    "/no-such-page",
  ]) {
    await page.goto(path);
    await expect(page.locator("html"), path).toHaveAttribute("lang", language);
    // The home page says where to complain before any request (this server: gdpr, no COMPLAINT_AUTHORITY).
    if (path === "/") await expect(page.locator("main")).toContainText("ico.org.uk");
    expect(await seriousViolations(page), `${language} ${path}`).toEqual([]);
  }
  // The missing page's tab names it in the reader's language, as its heading does, not as the home page.
  const missing = (await page.getByRole("heading", { level: 1 }).innerText()).trim();
  expect(await page.title(), `${language} /no-such-page`).toMatch(new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} · `));
  await page.goto("/new?type=concern");
  await page.getByRole("button", { name: continueLabel }).click();
  await expect(page.locator(".error-summary")).toBeVisible();
  expect(await seriousViolations(page), `${language} form with errors`).toEqual([]);
  await page.locator(".language-switcher summary").click();
  await expect(page.locator(".language-switcher form")).toBeVisible();
  expect(await seriousViolations(page), `${language} with the switcher open`).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await seriousViolations(page), `${language} at a phone's width`).toEqual([]);
  await page.context().close();
}

for (const [locale, language, continueLabel] of [
  ["en-GB", "en", "Continue"],
  ["fr-FR", "fr", "Continuer"],
  ["es-ES", "es", "Continuar"],
  ["de-DE", "de", "Weiter"],
] as const) {
  test(`the public pages in ${locale} have no serious or critical accessibility violations`, async ({ browser }) => {
    test.slow(); // many pages in one test
    await checkPublicPages(browser, locale, language, continueLabel);
  });
}
