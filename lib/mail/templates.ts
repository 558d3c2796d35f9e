/**
 * The messages Rightsdesk sends. Each function fixes the subject and picks
 * the template (lib/mail/emails) with its props; the worker renders both
 * parts when it sends, because rendering is asynchronous and these run
 * inside the synchronous database transaction of the change they report.
 *
 * Subjects never contain anything a supporter typed, so nothing they type
 * can reach a mail header. Each takes its template's props as their schema
 * (lib/mail/template-calls.ts) declares them.
 */
import { requestTypeLabel } from "@/lib/requests/request-types";
import type { MailDraft, TemplateProps } from "./template-calls";
import { countOf } from "@/lib/language/plural";

export type { MailDraft } from "./template-calls";

export function confirmRequestMail(input: TemplateProps<"confirm-request">): MailDraft {
  return { subject: `Confirm your request to ${input.orgName}`, template: { name: "confirm-request", props: input } };
}

export function signInMail(input: TemplateProps<"sign-in">): MailDraft {
  return { subject: `Your sign-in link for ${input.orgName}`, template: { name: "sign-in", props: input } };
}

export function receiptMail(input: TemplateProps<"receipt">): MailDraft {
  return { subject: `We have received your request ${input.reference}`, template: { name: "receipt", props: input } };
}

export function cancellationMail(input: TemplateProps<"cancellation">): MailDraft {
  return { subject: `Your request ${input.reference} has been cancelled`, template: { name: "cancellation", props: input } };
}

export function questionMail(input: TemplateProps<"question">): MailDraft {
  return {
    subject: `We need something from you about your request ${input.reference}`,
    template: { name: "question", props: input },
  };
}

export function extensionMail(input: TemplateProps<"extension">): MailDraft {
  return { subject: `We need more time for your request ${input.reference}`, template: { name: "extension", props: input } };
}

export function completionMail(input: TemplateProps<"completion">): MailDraft {
  return { subject: `Your request ${input.reference} is complete`, template: { name: "completion", props: input } };
}

export function denialMail(input: TemplateProps<"denial">): MailDraft {
  return { subject: `Our decision on your request ${input.reference}`, template: { name: "denial", props: input } };
}

export function staffCancellationMail(input: TemplateProps<"staff-cancellation">): MailDraft {
  return { subject: `Your request ${input.reference} has been closed`, template: { name: "staff-cancellation", props: input } };
}

// ---------------------------------------------------------------------------
// To staff
// ---------------------------------------------------------------------------

export function newRequestNoticeMail(input: TemplateProps<"new-request">): MailDraft {
  return {
    subject: `${input.assignedToYou ? "Assigned to you" : "New request"}: ${input.reference} (${requestTypeLabel(input.type)})`,
    template: { name: "new-request", props: input },
  };
}

export function dailyDigestMail(input: TemplateProps<"daily-digest">): MailDraft {
  const overdue = input.overdue.length;
  const soon = input.dueSoon.length;
  const parts = [overdue > 0 ? `${overdue} overdue` : null, soon > 0 ? `${soon} due within 7 days` : null].filter(Boolean);
  return {
    subject: `Requests needing attention at ${input.orgName}: ${parts.join(", ") || "none"}`,
    template: { name: "daily-digest", props: input },
  };
}

export function failedMailAlertMail(input: TemplateProps<"failed-mail-alert">): MailDraft {
  return {
    subject: `${countOf(input.count, "email")} from ${input.orgName} could not be delivered`,
    template: { name: "failed-mail-alert", props: input },
  };
}

export function unsubscribedMail(input: TemplateProps<"unsubscribed">): MailDraft {
  return { subject: `You are off our mailing lists (${input.reference})`, template: { name: "unsubscribed", props: input } };
}

export function erasureCompletedMail(input: {
  orgName: string;
  reference: string;
  kept: ReadonlyArray<{ what: string; why: string }>;
  requestUrl: string;
}): MailDraft {
  return {
    subject: `Your request ${input.reference} is complete`,
    template: { name: "erasure-completed", props: { ...input, kept: input.kept.map(({ what, why }) => ({ what, why })) } },
  };
}

export function correctionCompletedMail(input: {
  orgName: string;
  reference: string;
  decisions: ReadonlyArray<{ label: string; accepted: boolean; note: string | null }>;
  requestUrl: string;
}): MailDraft {
  return {
    subject: `Your request ${input.reference} is complete`,
    template: { name: "correction-completed", props: { ...input, decisions: input.decisions.map(({ label, accepted, note }) => ({ label, accepted, note })) } },
  };
}

export function concernMessageMail(input: TemplateProps<"concern-message">): MailDraft {
  return { subject: `A message about your concern ${input.reference}`, template: { name: "concern-message", props: input } };
}

/**
 * Sent instead of a confirmation link when a per-supporter limit refuses a
 * request made by someone not signed in. The refusal goes to the mailbox,
 * not the screen, so the form cannot be used to learn about someone else's
 * requests.
 */
export function limitReachedMail(input: TemplateProps<"limit-reached">): MailDraft {
  return { subject: `We could not take your request to ${input.orgName}`, template: { name: "limit-reached", props: input } };
}

// ---------------------------------------------------------------------------
// The record, to admins
// ---------------------------------------------------------------------------

export function recordAnchorMail(input: TemplateProps<"record-anchor">): MailDraft {
  return { subject: `The request log at ${input.orgName} was checked and signed at event ${input.position}`, template: { name: "record-anchor", props: input } };
}

export function recordAlertMail(input: TemplateProps<"record-alert">): MailDraft {
  return { subject: `The record at ${input.orgName} needs an admin: ${input.job.toLowerCase()} stopped`, template: { name: "record-alert", props: input } };
}
