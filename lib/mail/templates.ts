/**
 * The messages Rightsdesk sends. Subjects never contain anything a supporter
 * typed, so nothing they type can reach a mail header.
 */
import type { Regime, RequestType } from "@/db/schema";
import { requestTypeLabel } from "@/lib/requests/request-types";
import type { CalendarDate } from "@/lib/workflow/dates";
import { formatCalendarDate } from "./format";
import { renderMail, type RenderedMail } from "./layout";

const IGNORE_IF_NOT_YOU =
  "If you did not ask for this, you can ignore this email: nothing happens unless the link is used.";

export function confirmRequestMail(input: {
  orgName: string;
  link: string;
  type: RequestType;
  linkMinutes: number;
}): RenderedMail {
  return renderMail({
    subject: `Confirm your request to ${input.orgName}`,
    orgName: input.orgName,
    blocks: [
      {
        kind: "paragraph",
        text: `You asked us: "${requestTypeLabel(input.type)}". To protect your data we need to know this email address is yours. Use the button below to confirm your request; it also signs you in so you can follow it.`,
      },
      { kind: "button", label: "Confirm my request", url: input.link },
      {
        kind: "paragraph",
        text: `The link works once and expires in ${input.linkMinutes} minutes. Your request is not sent until you confirm it, and an unconfirmed request is deleted after 24 hours.`,
      },
    ],
    footer: IGNORE_IF_NOT_YOU,
  });
}

export function signInMail(input: { orgName: string; link: string; linkMinutes: number }): RenderedMail {
  return renderMail({
    subject: `Your sign-in link for ${input.orgName}`,
    orgName: input.orgName,
    blocks: [
      { kind: "paragraph", text: "Use the button below to sign in and see your data-rights requests." },
      { kind: "button", label: "Sign in", url: input.link },
      { kind: "paragraph", text: `The link works once and expires in ${input.linkMinutes} minutes.` },
    ],
    footer: IGNORE_IF_NOT_YOU,
  });
}

const DEADLINE_SENTENCE: Record<Regime, string> = {
  gdpr: "The law gives us one calendar month to answer. If we need more time because the request is complex, we will tell you why before that date.",
  ccpa: "The law gives us 45 days to answer. If we need more time, we will tell you why before that date.",
};

export function receiptMail(input: {
  orgName: string;
  reference: string;
  type: RequestType;
  receivedOn: CalendarDate;
  dueOn: CalendarDate;
  requestUrl: string;
  regime: Regime;
}): RenderedMail {
  return renderMail({
    subject: `We have received your request ${input.reference}`,
    orgName: input.orgName,
    blocks: [
      { kind: "paragraph", text: "Thank you. We have received your request and confirmed your email address." },
      {
        kind: "facts",
        rows: [
          ["Reference", input.reference],
          ["Request", requestTypeLabel(input.type)],
          ["Received", formatCalendarDate(input.receivedOn)],
          ["We will answer by", formatCalendarDate(input.dueOn)],
        ],
      },
      { kind: "paragraph", text: DEADLINE_SENTENCE[input.regime] },
      { kind: "button", label: "Follow your request", url: input.requestUrl },
    ],
    footer: `Keep this email: quote ${input.reference} if you contact us about this request.`,
  });
}

export function cancellationMail(input: {
  orgName: string;
  reference: string;
  type: RequestType;
  requestUrl: string;
}): RenderedMail {
  return renderMail({
    subject: `Your request ${input.reference} has been canceled`,
    orgName: input.orgName,
    blocks: [
      {
        kind: "paragraph",
        text: `Your request "${requestTypeLabel(input.type)}" (${input.reference}) has been canceled, as you asked. We will not take any further action on it.`,
      },
      { kind: "paragraph", text: "You can make a new request at any time." },
      { kind: "button", label: "See your requests", url: input.requestUrl },
    ],
    footer: `Reference ${input.reference}.`,
  });
}

const COMPLAINT_RIGHT =
  "If you are unhappy with how we have handled your request, you have the right to complain to a data protection supervisory authority (in the UK, the Information Commissioner's Office, ico.org.uk; in the EU, the authority of the country where you live or work).";

export function questionMail(input: { orgName: string; reference: string; question: string; requestUrl: string }): RenderedMail {
  return renderMail({
    subject: `We need something from you about your request ${input.reference}`,
    orgName: input.orgName,
    blocks: [
      { kind: "paragraph", text: "To carry out your request we need some information from you. Our question is:" },
      { kind: "quote", text: input.question },
      {
        kind: "paragraph",
        text: "Please answer on your request's page. The time we have to answer is paused until you reply.",
      },
      { kind: "button", label: "Answer the question", url: input.requestUrl },
    ],
    footer: `Reference ${input.reference}.`,
  });
}

export function extensionMail(input: {
  orgName: string;
  reference: string;
  reason: string;
  newDueOn: CalendarDate;
  requestUrl: string;
}): RenderedMail {
  return renderMail({
    subject: `We need more time for your request ${input.reference}`,
    orgName: input.orgName,
    blocks: [
      { kind: "paragraph", text: "We are sorry: we need more time to answer your request properly. The reason is:" },
      { kind: "quote", text: input.reason },
      { kind: "facts", rows: [["We will now answer by", formatCalendarDate(input.newDueOn)]] },
      { kind: "paragraph", text: COMPLAINT_RIGHT },
      { kind: "button", label: "Follow your request", url: input.requestUrl },
    ],
    footer: `Reference ${input.reference}.`,
  });
}

export function completionMail(input: {
  orgName: string;
  reference: string;
  type: RequestType;
  note: string | null;
  requestUrl: string;
}): RenderedMail {
  return renderMail({
    subject: `Your request ${input.reference} is complete`,
    orgName: input.orgName,
    blocks: [
      { kind: "paragraph", text: `We have completed your request "${requestTypeLabel(input.type)}".` },
      ...(input.note ? [{ kind: "quote" as const, text: input.note }] : []),
      { kind: "paragraph", text: "You can see the details, and anything for you to download, on your request's page." },
      { kind: "button", label: "See your request", url: input.requestUrl },
      { kind: "paragraph", text: COMPLAINT_RIGHT },
    ],
    footer: `Reference ${input.reference}.`,
  });
}

export function denialMail(input: {
  orgName: string;
  reference: string;
  type: RequestType;
  reason: string;
  requestUrl: string;
}): RenderedMail {
  return renderMail({
    subject: `Our decision on your request ${input.reference}`,
    orgName: input.orgName,
    blocks: [
      { kind: "paragraph", text: `We are not able to carry out your request "${requestTypeLabel(input.type)}". Our reason is:` },
      { kind: "quote", text: input.reason },
      { kind: "paragraph", text: COMPLAINT_RIGHT },
      { kind: "button", label: "See your request", url: input.requestUrl },
    ],
    footer: `Reference ${input.reference}.`,
  });
}

export function staffCancellationMail(input: {
  orgName: string;
  reference: string;
  type: RequestType;
  reason: string;
  requestUrl: string;
}): RenderedMail {
  return renderMail({
    subject: `Your request ${input.reference} has been closed`,
    orgName: input.orgName,
    blocks: [
      { kind: "paragraph", text: `We have closed your request "${requestTypeLabel(input.type)}" without acting on it. Our reason is:` },
      { kind: "quote", text: input.reason },
      { kind: "paragraph", text: COMPLAINT_RIGHT },
      { kind: "button", label: "See your request", url: input.requestUrl },
    ],
    footer: `Reference ${input.reference}.`,
  });
}

export function unsubscribedMail(input: { orgName: string; reference: string; lists: number; requestUrl: string }): RenderedMail {
  return renderMail({
    subject: `You are off our mailing lists (${input.reference})`,
    orgName: input.orgName,
    blocks: [
      {
        kind: "paragraph",
        text:
          input.lists > 0
            ? `We have taken this address off every mailing list it was on (${input.lists} in all). We will not send you newsletters, alerts or appeals again.`
            : "This address was not on any of our mailing lists, and we will keep it off them. We will not send you newsletters, alerts or appeals.",
      },
      {
        kind: "paragraph",
        text: "You may still get emails about requests you make to us, such as this one.",
      },
      { kind: "button", label: "See your request", url: input.requestUrl },
    ],
    footer: `Reference ${input.reference}.`,
  });
}

export function erasureCompletedMail(input: {
  orgName: string;
  reference: string;
  kept: ReadonlyArray<{ what: string; why: string }>;
  requestUrl: string;
}): RenderedMail {
  const kept = input.kept;
  return renderMail({
    subject: `Your request ${input.reference} is complete`,
    orgName: input.orgName,
    blocks: [
      { kind: "paragraph", text: "We have deleted the data we held about you, as you asked. This was the last email we will send to this address." },
      ...(kept.length > 0
        ? [
            { kind: "paragraph" as const, text: "The law requires us to keep a few records. We have removed everything that identifies you from them:" },
            { kind: "facts" as const, rows: kept.map((k) => [k.what, k.why] as const) },
          ]
        : []),
      { kind: "paragraph", text: "Your request's page is no longer available, because it would need your address to show it to you." },
      { kind: "paragraph", text: COMPLAINT_RIGHT },
    ],
    footer: `Reference ${input.reference}. Quote it if you contact us about this request.`,
  });
}

export function correctionCompletedMail(input: {
  orgName: string;
  reference: string;
  decisions: ReadonlyArray<{ label: string; accepted: boolean; note: string | null }>;
  requestUrl: string;
}): RenderedMail {
  const accepted = input.decisions.filter((d) => d.accepted);
  const rejected = input.decisions.filter((d) => !d.accepted);
  const line = (d: { label: string; note: string | null }) => (d.note ? `${d.label}: ${d.note}` : d.label);
  return renderMail({
    subject: `Your request ${input.reference} is complete`,
    orgName: input.orgName,
    blocks: [
      { kind: "paragraph", text: "We have reviewed each change you asked for." },
      ...(accepted.length > 0
        ? [{ kind: "paragraph" as const, text: "We corrected:" }, { kind: "quote" as const, text: accepted.map(line).join("\n") }]
        : []),
      ...(rejected.length > 0
        ? [{ kind: "paragraph" as const, text: "We did not change, and why:" }, { kind: "quote" as const, text: rejected.map(line).join("\n") }]
        : []),
      { kind: "button", label: "See your request", url: input.requestUrl },
      { kind: "paragraph", text: COMPLAINT_RIGHT },
    ],
    footer: `Reference ${input.reference}.`,
  });
}

export function concernMessageMail(input: { orgName: string; reference: string; message: string; requestUrl: string }): RenderedMail {
  return renderMail({
    subject: `A message about your concern ${input.reference}`,
    orgName: input.orgName,
    blocks: [
      { kind: "paragraph", text: "We have written to you about the concern you raised:" },
      { kind: "quote", text: input.message },
      { kind: "paragraph", text: "You can reply on your request's page." },
      { kind: "button", label: "Read and reply", url: input.requestUrl },
    ],
    footer: `Reference ${input.reference}.`,
  });
}
