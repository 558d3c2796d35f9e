/**
 * The messages Rightsdesk sends, each defined in one file of ./emails (its
 * schema, subject and body); this list is built from those files. The outbox
 * stores a message as the name of its email and its props; the worker reads
 * them back through `parseTemplateCall` and renders them (./render.tsx).
 */
import type { z } from "zod";
import { cancellationMail } from "./emails/cancellation";
import { completionMail } from "./emails/completion";
import { concernMessageMail } from "./emails/concern-message";
import { confirmRequestMail } from "./emails/confirm-request";
import { correctionCompletedMail } from "./emails/correction-completed";
import { dailyDigestMail } from "./emails/daily-digest";
import { denialMail } from "./emails/denial";
import { erasureCompletedMail } from "./emails/erasure-completed";
import { extensionMail } from "./emails/extension";
import { failedMailAlertMail } from "./emails/failed-mail-alert";
import { limitReachedMail } from "./emails/limit-reached";
import { listJoinedMail } from "./emails/list-joined";
import { preferenceLinkMail } from "./emails/preference-link";
import { newRequestNoticeMail } from "./emails/new-request";
import { passkeysResetMail } from "./emails/passkeys-reset";
import { questionMail } from "./emails/question";
import { requestsMergedMail } from "./emails/requests-merged";
import { receiptMail } from "./emails/receipt";
import { recordAlertMail } from "./emails/record-alert";
import { recordAnchorMail } from "./emails/record-anchor";
import { signInMail } from "./emails/sign-in";
import { staffCancellationMail } from "./emails/staff-cancellation";
import { systemTaskAlertMail } from "./emails/system-task-alert";
import { unsubscribedMail } from "./emails/unsubscribed";

const EMAILS = [
  confirmRequestMail,
  signInMail,
  receiptMail,
  cancellationMail,
  questionMail,
  extensionMail,
  completionMail,
  denialMail,
  staffCancellationMail,
  newRequestNoticeMail,
  dailyDigestMail,
  limitReachedMail,
  failedMailAlertMail,
  unsubscribedMail,
  erasureCompletedMail,
  correctionCompletedMail,
  concernMessageMail,
  recordAnchorMail,
  recordAlertMail,
  passkeysResetMail,
  requestsMergedMail,
  listJoinedMail,
  preferenceLinkMail,
  systemTaskAlertMail,
] as const;

type Email = (typeof EMAILS)[number];
export type TemplateName = Email["name"];
type EmailNamed<N extends TemplateName> = Extract<Email, { name: N }>;
export type TemplateProps<N extends TemplateName> = z.infer<EmailNamed<N>["schema"]>;

/** Every email by its stored name. */
export const TEMPLATES = Object.fromEntries(EMAILS.map((email) => [email.name, email])) as { [N in TemplateName]: EmailNamed<N> };

/** Each email's props schema by its stored name. */
export const TEMPLATE_PROPS = Object.fromEntries(EMAILS.map((email) => [email.name, email.schema])) as { [N in TemplateName]: EmailNamed<N>["schema"] };

/** A template and its props, as one value: the name decides the props' shape. */
export type TemplateCall = { [N in TemplateName]: { name: N; props: TemplateProps<N> } }[TemplateName];

/** A message ready to queue: its subject is fixed now, its body is rendered when it is sent. */
export type MailDraft = { subject: string; template: TemplateCall };

/** A stored message that cannot be rendered; retrying will not help. */
export class TemplateError extends Error {
  override name = "TemplateError";
}

function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(TEMPLATES, name);
}

/** Whether a stored template is mail to staff about their work, which carries no supporter's choices (see `toStaff`). */
export function isStaffTemplate(name: string): boolean {
  return isTemplateName(name) && (TEMPLATES[name] as { toStaff?: true }).toStaff === true;
}

/** Reads a stored template name and props back, checking them. */
export function parseTemplateCall(name: string, props: unknown): TemplateCall {
  if (!isTemplateName(name)) throw new TemplateError(`Unknown mail template "${name}".`);
  const parsed = TEMPLATES[name].schema.safeParse(props);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TemplateError(`Stored props for mail template "${name}" are not valid at ${issue?.path.join(".") || "the top"}: ${issue?.message ?? "unknown"}.`);
  }
  // The schema was chosen by `name`, so the pair matches; TypeScript cannot follow that link by itself.
  return { name, props: parsed.data } as TemplateCall;
}
