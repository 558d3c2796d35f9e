/**
 * One description of a message renders both its plain-text and HTML parts,
 * so the two never drift apart. Every string is treated as text and escaped.
 */
import { escapeHtml } from "./escape";

export type MailBlock =
  | { kind: "paragraph"; text: string }
  | { kind: "button"; label: string; url: string }
  | { kind: "facts"; rows: ReadonlyArray<readonly [string, string]> }
  | { kind: "quote"; text: string };

export type MailContent = {
  subject: string;
  orgName: string;
  blocks: MailBlock[];
  /** The small print under the message. */
  footer: string;
};

export type RenderedMail = { subject: string; text: string; html: string };

function textOf(block: MailBlock): string {
  switch (block.kind) {
    case "paragraph":
      return block.text;
    case "button":
      return `${block.label}:\n${block.url}`;
    case "facts":
      return block.rows.map(([label, value]) => `${label}: ${value}`).join("\n");
    case "quote":
      return block.text
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n");
  }
}

function htmlOf(block: MailBlock): string {
  switch (block.kind) {
    case "paragraph":
      return `<p style="margin:0 0 16px">${escapeHtml(block.text)}</p>`;
    case "button":
      return (
        `<p style="margin:0 0 16px"><a href="${escapeHtml(block.url)}" ` +
        `style="display:inline-block;background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">` +
        `${escapeHtml(block.label)}</a></p>` +
        `<p style="margin:0 0 16px;font-size:13px;color:#4b5563">If the button does not work, copy this address into your browser:<br>${escapeHtml(block.url)}</p>`
      );
    case "facts":
      return (
        `<table role="presentation" style="margin:0 0 16px;border-collapse:collapse">` +
        block.rows
          .map(
            ([label, value]) =>
              `<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0;font-weight:600">${escapeHtml(label)}</th>` +
              `<td style="padding:4px 0">${escapeHtml(value)}</td></tr>`,
          )
          .join("") +
        `</table>`
      );
    case "quote":
      return `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:4px solid #d1d5db;white-space:pre-wrap">${escapeHtml(block.text)}</blockquote>`;
  }
}

export function renderMail(content: MailContent): RenderedMail {
  const text =
    [content.orgName, "", ...content.blocks.map(textOf).flatMap((t) => [t, ""]), "--", content.footer].join("\n") +
    "\n";
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>` +
    `<body style="margin:0;padding:24px;background:#f3f4f6;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111827;line-height:1.5">` +
    `<div style="max-width:560px;margin:0 auto;background:#ffffff;padding:24px;border-radius:8px">` +
    `<p style="margin:0 0 24px;font-weight:700;font-size:18px">${escapeHtml(content.orgName)}</p>` +
    content.blocks.map(htmlOf).join("") +
    `<hr style="border:none;border-top:1px solid #e5e7eb;margin:24px 0 12px">` +
    `<p style="margin:0;font-size:13px;color:#4b5563">${escapeHtml(content.footer)}</p>` +
    `</div></body></html>`;
  return { subject: content.subject, text, html };
}
