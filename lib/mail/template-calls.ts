/**
 * What the outbox stores for each message: the name of its template and the
 * props it is rendered with. The props are checked again when the worker
 * reads them back, so a row written by an older version (or by hand) fails
 * loudly instead of rendering "undefined" into someone's inbox.
 */
import { z } from "zod";
import { REGIMES, REQUEST_CHANNELS, REQUEST_TYPES } from "@/db/schema";

const text = z.string();
const httpUrl = z.string().regex(/^https?:\/\/\S+$/, "an http(s) address");
const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date");
const requestType = z.enum(REQUEST_TYPES);
const reference = z.string().regex(/^RD-[0-9A-Z]{4}-[0-9A-Z]{4}$/, "a request reference");

const digestItem = z.object({
  reference,
  type: requestType,
  dueOn: calendarDate,
  /** Negative once overdue. */
  daysLeft: z.number().int(),
  assignee: z.string().nullable(),
  url: httpUrl,
});

export const TEMPLATE_PROPS = {
  "confirm-request": z.object({ orgName: text, link: httpUrl, type: requestType, linkMinutes: z.number().int().positive() }),
  "sign-in": z.object({ orgName: text, link: httpUrl, linkMinutes: z.number().int().positive() }),
  receipt: z.object({
    orgName: text,
    reference,
    type: requestType,
    receivedOn: calendarDate,
    dueOn: calendarDate,
    requestUrl: httpUrl,
    regime: z.enum(REGIMES),
  }),
  cancellation: z.object({ orgName: text, reference, type: requestType, requestUrl: httpUrl }),
  question: z.object({ orgName: text, reference, question: text, requestUrl: httpUrl }),
  extension: z.object({ orgName: text, reference, reason: text, newDueOn: calendarDate, requestUrl: httpUrl }),
  completion: z.object({ orgName: text, reference, type: requestType, note: text.nullable(), requestUrl: httpUrl }),
  denial: z.object({ orgName: text, reference, type: requestType, reason: text, requestUrl: httpUrl }),
  "staff-cancellation": z.object({ orgName: text, reference, type: requestType, reason: text, requestUrl: httpUrl }),
  "new-request": z.object({
    orgName: text,
    reference,
    type: requestType,
    channel: z.enum(REQUEST_CHANNELS),
    receivedOn: calendarDate,
    dueOn: calendarDate,
    staffUrl: httpUrl,
    /** True when the request was assigned to the recipient as it arrived. */
    assignedToYou: z.boolean(),
  }),
  "daily-digest": z.object({
    orgName: text,
    day: calendarDate,
    recipient: text,
    overdue: z.array(digestItem),
    dueSoon: z.array(digestItem),
    /** Requests left out of the lists to keep the message short. */
    more: z.number().int().nonnegative(),
    queueUrl: httpUrl,
  }),
  "limit-reached": z.object({ orgName: text, type: requestType, reason: text, requestsUrl: httpUrl }),
  "failed-mail-alert": z.object({
    orgName: text,
    count: z.number().int().positive(),
    maxAttempts: z.number().int().positive(),
    messages: z.array(z.object({ subject: text, to: text, attempts: z.number().int(), lastError: text.nullable() })),
    mailUrl: httpUrl,
  }),
  unsubscribed: z.object({ orgName: text, reference, lists: z.number().int().nonnegative(), requestUrl: httpUrl }),
  "erasure-completed": z.object({ orgName: text, reference, kept: z.array(z.object({ what: text, why: text })), requestUrl: httpUrl }),
  "correction-completed": z.object({
    orgName: text,
    reference,
    decisions: z.array(z.object({ label: text, accepted: z.boolean(), note: text.nullable() })),
    requestUrl: httpUrl,
  }),
  "concern-message": z.object({ orgName: text, reference, message: text, requestUrl: httpUrl }),
  "record-anchor": z.object({
    orgName: text,
    position: z.number().int().nonnegative(),
    hash: text,
    /** When it was signed, in words. */
    signedAt: text,
    /** The anchor as it stands in ANCHOR_FILE. */
    line: text,
    /** "daily" or "on demand". */
    reason: text,
  }),
  "record-alert": z.object({ orgName: text, job: text, problem: text }),
} as const;

export type TemplateName = keyof typeof TEMPLATE_PROPS;
export type TemplateProps<N extends TemplateName> = z.infer<(typeof TEMPLATE_PROPS)[N]>;
export type DigestItem = z.infer<typeof digestItem>;

/** A template and its props, as one value: the name decides the props' shape. */
export type TemplateCall = { [N in TemplateName]: { name: N; props: TemplateProps<N> } }[TemplateName];

/** A message ready to queue: its subject is fixed now, its body is rendered when it is sent. */
export type MailDraft = { subject: string; template: TemplateCall };

/** A stored message that cannot be rendered; retrying will not help. */
export class TemplateError extends Error {
  override name = "TemplateError";
}

function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(TEMPLATE_PROPS, name);
}

/** Reads a stored template name and props back, checking them. */
export function parseTemplateCall(name: string, props: unknown): TemplateCall {
  if (!isTemplateName(name)) throw new TemplateError(`Unknown mail template "${name}".`);
  const parsed = TEMPLATE_PROPS[name].safeParse(props);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TemplateError(`Stored props for mail template "${name}" are not valid at ${issue?.path.join(".") || "the top"}: ${issue?.message ?? "unknown"}.`);
  }
  // The schema was chosen by `name`, so the pair matches; TypeScript cannot follow that link by itself.
  return { name, props: parsed.data } as TemplateCall;
}
