import type { RequestType } from "@/db/schema";
import type { MailDraft } from "@/lib/mail/template-calls";

/**
 * Sent instead of a confirmation link when a per-supporter limit refuses a
 * request made by someone not signed in. The refusal goes to the mailbox,
 * not the screen, so the form cannot be used to learn about someone else's
 * requests. The subject holds nothing the sender typed.
 */
export function limitReachedMail(input: { orgName: string; type: RequestType; reason: string; requestsUrl: string }): MailDraft {
  return { subject: `We could not take your request to ${input.orgName}`, template: { name: "limit-reached", props: input } };
}
