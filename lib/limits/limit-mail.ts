import type { RequestType } from "@/db/schema";
import { renderMail, type RenderedMail } from "@/lib/mail/layout";
import { requestTypeLabel } from "@/lib/requests/request-types";

/**
 * Sent instead of a confirmation link when a per-supporter limit refuses a
 * request made by someone not signed in. The refusal goes to the mailbox,
 * not the screen, so the form cannot be used to learn about someone else's
 * requests. The subject holds nothing the sender typed.
 */
export function limitReachedMail(input: { orgName: string; type: RequestType; reason: string; requestsUrl: string }): RenderedMail {
  return renderMail({
    subject: `We could not take your request to ${input.orgName}`,
    orgName: input.orgName,
    blocks: [
      { kind: "paragraph", text: `Someone, probably you, asked us: "${requestTypeLabel(input.type)}" for this email address.` },
      { kind: "paragraph", text: input.reason },
      { kind: "button", label: "See your requests", url: input.requestsUrl },
    ],
    footer: "If you did not ask for this, you can ignore this email: nothing has changed.",
  });
}
