/**
 * The readable copy of an access export: one self-contained HTML page (no
 * scripts, no outside resources, only an inline style sheet, so it passes a
 * policy of `default-src 'none'; style-src 'unsafe-inline'`) in the portal's
 * look, with a table of contents, readable on a phone (each table becomes a
 * list of cards on a narrow screen) and in print. Every value is escaped;
 * none of it is trusted.
 */
import { escapeHtml } from "@/lib/http/escape";
import { formatCalendarDate, formatInstant } from "@/lib/calendar/format";
import { DONATION_METHODS, REQUEST_STATUSES, REQUEST_TYPES, type RequestStatus, type RequestType } from "@/db/schema";
import { movesByItself } from "@/lib/vocabulary/request-types";
import { calendarDateIn } from "@/lib/calendar/dates";
import { wordsFor, type Messages, type Words } from "@/lib/language/catalogue";
import { BASE_LANGUAGE, formattingLocale, isLanguage, textDirection, type Language } from "@/lib/language/languages";
import { currencyExponent } from "@/lib/vocabulary/currency";
import { rightsLines, type AccessExport, type ExportedChoice, type ExportedEmail, type ExportedRequest } from "./build-access-export";
import type { ConnectedSection } from "./connected-sections";

/** Staff looking at the export see a banner saying which look this is; the supporter's copy has none. */
export type StaffLook = "preview" | "sent";

type Column<T> = { label: string; value: (row: T) => string | null };

type Section = { id: string; title: string; count: number; html: string };

/**
 * Where a supporter record came from, in words a supporter understands,
 * from the `source` the import wrote ("import: supporters.csv",
 * "upload: crm.csv by lead@example.org", "demo data …") and the day it was
 * first recorded. The exact source stays in the JSON file.
 */
export function describeSource(source: string, firstRecorded: string, timeZone: string, language: Language = BASE_LANGUAGE): string {
  const words = wordsFor(language);
  const day = formatCalendarDate(calendarDateIn(new Date(firstRecorded), timeZone), language);
  if (/^(import|upload):/.test(source)) return words("exportPage.source.import", { day });
  if (/^demo data/.test(source)) return words("exportPage.source.demo", { day });
  return words("exportPage.source.other", { source, day });
}

/**
 * An amount in minor units, written with the reader's digits and separators
 * and the currency's code, which reads the same in every language:
 * "1,234.50 GBP", "1 234,50 GBP", "1.234,50 GBP".
 */
export function formatAmount(amountMinor: number, currency: string, language: Language = BASE_LANGUAGE): string {
  // An unknown code keeps the common two places.
  const exponent = currencyExponent(currency) ?? 2;
  const number = new Intl.NumberFormat(formattingLocale(language), { minimumFractionDigits: exponent, maximumFractionDigits: exponent });
  return `${number.format(amountMinor / 10 ** exponent)} ${currency}`;
}

/**
 * How a donation was paid, in the reader's words ("Überweisung" for
 * `bank_transfer`). The JSON file keeps the code; a code this version does
 * not know (from an export stored by another version) is shown as it is.
 */
export function describeDonationMethod(method: string, language: Language = BASE_LANGUAGE): string {
  const known = DONATION_METHODS.find((code) => code === method);
  return known ? wordsFor(language)(`exportPage.donationMethod.${known}`) : method.replace(/_/g, " ");
}

function table<T>(words: Words, id: string, title: string, rows: T[], columns: Column<T>[]): Section {
  const heading = `<h2 id="${id}">${escapeHtml(title)} <small>(${rows.length})</small></h2>`;
  if (rows.length === 0) return { id, title, count: 0, html: `${heading}\n<p class="none">${escapeHtml(words("exportPage.none"))}</p>` };
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c.label)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${columns.map((c) => `<td data-label="${escapeHtml(c.label)}">${escapeHtml(c.value(row) ?? "—")}</td>`).join("")}</tr>`)
    .join("\n");
  return { id, title, count: rows.length, html: `${heading}\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>` };
}

const CATEGORIES = ["contact", "donation", "membership", "subscription", "correspondence", "web_visit", "other"] as const;

/** One section per connected system, named by it: each mapped table (or the lists) with what was found, in the reader's language. */
function connectedSection(section: ConnectedSection, index: number, when: (iso: string | null) => string | null, words: Words): Section {
  const id = `system-${index + 1}`;
  const title = words(`exportPage.connected.kinds.${section.kind}`, { system: section.system });
  const searched = `<p>${escapeHtml(words("exportPage.connected.searchedAt", { when: when(section.searchedAt) ?? "" }))}</p>`;
  const category = (c: { category: string; categoryLabel: string }) => {
    const known = CATEGORIES.find((k) => k === c.category);
    return known ? words(`exportPage.connected.categories.${known}`) : c.categoryLabel;
  };
  const parts: string[] = [];
  let count = 0;
  for (const t of section.tables ?? []) {
    count += t.rows.length;
    if (t.rows.length === 0) continue;
    const head = t.columns.map((c) => `<th scope="col">${escapeHtml(c.name)} <small>(${escapeHtml(category(c))})</small></th>`).join("");
    const body = t.rows
      .map((row) => `<tr>${t.columns.map((c) => `<td data-label="${escapeHtml(c.name)}">${escapeHtml(row[c.name] === null || row[c.name] === undefined ? "—" : String(row[c.name]))}</td>`).join("")}</tr>`)
      .join("\n");
    parts.push(`<h3>${escapeHtml(t.label)} <small>(${t.rows.length})</small></h3>\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`);
  }
  if (section.lists) {
    count += section.lists.length;
    if (section.lists.length > 0) {
      const [list, name, as, since] = [words("exportPage.connected.list"), words("exportPage.connected.name"), words("exportPage.connected.as"), words("exportPage.connected.since")].map(escapeHtml);
      // Mailman's REST API gives no date of joining: the column shows only where a server gave one.
      const dated = section.lists.some((l) => l.subscribedAt);
      const rows = section.lists
        .map(
          (l) =>
            `<tr><td data-label="${list}">${escapeHtml(l.listName)} &lt;${escapeHtml(l.list)}&gt;</td><td data-label="${name}">${escapeHtml(l.name ?? "—")}</td><td data-label="${as}">${escapeHtml(l.role)}</td>${dated ? `<td data-label="${since}">${escapeHtml(when(l.subscribedAt) ?? "—")}</td>` : ""}</tr>`,
        )
        .join("\n");
      parts.push(`<table><thead><tr><th scope="col">${list}</th><th scope="col">${name}</th><th scope="col">${as}</th>${dated ? `<th scope="col">${since}</th>` : ""}</tr></thead><tbody>\n${rows}\n</tbody></table>`);
    }
  }
  const heading = `<h2 id="${id}">${escapeHtml(title)} <small>(${count})</small></h2>`;
  return { id, title, count, html: `${heading}\n${searched}\n${count === 0 ? `<p class="none">${escapeHtml(words("exportPage.connected.none"))}</p>` : parts.join("\n")}` };
}

/** The ` lang` attribute of words in `language`, when that is not the page's (WCAG 3.1.2); nothing otherwise. */
function langOf(language: Language | undefined): string {
  return language ? ` lang="${language}" dir="${textDirection(language)}"` : "";
}

function paragraphs(title: string, text: string, language?: Language): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return `<h3>${escapeHtml(title)}</h3>\n<ul${langOf(language)}>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`;
}

const CHANNELS = ["web", "post", "phone", "email"] as const;

function requestsSection(rows: ExportedRequest[], when: (iso: string | null) => string | null, words: Words, language: Language): Section {
  const id = "requests";
  const title = words("exportPage.sections.requests");
  const heading = `<h2 id="${id}">${escapeHtml(title)} <small>(${rows.length})</small></h2>`;
  if (rows.length === 0) return { id, title, count: 0, html: `${heading}\n<p class="none">${escapeHtml(words("exportPage.noneShort"))}</p>` };
  const items = rows.map((r) => {
    const status = REQUEST_STATUSES.find((known) => known === r.status);
    const channel = CHANNELS.find((known) => known === r.channel);
    const type = REQUEST_TYPES.find((known) => known === r.type);
    const facts: Array<[string, string | null]> = [
      [words("exportPage.request.status"), status ? words(`statuses.${status as RequestStatus}`) : r.status],
      [words("exportPage.request.received"), when(r.receivedAt)],
      // An unsubscribe is honoured at once: its row's due date is not a date anyone waits for.
      [words("exportPage.request.answerBy"), r.closedAt ? null : type && movesByItself(type) ? words("exportPage.request.atOnce") : formatCalendarDate(r.dueOn, language)],
      [words("exportPage.request.closed"), when(r.closedAt)],
      [words("exportPage.request.howItReached"), channel ? words(`exportPage.request.channels.${channel}`) : r.channel],
      [words("exportPage.request.identityCheck"), r.identityCheck],
      [words("exportPage.request.extended"), r.extendedAt ? `${when(r.extendedAt)}: ${r.extensionReason ?? ""}` : null],
      [words("exportPage.request.nameGiven"), r.name],
      [words("exportPage.request.email"), r.email],
      ...r.asked.map((a): [string, string] => [a.label, a.value]),
    ];
    const shown = facts.filter((f): f is [string, string] => f[1] !== null && f[1] !== "");
    return `<article class="item">
<h3>${escapeHtml(type ? words(`requestTypes.${type as RequestType}.label`) : r.type)} <span class="ref">${escapeHtml(r.reference)}</span></h3>
<dl>${shown.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join("")}</dl>
</article>`;
  });
  return { id, title, count: rows.length, html: `${heading}\n${items.join("\n")}` };
}

function emailsSection(rows: ExportedEmail[], when: (iso: string | null) => string | null, words: Words): Section {
  const id = "emails";
  const title = words("exportPage.sections.emails");
  const heading = `<h2 id="${id}">${escapeHtml(title)} <small>(${rows.length})</small></h2>`;
  if (rows.length === 0) return { id, title, count: 0, html: `${heading}\n<p class="none">${escapeHtml(words("exportPage.noneShort"))}</p>` };
  const items = rows.map((m) => {
    const status = m.sentAt
      ? words("exportPage.mail.sent", { when: when(m.sentAt) ?? "" })
      : words(m.status === "failed" ? "exportPage.mail.failed" : "exportPage.mail.pending", { when: when(m.queuedAt) ?? "" });
    const text =
      m.text !== null
        ? `<div class="mail">${escapeHtml(m.text)}</div>`
        : m.kind === "sign-in" || m.kind === "confirm-request"
          ? `<p class="none">${escapeHtml(words("exportPage.mail.linkNotKept"))}</p>`
          : `<p class="none">${escapeHtml(words("exportPage.mail.notYetWritten"))}</p>`;
    const meta = `${words("exportPage.mail.meta", { status, address: m.to })}${m.reference ? words("exportPage.mail.about", { reference: m.reference }) : ""}`;
    return `<article class="item">
<h3>${escapeHtml(m.subject)}</h3>
<p class="meta">${escapeHtml(meta)}</p>
${text}
</article>`;
  });
  return { id, title, count: rows.length, html: `${heading}\n${items.join("\n")}` };
}

/** What each choice is about, and each answer and route, in words. */
function choiceAbout(c: Pick<ExportedChoice, "topic" | "list">, words: Words): string {
  if (c.topic === "all_lists") return words("exportPage.choices.allLists");
  if (c.topic === "sale_sharing") return words("exportPage.choices.saleSharing");
  return words("exportPage.choices.list", { list: c.list ?? "" });
}
function choiceAnswer(c: Pick<ExportedChoice, "topic" | "state">, words: Words): string {
  if (c.topic === "sale_sharing") return words(c.state === "withdrawn" ? "exportPage.choices.objected" : "exportPage.choices.agreed");
  return words(c.state === "withdrawn" ? "exportPage.choices.off" : "exportPage.choices.on");
}
const ROUTES = ["page", "one_click", "gpc", "staff", "request", "import"] as const;
function routeWords(how: string, words: Words): string {
  const route = ROUTES.find((r) => r === how);
  return route ? words(`exportPage.choices.routes.${route}`) : how;
}

const STYLE = `
:root { --ink: #111827; --muted: #4b5563; --line: #d1d5db; --paper: #ffffff; --wash: #f3f4f6; --brand: #1d4ed8; --brand-dark: #1e3a8a; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; overflow-wrap: break-word; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--wash); }
header.band { background: var(--brand-dark); color: #fff; }
header.band .inner, main { max-inline-size: 60rem; margin-block: 0; margin-inline: auto; padding: 1rem; }
header.band p { margin: 0; font-weight: 700; font-size: 1.15rem; }
main { background: var(--paper); }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.35rem; margin-block: 2rem 0.75rem; margin-inline: 0; padding-block-end: 0.25rem; border-block-end: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.25rem 0 0.5rem; }
small, .none, .meta { color: var(--muted); font-weight: normal; }
a { color: var(--brand); }
.staff { border-inline-start: 6px solid #92400e; background: #fffbeb; padding: 0.75rem 1rem; border-radius: 4px; font-weight: 600; }
nav.toc { border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 1rem; }
nav.toc h2 { border: none; margin: 0.5rem 0; font-size: 1.15rem; }
nav.toc ol { margin-block: 0 0.5rem; margin-inline: 0; padding-inline-start: 1.25rem; }
nav.toc li { margin: 0.3rem 0; }
nav.toc a { display: inline-block; min-height: 24px; padding: 2px 0; }
table { border-collapse: collapse; inline-size: 100%; }
th, td { text-align: start; vertical-align: top; padding-block: 0.45rem; padding-inline: 0.6rem; border-block-end: 1px solid var(--line); white-space: pre-wrap; overflow-wrap: anywhere; }
thead th { border-block-end: 2px solid var(--ink); }
.item { border: 1px solid var(--line); border-radius: 8px; padding-block: 0.5rem; padding-inline: 1rem; margin-block: 0 0.75rem; margin-inline: 0; }
.item h3 { margin-block: 0.25rem 0.5rem; margin-inline: 0; overflow-wrap: anywhere; }
.ref { color: var(--muted); font-weight: normal; white-space: nowrap; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin-block: 0 0.5rem; margin-inline: 0; }
dt { font-weight: 600; }
dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.mail { white-space: pre-wrap; overflow-wrap: anywhere; border-inline-start: 4px solid var(--line); padding-block: 0.25rem; padding-inline: 0.75rem; margin-block: 0 0.5rem; margin-inline: 0; }
@media (max-width: 40rem) {
  h1 { font-size: 1.6rem; }
  main { padding: 0.75rem; }
  table, tbody, tr, td { display: block; }
  thead { position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  tr { border: 1px solid var(--line); border-radius: 8px; padding-block: 0.4rem; padding-inline: 0.75rem; margin-block-end: 0.75rem; }
  td { border: none; padding-block: 0.15rem; padding-inline: 0; }
  td::before { content: attr(data-label) ": "; font-weight: 600; }
  dl { grid-template-columns: 1fr; gap: 0; }
  dd { margin-block-end: 0.4rem; }
}
@media print {
  @page { margin: 15mm; }
  body { background: #fff; font-size: 11pt; }
  header.band { background: none; color: var(--ink); border-block-end: 2px solid var(--ink); }
  header.band .inner, main { max-inline-size: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  tr, .item, dl { break-inside: avoid; }
  nav.toc { break-after: page; }
}
`;

/**
 * `styleNonce`: the nonce of the policy the page is served with, when that
 * policy admits inline styles only with one; a saved copy ignores it.
 */
export function renderExportHtml(doc: AccessExport, timeZone: string, options: { staffLook?: StaffLook; styleNonce?: string | null } = {}): string {
  // In the language of the request it answers; an export stored before there were languages is English.
  const language: Language = isLanguage(doc.language) ? doc.language : BASE_LANGUAGE;
  const words = wordsFor(language);
  const column = (key: Parameters<typeof words>[0]) => words(key);
  const when = (iso: string | null) => (iso ? formatInstant(new Date(iso), timeZone, language) : null);
  const day = (date: string | null) => (date ? formatCalendarDate(date, language) : null);
  const section = (id: keyof AccessExportSections) => words(`exportPage.sections.${id}`);
  const sections: Section[] = [
    table(words, "details", section("details"), doc.supporterDetails, [
      { label: column("exportPage.columns.name"), value: (r) => r.name },
      { label: column("exportPage.columns.email"), value: (r) => r.email },
      { label: column("exportPage.columns.postalAddress"), value: (r) => r.postalAddress },
      { label: column("exportPage.columns.phone"), value: (r) => r.phone },
      { label: column("exportPage.columns.source"), value: (r) => describeSource(r.source, r.firstRecorded, timeZone, language) },
      { label: column("exportPage.columns.lastChanged"), value: (r) => when(r.lastUpdated) },
      { label: column("exportPage.columns.ourReference"), value: (r) => r.externalId },
    ]),
    table(words, "donations", section("donations"), doc.donations, [
      { label: column("exportPage.columns.date"), value: (r) => day(r.date) },
      { label: column("exportPage.columns.amount"), value: (r) => formatAmount(r.amountMinor, r.currency, language) },
      { label: column("exportPage.columns.method"), value: (r) => describeDonationMethod(r.method, language) },
      { label: column("exportPage.columns.cardEnding"), value: (r) => r.cardLast4 },
      { label: column("exportPage.columns.ourReference"), value: (r) => r.externalId },
    ]),
    table(words, "memberships", section("memberships"), doc.memberships, [
      { label: column("exportPage.columns.plan"), value: (r) => r.plan },
      { label: column("exportPage.columns.started"), value: (r) => day(r.startedOn) },
      { label: column("exportPage.columns.ends"), value: (r) => day(r.endsOn) },
      { label: column("exportPage.columns.status"), value: (r) => r.status },
    ]),
    table(words, "lists", section("lists"), doc.subscriptions, [
      { label: column("exportPage.columns.list"), value: (r) => r.list },
      { label: column("exportPage.columns.subscribed"), value: (r) => when(r.subscribedAt) },
      { label: column("exportPage.columns.unsubscribed"), value: (r) => when(r.unsubscribedAt) },
    ]),
    table(words, "petitions", section("petitions"), doc.petitionSignatures, [
      { label: column("exportPage.columns.petition"), value: (r) => r.petition },
      { label: column("exportPage.columns.signed"), value: (r) => when(r.signedAt) },
      { label: column("exportPage.columns.comment"), value: (r) => r.comment },
    ]),
    table(words, "correspondence", section("correspondence"), doc.correspondence, [
      { label: column("exportPage.columns.when"), value: (r) => when(r.at) },
      { label: column("exportPage.columns.direction"), value: (r) => words(r.direction === "in" ? "exportPage.direction.in" : "exportPage.direction.out") },
      { label: column("exportPage.columns.channel"), value: (r) => r.channel },
      { label: column("exportPage.columns.subject"), value: (r) => r.subject },
      { label: column("exportPage.columns.text"), value: (r) => r.body },
    ]),
    table(words, "visits", section("visits"), doc.webVisits, [
      { label: column("exportPage.columns.when"), value: (r) => when(r.at) },
      { label: column("exportPage.columns.page"), value: (r) => r.page },
      { label: column("exportPage.columns.cameFrom"), value: (r) => r.referrer },
      { label: column("exportPage.columns.ipAddress"), value: (r) => r.ipAddress },
      { label: column("exportPage.columns.browser"), value: (r) => r.userAgent },
    ]),
    // An export stored before version 2 gathered neither of these; it does not claim there were none.
    ...(doc.requests ? [requestsSection(doc.requests, when, words, language)] : []),
    ...(doc.emails ? [emailsSection(doc.emails, when, words)] : []),
    // Version 4 added the choices; an older export does not claim there were none.
    ...(doc.choices
      ? [
          table(words, "choices", section("choices"), doc.choices, [
            { label: column("exportPage.choices.about"), value: (c) => choiceAbout(c, words) },
            { label: column("exportPage.choices.answer"), value: (c) => choiceAnswer(c, words) },
            { label: column("exportPage.choices.since"), value: (c) => when(c.since) },
            { label: column("exportPage.choices.how"), value: (c) => routeWords(c.how, words) },
          ]),
        ]
      : []),
    ...(doc.choiceHistory
      ? [
          table(words, "history", section("choiceHistory"), doc.choiceHistory, [
            { label: column("exportPage.choices.when"), value: (c) => when(c.at) },
            { label: column("exportPage.choices.about"), value: (c) => choiceAbout(c, words) },
            { label: column("exportPage.choices.answer"), value: (c) => choiceAnswer(c, words) },
            { label: column("exportPage.choices.how"), value: (c) => routeWords(c.how, words) },
            { label: column("exportPage.choices.wording"), value: (c) => c.wording },
            { label: column("exportPage.choices.request"), value: (c) => c.reference },
          ]),
        ]
      : []),
    // Version 3 on: every connected system searched, each in a section of its own.
    ...(doc.connectedSystems ?? []).map((section, i) => connectedSection(section, i, when, words)),
  ];
  const s = doc.statement;
  // Sections in the organisation's default language, where it gave none in this one, are marked as such.
  const other = doc.statementLanguages ?? {};
  // The rights the statement gave come first; the right to complain, after them, is in the export's language.
  const statementRights = rightsLines(s.rights).length;
  const orgName = doc.organisation;
  const org = escapeHtml(orgName);
  const contents = [
    ...sections.map((section) => `<li><a href="#${section.id}">${escapeHtml(section.title)}</a> (${section.count})</li>`),
    `<li><a href="#use">${escapeHtml(section("use"))}</a></li>`,
    `<li><a href="#rights">${escapeHtml(section("rights"))}</a></li>`,
  ];
  // Staff read their banner in English, marked as such inside a page that may be in another language.
  const banner =
    options.staffLook === "preview"
      ? `<p class="staff" role="note" lang="en">Staff preview, built ${escapeHtml(formatInstant(new Date(doc.generatedAt), timeZone))} from the records as they are now, in the request's language. Nothing has been stored or sent; approving builds the export again.</p>`
      : options.staffLook === "sent"
        ? `<p class="staff" role="note" lang="en">The export as sent to the supporter: built ${escapeHtml(formatInstant(new Date(doc.generatedAt), timeZone))}, available to them until ${escapeHtml(formatInstant(new Date(doc.availableUntil), timeZone))}.</p>`
        : "";
  // markup() inserts values as they are: each is escaped here, and the catalogue's own words are trusted.
  const intro = words.markup("exportPage.intro", {
    orgName: org,
    email: escapeHtml(doc.subjectEmail),
    reference: escapeHtml(doc.reference),
    generated: escapeHtml(when(doc.generatedAt) ?? ""),
    until: escapeHtml(when(doc.availableUntil) ?? ""),
    strong: (chunks) => `<strong>${chunks}</strong>`,
  });
  return `<!doctype html>
<html lang="${language}" dir="${textDirection(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${escapeHtml(words("exportPage.description", { orgName, reference: doc.reference }))}">
<title>${escapeHtml(words("exportPage.title", { orgName, reference: doc.reference }))}</title>
<style${options.styleNonce ? ` nonce="${escapeHtml(options.styleNonce)}"` : ""}>${STYLE}</style>
</head>
<body>
<header class="band"><div class="inner"><p>${escapeHtml(words("exportPage.band", { orgName }))}</p></div></header>
<main>
${banner}
<h1>${escapeHtml(words("exportPage.heading", { orgName }))}</h1>
<p>${intro}</p>
${doc.connectedSystems && doc.connectedSystems.length > 0 ? `<p>${escapeHtml(words("exportPage.connected.searched", { systems: doc.connectedSystems.map((c) => c.system).join(", ") }))}</p>` : ""}
<nav class="toc" aria-labelledby="contents"><h2 id="contents">${escapeHtml(words("exportPage.contents"))}</h2><ol>
${contents.join("\n")}
</ol></nav>
${sections.map((section) => `<section aria-labelledby="${section.id}">\n${section.html}\n</section>`).join("\n")}
<section aria-labelledby="use">
<h2 id="use">${escapeHtml(section("use"))}</h2>
${paragraphs(words("exportPage.use.why"), s.purposes, other.purposes)}
${paragraphs(words("exportPage.use.who"), s.recipients, other.recipients)}
${paragraphs(words("exportPage.use.howLong"), s.retention, other.retention)}
<p>${escapeHtml(s.donationRetentionYears === 0 ? words("exportPage.use.donationsNone") : words("exportPage.use.donations", { years: s.donationRetentionYears }))}</p>
${paragraphs(words("exportPage.use.from"), s.sources, other.sources)}
</section>
<section aria-labelledby="rights">
<h2 id="rights">${escapeHtml(section("rights"))}</h2>
<ul>${doc.rights.map((r, i) => `<li${i < statementRights ? langOf(other.rights) : ""}>${escapeHtml(r)}</li>`).join("")}</ul>
</section>
</main>
</body>
</html>
`;
}

type AccessExportSections = Messages["exportPage"]["sections"];
