import { describe, expect, it } from "vitest";
import { renderTemplate, type MailBrand } from "./render";
import { parseTemplateCall, TEMPLATE_PROPS, TemplateError, type MailDraft } from "@/lib/mail/templates";
import { cancellationMail } from "@/lib/mail/emails/cancellation";
import { completionMail } from "@/lib/mail/emails/completion";
import { concernMessageMail } from "@/lib/mail/emails/concern-message";
import { confirmRequestMail } from "@/lib/mail/emails/confirm-request";
import { correctionCompletedMail } from "@/lib/mail/emails/correction-completed";
import { dailyDigestMail } from "@/lib/mail/emails/daily-digest";
import { denialMail } from "@/lib/mail/emails/denial";
import { erasureCompletedMail } from "@/lib/mail/emails/erasure-completed";
import { extensionMail } from "@/lib/mail/emails/extension";
import { failedMailAlertMail } from "@/lib/mail/emails/failed-mail-alert";
import { limitReachedMail } from "@/lib/mail/emails/limit-reached";
import { newRequestNoticeMail } from "@/lib/mail/emails/new-request";
import { questionMail } from "@/lib/mail/emails/question";
import { receiptMail } from "@/lib/mail/emails/receipt";
import { recordAlertMail } from "@/lib/mail/emails/record-alert";
import { recordAnchorMail } from "@/lib/mail/emails/record-anchor";
import { signInMail } from "@/lib/mail/emails/sign-in";
import { staffCancellationMail } from "@/lib/mail/emails/staff-cancellation";
import { unsubscribedMail } from "@/lib/mail/emails/unsubscribed";
import { passkeysResetMail } from "@/lib/mail/emails/passkeys-reset";
import { requestsMergedMail } from "@/lib/mail/emails/requests-merged";
import { listJoinedMail } from "@/lib/mail/emails/list-joined";
import { preferenceLinkMail } from "@/lib/mail/emails/preference-link";
import { systemTaskAlertMail } from "@/lib/mail/emails/system-task-alert";

const APP = "http://127.0.0.1:3999";
const LINK = `${APP}/signin/link?token=abc123&email=ann%40example.org&next=%2Frequests`;
const REF = "RD-7K3Q-9XWM";
const REQUEST_URL = `${APP}/requests/${REF}`;
const STAFF_URL = `${APP}/staff/requests/${REF}`;
const BRAND: MailBrand = { contactEmail: "privacy@harbour.example", logoUrl: "https://harbour.example/logo.png", appUrl: APP };

type Case = {
  name: string;
  /** Builds the message with `free` wherever a person's own words go. */
  build: (orgName: string, free: string) => MailDraft;
  /** The address the message's button leads to; null for a message with nothing left to open. */
  link: string | null;
  /** Whether it belongs to a request, and so names its reference. */
  hasReference: boolean;
  /** Whether `free` is shown in the message (so the text part must carry it verbatim). */
  showsFree: boolean;
};

const CASES: Case[] = [
  { name: "confirm request", build: (orgName) => confirmRequestMail.draft({ orgName, link: LINK, type: "erasure", linkMinutes: 30 }), link: LINK, hasReference: false, showsFree: false },
  // An authorised agent's name is its own words (an admin typed it), and must reach the person as plain text.
  {
    name: "confirm request an agent filed",
    build: (orgName, free) => confirmRequestMail.draft({ orgName, link: LINK, type: "erasure", linkMinutes: 30, agent: free }),
    link: LINK,
    hasReference: false,
    showsFree: true,
  },
  { name: "sign in", build: (orgName) => signInMail.draft({ orgName, link: LINK, linkMinutes: 30 }), link: LINK, hasReference: false, showsFree: false },
  {
    name: "receipt",
    build: (orgName) =>
      receiptMail.draft({ orgName, reference: REF, type: "access", receivedOn: "2026-11-22", dueOn: "2026-12-22", requestUrl: REQUEST_URL, regime: "gdpr" }),
    link: REQUEST_URL,
    hasReference: true,
    showsFree: false,
  },
  { name: "cancellation", build: (orgName) => cancellationMail.draft({ orgName, reference: REF, type: "concern", requestUrl: REQUEST_URL }), link: REQUEST_URL, hasReference: true, showsFree: false },
  { name: "question", build: (orgName, free) => questionMail.draft({ orgName, reference: REF, question: free, requestUrl: REQUEST_URL }), link: REQUEST_URL, hasReference: true, showsFree: true },
  {
    name: "extension",
    build: (orgName, free) => extensionMail.draft({ orgName, reference: REF, reason: free, newDueOn: "2027-02-22", requestUrl: REQUEST_URL }),
    link: REQUEST_URL,
    hasReference: true,
    showsFree: true,
  },
  { name: "completion", build: (orgName, free) => completionMail.draft({ orgName, reference: REF, type: "access", note: free, requestUrl: REQUEST_URL }), link: REQUEST_URL, hasReference: true, showsFree: true },
  { name: "denial", build: (orgName, free) => denialMail.draft({ orgName, reference: REF, type: "erasure", reason: free, requestUrl: REQUEST_URL }), link: REQUEST_URL, hasReference: true, showsFree: true },
  {
    name: "staff cancellation",
    build: (orgName, free) => staffCancellationMail.draft({ orgName, reference: REF, type: "erasure", reason: free, requestUrl: REQUEST_URL }),
    link: REQUEST_URL,
    hasReference: true,
    showsFree: true,
  },
  {
    name: "new-request notice",
    build: (orgName) =>
      newRequestNoticeMail.draft({ orgName, reference: REF, type: "access", channel: "post", receivedOn: "2026-11-22", dueOn: "2026-12-22", staffUrl: STAFF_URL, assignedToYou: false }),
    link: STAFF_URL,
    hasReference: true,
    showsFree: false,
  },
  {
    name: "daily digest",
    build: (orgName, free) =>
      dailyDigestMail.draft({
        orgName,
        day: "2026-11-22",
        recipient: "rita@example.org",
        // A staff address is the only free text in a digest; it comes from the staff list.
        overdue: [{ reference: REF, type: "access", dueOn: "2026-11-20", daysLeft: -2, assignee: free, url: STAFF_URL }],
        dueSoon: [],
        more: 0,
        queueUrl: `${APP}/staff`,
      }),
    link: `${APP}/staff`,
    hasReference: true,
    showsFree: true,
  },
  {
    name: "failed-mail alert",
    build: (orgName, free) =>
      failedMailAlertMail.draft({ orgName, count: 1, maxAttempts: 10, messages: [{ subject: free, to: "ann@example.org", attempts: 10, lastError: free }], mailUrl: `${APP}/staff/mail` }),
    link: `${APP}/staff/mail`,
    hasReference: false,
    showsFree: true,
  },
  {
    name: "system task alert",
    // The system's name is the admins' own words; the reason is a fixed sentence.
    build: (orgName, free) =>
      systemTaskAlertMail.draft({ orgName, reference: REF, type: "unsubscribe", system: free, reason: "The system refused the connection (is it running?)", attempts: 5, staffUrl: STAFF_URL }),
    link: STAFF_URL,
    hasReference: true,
    showsFree: true,
  },
  {
    name: "limit reached",
    build: (orgName, free) => limitReachedMail.draft({ orgName, type: "access", reason: free, requestsUrl: `${APP}/requests` }),
    link: `${APP}/requests`,
    hasReference: false,
    showsFree: true,
  },
  { name: "unsubscribed", build: (orgName) => unsubscribedMail.draft({ orgName, reference: REF, lists: 3, requestUrl: REQUEST_URL }), link: REQUEST_URL, hasReference: true, showsFree: false },
  {
    name: "unsubscribed from some lists",
    build: (orgName, free) => unsubscribedMail.draft({ orgName, reference: REF, lists: 1, only: [free], requestUrl: REQUEST_URL }),
    link: REQUEST_URL,
    hasReference: true,
    showsFree: true,
  },
  {
    name: "list joined",
    build: (orgName, free) => listJoinedMail.draft({ orgName, listTitle: free, listDescription: free, choicesUrl: `${APP}/requests/preferences` }),
    link: `${APP}/requests/preferences`,
    hasReference: false,
    showsFree: true,
  },
  {
    name: "preference link",
    // Without signed links (outside the worker) the button leads to the signed-in page.
    build: (orgName) => preferenceLinkMail.draft({ orgName, days: 30 }),
    link: `${APP}/requests/preferences`,
    hasReference: false,
    showsFree: false,
  },
  {
    name: "erasure completed",
    build: (orgName, free) => erasureCompletedMail.draft({ orgName, reference: REF, kept: [{ what: "Donations", why: free }], requestUrl: REQUEST_URL }),
    // The request's page needs the erased address to be shown, so the message does not point to it.
    link: null,
    hasReference: true,
    showsFree: true,
  },
  {
    name: "correction completed",
    build: (orgName, free) =>
      correctionCompletedMail.draft({
        orgName,
        reference: REF,
        decisions: [
          { label: "Postal address", accepted: true, note: null },
          { label: "Name", accepted: false, note: free },
        ],
        requestUrl: REQUEST_URL,
      }),
    link: REQUEST_URL,
    hasReference: true,
    showsFree: true,
  },
  {
    name: "passkeys reset",
    build: (orgName, free) =>
      passkeysResetMail.draft({ orgName, resetBy: free, when: "5 December 2026 at 10:00", passkeysRequired: true, signInUrl: `${APP}/signin` }),
    link: `${APP}/signin`,
    hasReference: false,
    showsFree: true,
  },
  {
    name: "requests merged",
    build: (orgName) => requestsMergedMail.draft({ language: "en", orgName, reference: REF, merged: "RD-4HJ2-8PQR", type: "erasure", requestUrl: REQUEST_URL }),
    link: REQUEST_URL,
    hasReference: true,
    showsFree: false,
  },
  {
    name: "concern message",
    build: (orgName, free) => concernMessageMail.draft({ orgName, reference: REF, message: free, requestUrl: REQUEST_URL }),
    link: REQUEST_URL,
    hasReference: true,
    showsFree: true,
  },
  {
    name: "record anchor",
    // An anchor holds only positions, hashes and times; the organisation's name is what a person typed.
    build: (orgName) =>
      recordAnchorMail.draft({
        orgName,
        position: 57,
        hash: "ab".repeat(32),
        signedAt: "2 March 2026, 09:00 UTC",
        line: '{"type":"rightsdesk-anchor","version":1,"kind":"anchor","position":57}',
        reason: "daily",
      }),
    link: null,
    hasReference: false,
    showsFree: false,
  },
  {
    name: "record alert",
    build: (orgName, free) => recordAlertMail.draft({ orgName, job: "The daily anchor", problem: free }),
    link: null,
    hasReference: false,
    showsFree: true,
  },
];

const HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' onmouseover='alert(1)", "</p><a href=//evil.example>x</a>"];

/** The tags react-email and our blocks produce; anything else came from someone's input. */
const ALLOWED_TAGS = new Set(["!doctype", "html", "head", "meta", "body", "div", "table", "tbody", "tr", "td", "p", "a", "span", "img", "hr", "br", "strong", "blockquote", "ul", "li"]);

describe("every template", () => {
  it("has a case here, so none escapes the checks below", () => {
    const covered = new Set(CASES.map((c) => c.build("Harbour Trust", "Some words.").template.name));
    expect([...covered].sort()).toEqual(Object.keys(TEMPLATE_PROPS).sort());
  });

  it.each(CASES)("$name: a one-line subject with nothing typed in it, both parts, the button's address in each", async (c) => {
    const draft = c.build("Harbour Trust", "Some words.");
    expect(draft.subject).not.toMatch(/[\r\n]/);
    expect(draft.subject.trim()).toBe(draft.subject);
    expect(draft.subject).not.toContain("Some words.");
    const { html, text } = await renderTemplate(draft.template, BRAND);
    expect(html).toMatch(/^<!DOCTYPE html/);
    if (c.link === null) {
      expect(html).not.toContain(REQUEST_URL);
      expect(text).not.toContain(REQUEST_URL);
    } else {
      expect(html).toContain(`href="${c.link.replace(/&/g, "&amp;")}"`);
      // In the text part the address stands on its own line, under its label.
      expect(text.split("\n")).toContain(c.link);
    }
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it.each(CASES)("$name: the organisation's name, contact address, logo and portal address", async (c) => {
    const { html, text } = await renderTemplate(c.build("Harbour Trust", "Some words.").template, BRAND);
    for (const part of [html, text]) {
      expect(part).toContain("Harbour Trust");
      expect(part).toContain("privacy@harbour.example");
      expect(part).toContain(APP);
    }
    expect(html).toContain('href="mailto:privacy@harbour.example"');
    expect(html).toContain('src="https://harbour.example/logo.png"');
    expect(html).toContain('alt="Harbour Trust"');
  });

  it.each(CASES.filter((c) => c.hasReference))("$name: names the request's reference in both parts", async (c) => {
    const draft = c.build("Harbour Trust", "Some words.");
    const { html, text } = await renderTemplate(draft.template, BRAND);
    expect(html).toContain(REF);
    expect(text).toContain(REF);
  });

  it.each(CASES)("$name: without a logo, no image at all", async (c) => {
    const { html } = await renderTemplate(c.build("Harbour Trust", "Some words.").template, { ...BRAND, logoUrl: null });
    expect(html).not.toContain("<img");
  });

  describe.each(HOSTILE)("given %j", (evil) => {
    it.each(CASES)("$name: escapes it in the HTML part, keeps it as written in the text part", async (c) => {
      const { html, text } = await renderTemplate(c.build(`Org ${evil}`, `Before ${evil}\nafter`).template, BRAND);
      expect(html).not.toContain(evil);
      expect(html).not.toMatch(/<script|<img src=x|<a href=\/\/evil/i);
      // No tag gained an event handler: with quoted values taken out, no attribute starts with "on".
      for (const [tag] of html.matchAll(/<[a-z][^>]*>/gi)) expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son[a-z]+\s*=/i);
      const markup = html.replace(/<!--[\s\S]*?-->/g, "");
      const tags = new Set([...markup.matchAll(/<\/?([a-z0-9!]+)/gi)].map((m) => m[1]!.toLowerCase()));
      for (const tag of tags) expect(ALLOWED_TAGS, `unexpected <${tag}>`).toContain(tag);
      // Only our own addresses are ever links.
      for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(http:\/\/127\.0\.0\.1:3999|mailto:privacy@harbour\.example)/);
      expect(text).toContain(`Org ${evil}`);
      if (c.showsFree) expect(text).toContain(`Before ${evil}`);
    });
  });
});

describe("the footer's choices", () => {
  const choices = { preferencesUrl: `${APP}/preferences/tok.en`, unsubscribeAllUrl: `${APP}/unsubscribe/all.tok` };

  it.each(CASES)("$name: offers the recipient's preference page and every list, in both parts, when the worker signs them", async (c) => {
    const { html, text } = await renderTemplate(c.build("Harbour Trust", "Some words.").template, { ...BRAND, choices });
    expect(html).toContain(`href="${choices.preferencesUrl}"`);
    expect(html).toContain(`href="${choices.unsubscribeAllUrl}"`);
    expect(text).toContain("Choose which emails you get from Harbour Trust");
    expect(text).toContain(choices.preferencesUrl);
    expect(text).toContain("unsubscribe from all lists");
    expect(text).toContain(choices.unsubscribeAllUrl);
  });

  it("the new preference link's button is the footer's signed link, so no token is ever queued", async () => {
    const draft = preferenceLinkMail.draft({ orgName: "Harbour Trust", days: 30 });
    expect(JSON.stringify(draft)).not.toContain("/preferences/");
    const { html } = await renderTemplate(draft.template, { ...BRAND, choices });
    expect(html.split(`href="${choices.preferencesUrl}"`).length - 1).toBe(3);
  });

  it("is left out of a message rendered with no signed links", async () => {
    const { text } = await renderTemplate(CASES[0]!.build("Harbour Trust", "").template, BRAND);
    expect(text).not.toContain("Choose which emails you get");
  });
});

describe("what each message says", () => {
  async function textOf(draft: MailDraft): Promise<string> {
    return (await renderTemplate(draft.template, BRAND)).text;
  }

  it("the receipt: reference, dates in words, what happens next", async () => {
    const draft = CASES.find((c) => c.name === "receipt")!.build("Test Org", "");
    expect(draft.subject).toBe(`We have received your request ${REF}`);
    const text = await textOf(draft);
    expect(text).toContain(`Reference: ${REF}`);
    expect(text).toContain("Received: 22 November 2026");
    expect(text).toContain("We will answer by: 22 December 2026");
    expect(text).toContain("What happens next: We will check your request and, by 22 December 2026 at the latest, email you a link to everything we hold about you");
  });

  const receiptOf = (type: "access" | "correction" | "erasure" | "concern", language: "en" | "fr" | "es" | "de" = "en", arrival?: "link" | "post" | "phone" | "email" | "agent") =>
    receiptMail.draft({ language, orgName: "Test Org", reference: REF, type, receivedOn: "2026-11-22", dueOn: "2026-12-22", requestUrl: REQUEST_URL, regime: "gdpr", ...(arrival ? { arrival } : {}) });
  const flat = (text: string) => text.replace(/\s+/g, " ");

  it.each([
    ["access", "en", "What happens next: We will check your request and, by 22 December 2026 at the latest, email you a link to everything we hold about you"],
    ["correction", "en", "What happens next: We will check each change you asked for against our records and, by 22 December 2026 at the latest, tell you which ones we made"],
    ["erasure", "en", "What happens next: We will check your request and, by 22 December 2026 at the latest, delete your records"],
    ["concern", "en", "What happens next: A member of our team will read what you wrote and answer you in writing by 22 December 2026 at the latest."],
    ["concern", "fr", "Et maintenant : Une personne de notre équipe va lire votre message et vous répondre par écrit au plus tard le 22 décembre 2026."],
    ["correction", "es", "Lo que ocurre ahora: Comprobaremos en nuestros registros cada cambio que nos pide y, como tarde el 22 de diciembre de 2026"],
    ["erasure", "de", "Wie es weitergeht: Wir prüfen Ihre Anfrage, löschen Ihre Daten spätestens am 22. Dezember 2026"],
  ] as const)("the receipt for %s (%s) says what the organisation will now do, and by when", async (type, language, sentence) => {
    const text = flat(await textOf(receiptOf(type, language)));
    expect(text).toContain(sentence);
    // Not the start page's invitation to the supporter.
    expect(text).not.toMatch(/Tell us what|Dites-nous|Díganos|Cuéntenos|Sagen Sie uns/);
  });

  it.each([
    ["link", "en", "Thank you. We have received your request and confirmed your email address."],
    ["phone", "en", "Thank you. We have recorded the request you made to us by phone."],
    ["post", "en", "Thank you. We have recorded the request you made to us by post."],
    ["email", "en", "Thank you. We have recorded the request you made to us by email."],
    ["agent", "en", "Thank you. We have received the request your authorised agent made for you."],
    ["phone", "fr", "Merci. Nous avons enregistré la demande que vous nous avez faite par téléphone."],
    ["post", "es", "Gracias. Hemos registrado la solicitud que nos hizo por correo postal."],
    ["email", "de", "Vielen Dank. Wir haben die Anfrage erfasst, die Sie uns per E-Mail gestellt haben."],
  ] as const)("the receipt of a request that arrived by %s (%s) thanks truthfully", async (arrival, language, sentence) => {
    const text = flat(await textOf(receiptOf("access", language, arrival)));
    expect(text).toContain(sentence);
    if (arrival !== "link") expect(text).not.toMatch(/confirmed your email|adresse e-mail est confirmée|correo está confirmada|E-Mail-Adresse ist bestätigt/);
  });

  it("a receipt queued before it said how the request arrived reads as one filed by the link", async () => {
    const { arrival: _none, ...old } = receiptOf("access").template.props;
    expect(parseTemplateCall("receipt", old).props).toMatchObject({ arrival: "link" });
  });

  it.each([
    ["ccpa", "45 days"],
    ["gdpr", "one calendar month"],
  ] as const)("the receipt under %s speaks of %s", async (regime, words) => {
    const text = await textOf(
      receiptMail.draft({ orgName: "Test Org", reference: REF, type: "access", receivedOn: "2026-11-07", dueOn: "2026-12-22", requestUrl: REQUEST_URL, regime }),
    );
    expect(text).toContain(words);
  });

  it("quotes every line of a staff member's words", async () => {
    const text = await textOf(questionMail.draft({ orgName: "O", reference: REF, question: "Line one\nLine two", requestUrl: REQUEST_URL }));
    expect(text).toContain("> Line one\n> Line two");
  });

  it("the extension gives the reason and the new date; the denial and closures the right to complain", async () => {
    expect(await textOf(extensionMail.draft({ orgName: "O", reference: REF, reason: "Three systems.", newDueOn: "2027-02-22", requestUrl: REQUEST_URL }))).toContain(
      "We will now answer by: 22 February 2027",
    );
    for (const draft of [
      denialMail.draft({ orgName: "O", reference: REF, type: "erasure", reason: "Tax law.", requestUrl: REQUEST_URL }),
      staffCancellationMail.draft({ orgName: "O", reference: REF, type: "erasure", reason: "Duplicate.", requestUrl: REQUEST_URL }),
      completionMail.draft({ orgName: "O", reference: REF, type: "access", note: null, requestUrl: REQUEST_URL }),
    ]) {
      expect(await textOf(draft)).toContain("supervisory authority");
    }
  });

  it.each([
    ["access", "en", true, "You can see the details, and download anything we have prepared for you, on your request’s page.", "See your request and downloads"],
    ["concern", "en", false, "You can see the details on your request’s page. Sign in with this email address to open it.", "See your request"],
    ["concern", "fr", false, "Vous trouverez les détails sur la page de votre demande.", "Voir votre demande"],
    ["concern", "es", false, "Puede ver los detalles en la página de su solicitud.", "Ver su solicitud"],
    ["concern", "de", false, "Die Einzelheiten finden Sie auf der Seite Ihrer Anfrage.", "Ihre Anfrage ansehen"],
    ["correction", "en", false, "You can see the details on your request’s page.", "See your request"],
    ["access", "de", true, "alles, was wir für Sie vorbereitet haben, zum Herunterladen", "Ihre Anfrage und Downloads ansehen"],
  ] as const)("the completion of a %s request (%s) speaks of downloads only if there are some: %s", async (type, language, downloads, sentence, button) => {
    const text = await textOf(completionMail.draft({ language, orgName: "O", reference: REF, type, note: type === "concern" ? "Our answer." : null, requestUrl: REQUEST_URL }));
    expect(text.replace(/\s+/g, " ")).toContain(sentence);
    // The button's words end as a label does in the language: French puts a no-break space before the colon.
    expect(text).toContain(`${button}${language === "fr" ? "\u00a0:" : ":"}\n${REQUEST_URL}`);
    expect(/download|téléchargement|descarga|Download|Herunterladen/i.test(text)).toBe(downloads);
  });

  // The button opens the one request that goes on, so its words name that one request, not "your requests".
  it.each([
    ["en", "See your request RD-7K3Q-9XWM"],
    ["fr", "Voir votre demande RD-7K3Q-9XWM"],
    ["es", "Ver su solicitud RD-7K3Q-9XWM"],
    ["de", "Ihre Anfrage RD-7K3Q-9XWM ansehen"],
  ] as const)("the merged-requests email (%s): the button names the request it opens", async (language, button) => {
    const draft = requestsMergedMail.draft({ language, orgName: "O", reference: REF, merged: "RD-4HJ2-8PQR", type: "erasure", requestUrl: REQUEST_URL });
    const text = await textOf(draft);
    expect(text).toContain(`${button}${language === "fr" ? "\u00a0:" : ":"}\n${REQUEST_URL}`);
    const { html } = await renderTemplate(draft.template, BRAND);
    expect(html).toContain(`href="${REQUEST_URL}"`);
    expect(html).toContain(button);
  });

  it("the new-request notice names no one, and says when it is yours", async () => {
    const base = { orgName: "O", reference: REF, type: "erasure" as const, channel: "web" as const, receivedOn: "2026-11-22", dueOn: "2026-12-22", staffUrl: STAFF_URL };
    const team = newRequestNoticeMail.draft({ ...base, assignedToYou: false });
    const mine = newRequestNoticeMail.draft({ ...base, assignedToYou: true });
    expect(team.subject).toBe(`New request: ${REF} (Delete my data)`);
    expect(mine.subject).toBe(`Assigned to you: ${REF} (Delete my data)`);
    expect(await textOf(team)).toContain("Answer by: 22 December 2026");
    expect(await textOf(mine)).toContain("is assigned to you");
  });

  it("the digest lists overdue and due-soon requests, with whose they are", async () => {
    const item = (reference: string, daysLeft: number, assignee: string | null) => ({
      reference,
      type: "access" as const,
      dueOn: "2026-11-20",
      daysLeft,
      assignee,
      url: `${APP}/staff/requests/${reference}`,
    });
    const draft = dailyDigestMail.draft({
      orgName: "O",
      day: "2026-11-22",
      recipient: "rita@example.org",
      overdue: [item("RD-AAAA-AAAA", -2, "rita@example.org")],
      dueSoon: [item("RD-BBBB-BBBB", 0, null), item("RD-CCCC-CCCC", 1, "adam@example.org")],
      more: 3,
      queueUrl: `${APP}/staff`,
    });
    expect(draft.subject).toBe("Requests needing attention at O: 1 overdue, 2 due within 7 days");
    const text = await textOf(draft);
    expect(text).toMatch(/RD-AAAA-AAAA .*2 days overdue.*assigned to you/);
    expect(text).toMatch(/RD-BBBB-BBBB .*due today.*not assigned/);
    expect(text).toMatch(/RD-CCCC-CCCC .*1 day left.*assigned to adam@example\.org/);
    expect(text).toContain("And 3 more");
    expect(text.indexOf("Overdue")).toBeLessThan(text.indexOf("Due within 7 days"));
  });
});

describe("parseTemplateCall", () => {
  it("reads back what a template stored", () => {
    const draft = signInMail.draft({ orgName: "O", link: LINK, linkMinutes: 30 });
    const stored: unknown = JSON.parse(JSON.stringify(draft.template.props));
    expect(parseTemplateCall("sign-in", stored)).toEqual(draft.template);
  });

  it.each<[string, string, unknown]>([
    ["an unknown template", "party-invite", {}],
    ["a missing prop", "sign-in", { orgName: "O", linkMinutes: 30 }],
    ["a link that is not http(s)", "sign-in", { orgName: "O", link: "javascript:alert(1)", linkMinutes: 30 }],
    ["a bad reference", "cancellation", { orgName: "O", reference: "nope", type: "access", requestUrl: REQUEST_URL }],
    ["no props at all", "receipt", null],
  ])("refuses %s", (_what, name, props) => {
    expect(() => parseTemplateCall(name, props)).toThrow(TemplateError);
  });
});

describe("a supporter's email in their language", () => {
  const SUPPORTER_CASES = CASES.filter((c) => "language" in TEMPLATE_PROPS[c.build("Harbour Trust", "x").template.name].shape);

  it("covers every email a supporter gets", () => {
    expect(SUPPORTER_CASES.map((c) => c.name).sort()).toEqual(
      ["cancellation", "completion", "concern message", "confirm request", "confirm request an agent filed", "correction completed", "denial", "erasure completed", "extension", "limit reached", "question", "receipt", "requests merged", "sign in", "staff cancellation", "unsubscribed", "unsubscribed from some lists", "list joined", "preference link"].sort(),
    );
  });

  const inLanguage = (c: Case, language: string) => {
    const draft = c.build("Harbour Trust", "Some words.");
    return parseTemplateCall(draft.template.name, { ...draft.template.props, language });
  };

  it.each(SUPPORTER_CASES.flatMap((c) => (["fr", "es", "de"] as const).map((language) => ({ ...c, language }))))(
    "$name in $language: lang on the message, its words and the footer in that language, nothing left in English",
    async (c) => {
      const call = inLanguage(c, c.language);
      const { html, text } = await renderTemplate(call, BRAND);
      expect(html).toContain(`lang="${c.language}"`);
      expect(text).toContain({ fr: "Écrivez-nous à", es: "Escríbanos a", de: "Schreiben Sie uns an" }[c.language]);
      for (const english of ["Questions? Write to us", "your request", "Your request", "We have", "If you"]) expect(text).not.toContain(english);
    },
  );

  it.each([
    ["fr", "Choisissez les e-mails que vous recevez de Harbour Trust : vos choix d’e-mails. Ou désinscrivez-vous de toutes les listes."],
    ["es", "Elija qué correos recibe de Harbour Trust: sus preferencias de correo. O dese de baja de todas las listas."],
    ["de", "Wählen Sie, welche E-Mails Sie von Harbour Trust bekommen: Ihre E-Mail-Einstellungen. Oder von allen Verteilern abmelden."],
  ] as const)("the footer's email choices in %s, with the recipient's own links", async (language, sentence) => {
    const draft = unsubscribedMail.draft({ language, orgName: "Harbour Trust", reference: REF, lists: 1, requestUrl: REQUEST_URL });
    const choices = { preferencesUrl: `${APP}/preferences/signed`, unsubscribeAllUrl: `${APP}/unsubscribe/signed` };
    const { html, text } = await renderTemplate(draft.template, { ...BRAND, choices });
    // The text part writes each link's address after its words; without them, the sentence reads as in the catalogue.
    expect(text.replace(/\s+/g, " ").replace(/ https?:\/\/\S*?(?=\.?\s)/g, "")).toContain(sentence);
    expect(html).toContain(`href="${choices.preferencesUrl}"`);
    expect(html).toContain(`href="${choices.unsubscribeAllUrl}"`);
  });

  it.each([
    ["fr", "Nous avons bien reçu votre demande RD-7K3Q-9XWM", "Réponse au plus tard le", "22 décembre 2026", "\u00a0: "],
    ["es", "Hemos recibido su solicitud RD-7K3Q-9XWM", "Respuesta como tarde el", "22 de diciembre de 2026", ": "],
    ["de", "Wir haben Ihre Anfrage RD-7K3Q-9XWM erhalten", "Antwort spätestens am", "22. Dezember 2026", ": "],
  ] as const)("the receipt in %s: its subject, and the due date written the language's way, after the label's colon", async (language, subject, label, date, colon) => {
    const draft = receiptMail.draft({ language, orgName: "Harbour Trust", reference: REF, type: "access", receivedOn: "2026-11-22", dueOn: "2026-12-22", requestUrl: REQUEST_URL, regime: "gdpr" });
    expect(draft.subject).toBe(subject);
    const { text } = await renderTemplate(draft.template, BRAND);
    expect(text).toContain(`${label}${colon}${date}`);
  });

  it.each([
    ["fr", "CNIL"],
    ["es", "Agencia Española de Protección de Datos"],
    ["de", "Aufsichtsbehörde"],
  ] as const)("a refusal in %s states the right to complain, naming that language's authority", async (language, authority) => {
    const draft = denialMail.draft({ language, orgName: "Harbour Trust", reference: REF, type: "erasure", reason: "Some words.", requestUrl: REQUEST_URL });
    expect((await renderTemplate(draft.template, BRAND)).text).toContain(authority);
  });

  it.each([
    ["en", ["RD-4HJ2-8PQR"], "This also answers your request RD-4HJ2-8PQR, which we joined with this one because it asks for the same thing."],
    ["en", ["RD-4HJ2-8PQR", "RD-5JK3-9QRS"], "This also answers your requests RD-4HJ2-8PQR, RD-5JK3-9QRS, which we joined with this one because they ask"],
    ["fr", ["RD-4HJ2-8PQR"], "Ce message répond aussi à votre demande RD-4HJ2-8PQR"],
    ["es", ["RD-4HJ2-8PQR", "RD-5JK3-9QRS"], "Este mensaje también responde a sus solicitudes RD-4HJ2-8PQR, RD-5JK3-9QRS"],
    ["de", ["RD-4HJ2-8PQR"], "Diese Nachricht beantwortet auch Ihre Anfrage RD-4HJ2-8PQR"],
  ] as const)("a closing email in %s names the requests merged into it (%j)", async (language, references, sentence) => {
    const draft = denialMail.draft({ language, orgName: "Harbour Trust", reference: REF, type: "erasure", reason: "Some words.", requestUrl: REQUEST_URL, alsoReferences: [...references] });
    expect((await renderTemplate(draft.template, BRAND)).text.replace(/\s+/g, " ")).toContain(sentence);
  });

  it("a closing email with nothing merged into it says nothing of merging", async () => {
    const draft = denialMail.draft({ language: "en", orgName: "Harbour Trust", reference: REF, type: "erasure", reason: "Some words.", requestUrl: REQUEST_URL });
    expect((await renderTemplate(draft.template, BRAND)).text).not.toContain("also answers");
  });

  it("a message queued before there were languages, or naming one this version does not have, is English", async () => {
    const draft = receiptMail.draft({ orgName: "Harbour Trust", reference: REF, type: "access", receivedOn: "2026-11-22", dueOn: "2026-12-22", requestUrl: REQUEST_URL, regime: "gdpr" });
    const { language: _none, ...old } = draft.template.props;
    for (const props of [old, { ...old, language: "tlh" }]) {
      const call = parseTemplateCall("receipt", props);
      expect(call.props).toMatchObject({ language: "en" });
      const { html, text } = await renderTemplate(call, BRAND);
      expect(html).toContain('lang="en"');
      expect(text).toContain("We will answer by");
    }
  });
});
