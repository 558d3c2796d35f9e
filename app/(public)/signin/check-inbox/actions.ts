"use server";

import { getDb } from "@/db/client";
import { sendSignInLink } from "@/lib/auth/send-sign-in-link";
import { isSafeCallbackPath } from "@/lib/auth/sign-in-link";
import { emailAddress, fieldErrorsOf } from "@/lib/forms/fields";
import { resendDraftLink } from "@/lib/requests/intake/create-draft";
import { formAction } from "@/server/action";
import { requestClientAddress } from "@/server/client-address";
import { getRateLimits } from "@/server/rate-limits";
import { rememberSentTo } from "@/server/sent-to";
import { getPortalContext } from "@/server/settings";
import { kickWorker } from "@/server/worker";

const emailField = emailAddress("The address", { required: "The address to send to is missing; start again from the form." });

/**
 * "Send it again" on the check-your-inbox page. It asks nothing the first
 * form did not: the same address, counted against the same per-address and
 * per-network limits as asking anew, so it cannot send more than they allow.
 * For a request it sends a new link for the draft waiting at that address;
 * the answer is the same whether or not there is one.
 */
export const resendLink = formAction(
  {
    access: "anyone",
    parse: (input) => {
      const email = emailField.safeParse(input.email);
      if (!email.success || email.data === undefined) {
        return { ok: false, fieldErrors: { email: email.success ? "The address to send to is missing; start again from the form." : (fieldErrorsOf(email.error).form ?? "Check the address.") } };
      }
      const purpose = input.purpose === "request" ? "request" : "signin";
      const next = input.next && isSafeCallbackPath(input.next) ? input.next : "/requests";
      return { ok: true, value: { email: email.data, purpose, next } as const };
    },
  },
  async ({ email, purpose, next }) => {
    const admitted = await (await getRateLimits()).admitSignInLink({ ip: await requestClientAddress(), email });
    if (!admitted.ok) return { ok: false, message: admitted.message };
    const now = new Date();
    if (purpose === "request") resendDraftLink(getDb(), { email, now, ctx: getPortalContext() });
    else sendSignInLink(getDb(), { email, callbackPath: next, now, ctx: getPortalContext() });
    kickWorker();
    await rememberSentTo({ email, purpose, next });
    return { ok: true, message: `We have sent it again to ${email}. Use the newest email: it has a new link.` };
  },
);
