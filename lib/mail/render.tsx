/**
 * Turns a stored template call into the two parts of an email with
 * react-email: the HTML, and the plain text derived from that same HTML, so
 * the two never say different things. Only the mail worker imports this.
 */
import { render, toPlainText } from "@react-email/render";
import type { ReactElement } from "react";
import type { MailBrand } from "./emails/parts";
import { TEMPLATES, type TemplateCall } from "@/lib/mail/templates";

export type { MailBrand } from "./emails/parts";

export type RenderedParts = { html: string; text: string };

function elementFor(call: TemplateCall, brand: MailBrand): ReactElement {
  // The props were read with this very email's schema (parseTemplateCall), so they fit its body; TypeScript cannot follow that link by itself.
  const Body = TEMPLATES[call.name].Body as (input: { props: TemplateCall["props"]; brand: MailBrand }) => ReactElement;
  return <Body props={call.props} brand={brand} />;
}

// Headings and the like stay as written in the text part rather than shouting in capitals.
const TEXT_OPTIONS = {
  selectors: ["h1", "h2", "h3"].map((selector) => ({ selector, options: { uppercase: false } })),
};

export async function renderTemplate(call: TemplateCall, brand: MailBrand): Promise<RenderedParts> {
  const element = elementFor(call, brand);
  // Rendered once: the text part is made from the HTML, as the library's own plain-text option would render it again to do.
  const html = await render(element);
  return { html, text: `${toPlainText(html, TEXT_OPTIONS).trim()}\n` };
}
