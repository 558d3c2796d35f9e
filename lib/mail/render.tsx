/**
 * Turns a stored template call into the two parts of an email with
 * react-email: the HTML, and the plain text derived from that same HTML, so
 * the two never say different things. Only the mail worker imports this.
 */
import { render, toPlainText } from "@react-email/render";
import type { ReactElement } from "react";
import type { TemplateCall } from "./template-calls";
import { CancellationEmail } from "./emails/cancellation";
import { LimitReachedEmail } from "./emails/limit-reached";
import { CompletionEmail } from "./emails/completion";
import { ConcernMessageEmail } from "./emails/concern-message";
import { ConfirmRequestEmail } from "./emails/confirm-request";
import { CorrectionCompletedEmail } from "./emails/correction-completed";
import { DailyDigestEmail } from "./emails/daily-digest";
import { DenialEmail } from "./emails/denial";
import { ErasureCompletedEmail } from "./emails/erasure-completed";
import { ExtensionEmail } from "./emails/extension";
import { FailedMailAlertEmail } from "./emails/failed-mail-alert";
import { NewRequestEmail } from "./emails/new-request";
import type { MailBrand } from "./emails/parts";
import { QuestionEmail } from "./emails/question";
import { RecordAlertEmail } from "./emails/record-alert";
import { RecordAnchorEmail } from "./emails/record-anchor";
import { ReceiptEmail } from "./emails/receipt";
import { SignInEmail } from "./emails/sign-in";
import { StaffCancellationEmail } from "./emails/staff-cancellation";
import { UnsubscribedEmail } from "./emails/unsubscribed";

export type { MailBrand } from "./emails/parts";

export type RenderedParts = { html: string; text: string };

function elementFor(call: TemplateCall, brand: MailBrand): ReactElement {
  switch (call.name) {
    case "confirm-request":
      return <ConfirmRequestEmail props={call.props} brand={brand} />;
    case "sign-in":
      return <SignInEmail props={call.props} brand={brand} />;
    case "receipt":
      return <ReceiptEmail props={call.props} brand={brand} />;
    case "cancellation":
      return <CancellationEmail props={call.props} brand={brand} />;
    case "question":
      return <QuestionEmail props={call.props} brand={brand} />;
    case "extension":
      return <ExtensionEmail props={call.props} brand={brand} />;
    case "completion":
      return <CompletionEmail props={call.props} brand={brand} />;
    case "denial":
      return <DenialEmail props={call.props} brand={brand} />;
    case "staff-cancellation":
      return <StaffCancellationEmail props={call.props} brand={brand} />;
    case "new-request":
      return <NewRequestEmail props={call.props} brand={brand} />;
    case "daily-digest":
      return <DailyDigestEmail props={call.props} brand={brand} />;
    case "limit-reached":
      return <LimitReachedEmail props={call.props} brand={brand} />;
    case "failed-mail-alert":
      return <FailedMailAlertEmail props={call.props} brand={brand} />;
    case "unsubscribed":
      return <UnsubscribedEmail props={call.props} brand={brand} />;
    case "erasure-completed":
      return <ErasureCompletedEmail props={call.props} brand={brand} />;
    case "correction-completed":
      return <CorrectionCompletedEmail props={call.props} brand={brand} />;
    case "concern-message":
      return <ConcernMessageEmail props={call.props} brand={brand} />;
    case "record-anchor":
      return <RecordAnchorEmail props={call.props} brand={brand} />;
    case "record-alert":
      return <RecordAlertEmail props={call.props} brand={brand} />;
  }
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
