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
import { countOf } from "@/lib/language/plural";
import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import type { RequestStatus, RequestType } from "@/db/schema";
import { calendarDateIn } from "@/lib/calendar/dates";
import { describeStatus } from "@/lib/requests/lifecycle/transitions";
import type { AccessExport, ExportedChoice, ExportedEmail, ExportedRequest } from "./build-access-export";
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
export function describeSource(source: string, firstRecorded: string, timeZone: string): string {
  const day = formatCalendarDate(calendarDateIn(new Date(firstRecorded), timeZone));
  if (/^(import|upload):/.test(source)) return `Our supporter database (CRM), imported on ${day}`;
  if (/^demo data/.test(source)) return `Made-up demonstration data, created on ${day}`;
  return `Our records (${source}), first recorded on ${day}`;
}

function table<T>(id: string, title: string, rows: T[], columns: Column<T>[]): Section {
  const heading = `<h2 id="${id}">${escapeHtml(title)} <small>(${rows.length})</small></h2>`;
  if (rows.length === 0) return { id, title, count: 0, html: `${heading}\n<p class="none">We hold none.</p>` };
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c.label)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${columns.map((c) => `<td data-label="${escapeHtml(c.label)}">${escapeHtml(c.value(row) ?? "—")}</td>`).join("")}</tr>`)
    .join("\n");
  return { id, title, count: rows.length, html: `${heading}\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>` };
}

const KIND_WORDS: Record<ConnectedSection["kind"], string> = { postgres: "database", mysql: "database", mailman: "mailing-list server" };

/** One section per connected system, named by it: each mapped table (or the lists) with what was found. */
function connectedSection(section: ConnectedSection, index: number, when: (iso: string | null) => string | null): Section {
  const id = `system-${index + 1}`;
  const title = `${section.system} (our ${KIND_WORDS[section.kind]})`;
  const searched = `<p>Searched ${escapeHtml(when(section.searchedAt) ?? "")}.</p>`;
  const parts: string[] = [];
  let count = 0;
  for (const t of section.tables ?? []) {
    count += t.rows.length;
    if (t.rows.length === 0) continue;
    const head = t.columns.map((c) => `<th scope="col">${escapeHtml(c.name)} <small>(${escapeHtml(c.categoryLabel)})</small></th>`).join("");
    const body = t.rows
      .map((row) => `<tr>${t.columns.map((c) => `<td data-label="${escapeHtml(c.name)}">${escapeHtml(row[c.name] === null || row[c.name] === undefined ? "—" : String(row[c.name]))}</td>`).join("")}</tr>`)
      .join("\n");
    parts.push(`<h3>${escapeHtml(t.label)} <small>(${t.rows.length})</small></h3>\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`);
  }
  if (section.lists) {
    count += section.lists.length;
    if (section.lists.length > 0) {
      const rows = section.lists
        .map((l) => `<tr><td data-label="List">${escapeHtml(l.listName)} &lt;${escapeHtml(l.list)}&gt;</td><td data-label="As">${escapeHtml(l.role)}</td><td data-label="Since">${escapeHtml(when(l.subscribedAt) ?? "—")}</td></tr>`)
        .join("\n");
      parts.push(`<table><thead><tr><th scope="col">List</th><th scope="col">As</th><th scope="col">Since</th></tr></thead><tbody>\n${rows}\n</tbody></table>`);
    }
  }
  const heading = `<h2 id="${id}">${escapeHtml(title)} <small>(${count})</small></h2>`;
  return { id, title, count, html: `${heading}\n${searched}\n${count === 0 ? `<p class="none">We hold none there.</p>` : parts.join("\n")}` };
}

function paragraphs(title: string, text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return `<h3>${escapeHtml(title)}</h3>\n<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`;
}

function requestsSection(rows: ExportedRequest[], when: (iso: string | null) => string | null): Section {
  const id = "requests";
  const title = "Your requests to us";
  const heading = `<h2 id="${id}">${title} <small>(${rows.length})</small></h2>`;
  if (rows.length === 0) return { id, title, count: 0, html: `${heading}\n<p class="none">None.</p>` };
  const items = rows.map((r) => {
    const facts: Array<[string, string | null]> = [
      ["Status", describeStatus(r.status as RequestStatus)],
      ["Received", when(r.receivedAt)],
      ["Answer due by", r.closedAt ? null : formatCalendarDate(r.dueOn)],
      ["Closed", when(r.closedAt)],
      ["How it reached us", r.channel === "web" ? "on this website" : `by ${r.channel}`],
      ["How we checked it was you", r.identityCheck],
      ["Deadline extended", r.extendedAt ? `${when(r.extendedAt)}: ${r.extensionReason ?? ""}` : null],
      ["Name given", r.name],
      ["Email address", r.email],
      ...r.asked.map((a): [string, string] => [a.label, a.value]),
    ];
    const shown = facts.filter((f): f is [string, string] => f[1] !== null && f[1] !== "");
    return `<article class="item">
<h3>${escapeHtml(requestTypeLabel(r.type as RequestType))} <span class="ref">${escapeHtml(r.reference)}</span></h3>
<dl>${shown.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join("")}</dl>
</article>`;
  });
  return { id, title, count: rows.length, html: `${heading}\n${items.join("\n")}` };
}

const MAIL_STATUS: Record<string, string> = { sent: "Sent", pending: "Not sent yet", failed: "Not delivered yet; still being tried" };

function emailsSection(rows: ExportedEmail[], when: (iso: string | null) => string | null): Section {
  const id = "emails";
  const title = "Emails we sent you";
  const heading = `<h2 id="${id}">${title} <small>(${rows.length})</small></h2>`;
  if (rows.length === 0) return { id, title, count: 0, html: `${heading}\n<p class="none">None.</p>` };
  const items = rows.map((m) => {
    const status = m.sentAt ? `Sent ${when(m.sentAt)}` : `${MAIL_STATUS[m.status] ?? m.status} (written ${when(m.queuedAt)})`;
    const text =
      m.text !== null
        ? `<div class="mail">${escapeHtml(m.text)}</div>`
        : m.kind === "sign-in" || m.kind === "confirm-request"
          ? `<p class="none">A link to sign in or to confirm a request. We do not keep the text of these, because the link in it worked like a key.</p>`
          : `<p class="none">The text is written when the email is sent.</p>`;
    return `<article class="item">
<h3>${escapeHtml(m.subject)}</h3>
<p class="meta">${escapeHtml(status)} to ${escapeHtml(m.to)}${m.reference ? `, about request ${escapeHtml(m.reference)}` : ""}</p>
${text}
</article>`;
  });
  return { id, title, count: rows.length, html: `${heading}\n${items.join("\n")}` };
}

/** What each choice is about, and each answer and route, in words. */
function choiceAbout(c: Pick<ExportedChoice, "topic" | "list">): string {
  if (c.topic === "all_lists") return "Every mailing list, including lists added later";
  if (c.topic === "sale_sharing") return "Selling or sharing your data with other organisations";
  return `The mailing list "${c.list ?? ""}"`;
}
function choiceAnswer(c: Pick<ExportedChoice, "topic" | "state">): string {
  if (c.topic === "sale_sharing") return c.state === "withdrawn" ? "You objected" : "You agreed";
  return c.state === "withdrawn" ? "Off" : "On";
}
const ROUTE_WORDS: Record<string, string> = {
  page: "on our preference page",
  one_click: "with the unsubscribe button of your mail program",
  gpc: "by your browser's privacy signal (Global Privacy Control)",
  staff: "through our staff",
  request: "with a request to stop all emails",
  import: "in our other records, imported",
};
const routeWords = (how: string) => ROUTE_WORDS[how] ?? how;

const STYLE = `
:root { --ink: #111827; --muted: #4b5563; --line: #d1d5db; --paper: #ffffff; --wash: #f3f4f6; --brand: #1d4ed8; --brand-dark: #1e3a8a; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--wash); }
header.band { background: var(--brand-dark); color: #fff; }
header.band .inner, main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
header.band p { margin: 0; font-weight: 700; font-size: 1.15rem; }
main { background: var(--paper); }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.25rem 0 0.5rem; }
small, .none, .meta { color: var(--muted); font-weight: normal; }
a { color: var(--brand); }
.staff { border-left: 6px solid #92400e; background: #fffbeb; padding: 0.75rem 1rem; border-radius: 4px; font-weight: 600; }
nav.toc { border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 1rem; }
nav.toc h2 { border: none; margin: 0.5rem 0; font-size: 1.15rem; }
nav.toc ol { margin: 0 0 0.5rem; padding-left: 1.25rem; }
nav.toc li { margin: 0.3rem 0; }
nav.toc a { display: inline-block; min-height: 24px; padding: 2px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); white-space: pre-wrap; overflow-wrap: anywhere; }
thead th { border-bottom: 2px solid var(--ink); }
.item { border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 1rem; margin: 0 0 0.75rem; }
.item h3 { margin: 0.25rem 0 0.5rem; overflow-wrap: anywhere; }
.ref { color: var(--muted); font-weight: normal; white-space: nowrap; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0 0 0.5rem; }
dt { font-weight: 600; }
dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.mail { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 4px solid var(--line); padding: 0.25rem 0.75rem; margin: 0 0 0.5rem; }
@media (max-width: 40rem) {
  h1 { font-size: 1.6rem; }
  main { padding: 0.75rem; }
  table, tbody, tr, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  tr { border: 1px solid var(--line); border-radius: 8px; padding: 0.4rem 0.75rem; margin-bottom: 0.75rem; }
  td { border: none; padding: 0.15rem 0; }
  td::before { content: attr(data-label) ": "; font-weight: 600; }
  dl { grid-template-columns: 1fr; gap: 0; }
  dd { margin-bottom: 0.4rem; }
}
@media print {
  @page { margin: 15mm; }
  body { background: #fff; font-size: 11pt; }
  header.band { background: none; color: var(--ink); border-bottom: 2px solid var(--ink); }
  header.band .inner, main { max-width: none; padding: 0; }
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
  const when = (iso: string | null) => (iso ? formatInstant(new Date(iso), timeZone) : null);
  const day = (date: string | null) => (date ? formatCalendarDate(date) : null);
  const sections: Section[] = [
    table("details", "Your details", doc.supporterDetails, [
      { label: "Name", value: (r) => r.name },
      { label: "Email", value: (r) => r.email },
      { label: "Postal address", value: (r) => r.postalAddress },
      { label: "Phone", value: (r) => r.phone },
      { label: "Where it came from", value: (r) => describeSource(r.source, r.firstRecorded, timeZone) },
      { label: "Last changed", value: (r) => when(r.lastUpdated) },
      { label: "Our reference", value: (r) => r.externalId },
    ]),
    table("donations", "Donations", doc.donations, [
      { label: "Date", value: (r) => day(r.date) },
      { label: "Amount", value: (r) => `${r.amount} ${r.currency}` },
      { label: "Method", value: (r) => r.method.replace(/_/g, " ") },
      { label: "Card ending", value: (r) => r.cardLast4 },
      { label: "Our reference", value: (r) => r.externalId },
    ]),
    table("memberships", "Memberships", doc.memberships, [
      { label: "Plan", value: (r) => r.plan },
      { label: "Started", value: (r) => day(r.startedOn) },
      { label: "Ends", value: (r) => day(r.endsOn) },
      { label: "Status", value: (r) => r.status },
    ]),
    table("lists", "Mailing lists", doc.subscriptions, [
      { label: "List", value: (r) => r.list },
      { label: "Subscribed", value: (r) => when(r.subscribedAt) },
      { label: "Unsubscribed", value: (r) => when(r.unsubscribedAt) },
    ]),
    table("petitions", "Petitions signed", doc.petitionSignatures, [
      { label: "Petition", value: (r) => r.petition },
      { label: "Signed", value: (r) => when(r.signedAt) },
      { label: "Comment", value: (r) => r.comment },
    ]),
    table("correspondence", "Correspondence", doc.correspondence, [
      { label: "When", value: (r) => when(r.at) },
      { label: "Direction", value: (r) => (r.direction === "in" ? "from you" : "to you") },
      { label: "Channel", value: (r) => r.channel },
      { label: "Subject", value: (r) => r.subject },
      { label: "Text", value: (r) => r.body },
    ]),
    table("visits", "Visits to our website", doc.webVisits, [
      { label: "When", value: (r) => when(r.at) },
      { label: "Page", value: (r) => r.page },
      { label: "Came from", value: (r) => r.referrer },
      { label: "IP address", value: (r) => r.ipAddress },
      { label: "Browser", value: (r) => r.userAgent },
    ]),
    // An export stored before version 2 gathered neither of these; it does not claim there were none.
    ...(doc.requests ? [requestsSection(doc.requests, when)] : []),
    ...(doc.emails ? [emailsSection(doc.emails, when)] : []),
    // Version 4 added the choices; an older export does not claim there were none.
    ...(doc.choices
      ? [
          table("choices", "Your choices about our emails and your data", doc.choices, [
            { label: "About", value: (c) => choiceAbout(c) },
            { label: "Your choice", value: (c) => choiceAnswer(c) },
            { label: "Since", value: (c) => when(c.since) },
            { label: "How", value: (c) => routeWords(c.how) },
          ]),
        ]
      : []),
    ...(doc.choiceHistory
      ? [
          table("history", "History of your choices", doc.choiceHistory, [
            { label: "When", value: (c) => when(c.at) },
            { label: "About", value: (c) => choiceAbout(c) },
            { label: "Your choice", value: (c) => choiceAnswer(c) },
            { label: "How", value: (c) => routeWords(c.how) },
            { label: "What you saw or sent", value: (c) => c.wording },
            { label: "Request", value: (c) => c.reference },
          ]),
        ]
      : []),
    // Version 3 on: every connected system searched, each in a section of its own.
    ...(doc.connectedSystems ?? []).map((section, i) => connectedSection(section, i, when)),
  ];
  const s = doc.statement;
  const org = escapeHtml(doc.organisation);
  const contents = [
    ...sections.map((section) => `<li><a href="#${section.id}">${escapeHtml(section.title)}</a> (${section.count})</li>`),
    `<li><a href="#use">How we use your data</a></li>`,
    `<li><a href="#rights">Your rights</a></li>`,
  ];
  const banner =
    options.staffLook === "preview"
      ? `<p class="staff" role="note">Staff preview, built ${escapeHtml(when(doc.generatedAt) ?? "")} from the records as they are now. Nothing has been stored or sent; approving builds the export again.</p>`
      : options.staffLook === "sent"
        ? `<p class="staff" role="note">The export as sent to the supporter: built ${escapeHtml(when(doc.generatedAt) ?? "")}, available to them until ${escapeHtml(when(doc.availableUntil) ?? "")}.</p>`
        : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Everything ${org} holds about you, gathered for your request ${escapeHtml(doc.reference)}.">
<title>Your data held by ${org} (${escapeHtml(doc.reference)})</title>
<style${options.styleNonce ? ` nonce="${escapeHtml(options.styleNonce)}"` : ""}>${STYLE}</style>
</head>
<body>
<header class="band"><div class="inner"><p>${org}: your data rights</p></div></header>
<main>
${banner}
<h1>Your data held by ${org}</h1>
<p>This is everything ${org} holds about <strong>${escapeHtml(doc.subjectEmail)}</strong>, gathered for your request ${escapeHtml(doc.reference)} on ${escapeHtml(when(doc.generatedAt) ?? "")}. The same data is available as a JSON file from your request's page until ${escapeHtml(when(doc.availableUntil) ?? "")}. You can save or print this page.</p>
${doc.connectedSystems && doc.connectedSystems.length > 0 ? `<p>Besides our own records, we searched: ${doc.connectedSystems.map((c) => escapeHtml(c.system)).join(", ")}.</p>` : ""}
<nav class="toc" aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>
${contents.join("\n")}
</ol></nav>
${sections.map((section) => `<section aria-labelledby="${section.id}">\n${section.html}\n</section>`).join("\n")}
<section aria-labelledby="use">
<h2 id="use">How we use your data</h2>
${paragraphs("Why we hold it", s.purposes)}
${paragraphs("Who receives it", s.recipients)}
${paragraphs("How long we keep it", s.retention)}
<p>Donation records are kept for ${escapeHtml(countOf(s.donationRetentionYears, "year"))} for tax purposes, even after an erasure (without your name or contact details).</p>
${paragraphs("Where it came from", s.sources)}
</section>
<section aria-labelledby="rights">
<h2 id="rights">Your rights</h2>
<ul>${doc.rights.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}</ul>
</section>
</main>
</body>
</html>
`;
}
