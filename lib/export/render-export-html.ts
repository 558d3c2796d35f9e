/**
 * The readable copy of an access export: one self-contained HTML page (no
 * scripts, no outside resources) that prints well and can be saved. Every
 * value is escaped; none of it is trusted.
 */
import { escapeHtml } from "@/lib/mail/escape";
import { formatInstant } from "@/lib/mail/format";
import type { AccessExport } from "./build-access-export";

type Column<T> = { label: string; value: (row: T) => string | null };

function table<T>(title: string, rows: T[], columns: Column<T>[]): string {
  const heading = `<h2>${escapeHtml(title)} <small>(${rows.length})</small></h2>`;
  if (rows.length === 0) return `${heading}\n<p class="none">We hold none.</p>`;
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c.label)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${columns.map((c) => `<td>${escapeHtml(c.value(row) ?? "—")}</td>`).join("")}</tr>`)
    .join("\n");
  return `${heading}\n<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function paragraphs(title: string, text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return `<h3>${escapeHtml(title)}</h3>\n<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`;
}

export function renderExportHtml(doc: AccessExport, timeZone: string): string {
  const when = (iso: string | null) => (iso ? formatInstant(new Date(iso), timeZone) : null);
  const sections = [
    table("Your details", doc.supporterDetails, [
      { label: "Name", value: (r) => r.name },
      { label: "Email", value: (r) => r.email },
      { label: "Postal address", value: (r) => r.postalAddress },
      { label: "Phone", value: (r) => r.phone },
      { label: "Where it came from", value: (r) => r.source },
      { label: "Our reference", value: (r) => r.externalId },
    ]),
    table("Donations", doc.donations, [
      { label: "Date", value: (r) => r.date },
      { label: "Amount", value: (r) => `${r.amount} ${r.currency}` },
      { label: "Method", value: (r) => r.method.replace(/_/g, " ") },
      { label: "Card ending", value: (r) => r.cardLast4 },
      { label: "Our reference", value: (r) => r.externalId },
    ]),
    table("Memberships", doc.memberships, [
      { label: "Plan", value: (r) => r.plan },
      { label: "Started", value: (r) => r.startedOn },
      { label: "Ends", value: (r) => r.endsOn },
      { label: "Status", value: (r) => r.status },
    ]),
    table("Mailing lists", doc.subscriptions, [
      { label: "List", value: (r) => r.list },
      { label: "Subscribed", value: (r) => when(r.subscribedAt) },
      { label: "Unsubscribed", value: (r) => when(r.unsubscribedAt) },
    ]),
    table("Petitions signed", doc.petitionSignatures, [
      { label: "Petition", value: (r) => r.petition },
      { label: "Signed", value: (r) => when(r.signedAt) },
      { label: "Comment", value: (r) => r.comment },
    ]),
    table("Correspondence", doc.correspondence, [
      { label: "When", value: (r) => when(r.at) },
      { label: "Direction", value: (r) => (r.direction === "in" ? "from you" : "to you") },
      { label: "Channel", value: (r) => r.channel },
      { label: "Subject", value: (r) => r.subject },
      { label: "Text", value: (r) => r.body },
    ]),
    table("Visits to our website", doc.webVisits, [
      { label: "When", value: (r) => when(r.at) },
      { label: "Page", value: (r) => r.page },
      { label: "Came from", value: (r) => r.referrer },
      { label: "IP address", value: (r) => r.ipAddress },
      { label: "Browser", value: (r) => r.userAgent },
    ]),
  ];
  const s = doc.statement;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your data held by ${escapeHtml(doc.organisation)} (${escapeHtml(doc.reference)})</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; color: #111; max-width: 70rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2rem; border-bottom: 2px solid #ddd; } small { color: #555; font-weight: normal; }
.scroll { overflow-x: auto; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.6rem; border-bottom: 1px solid #ddd; white-space: pre-wrap; overflow-wrap: anywhere; }
.none { color: #555; }
</style>
</head>
<body>
<main>
<h1>Your data held by ${escapeHtml(doc.organisation)}</h1>
<p>This is everything ${escapeHtml(doc.organisation)} holds about <strong>${escapeHtml(doc.subjectEmail)}</strong>, gathered for your request ${escapeHtml(doc.reference)} on ${escapeHtml(when(doc.generatedAt) ?? "")}. The same data is available as a JSON file from your request's page until ${escapeHtml(when(doc.availableUntil) ?? "")}.</p>
${sections.join("\n")}
<h2>How we use your data</h2>
${paragraphs("Why we hold it", s.purposes)}
${paragraphs("Who receives it", s.recipients)}
${paragraphs("How long we keep it", s.retention)}
<p>Donation records are kept for ${escapeHtml(String(s.donationRetentionYears))} years for tax purposes, even after an erasure (without your name or contact details).</p>
${paragraphs("Where it came from", s.sources)}
<h2>Your rights</h2>
<ul>${doc.rights.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}</ul>
</main>
</body>
</html>
`;
}
