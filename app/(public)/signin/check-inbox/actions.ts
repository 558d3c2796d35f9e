"use server";

import { getDb } from "@/db/client";
import { sendSignInLink } from "@/lib/auth/send-sign-in-link";
import { isSafeCallbackPath } from "@/lib/auth/sign-in-link";
import { emailAddress, fieldErrorsOf } from "@/lib/forms/fields";
import { wordsFor } from "@/lib/language/catalogue";
import { resendDraftLink } from "@/lib/requests/intake/create-draft";
import { formAction } from "@/server/action";
import { requestClientAddress } from "@/server/client-address";
import { getRateLimits } from "@/server/rate-limits";
import { rememberSentTo } from "@/server/sent-to";
import { getPortalContext } from "@/server/settings";
import { kickWorker } from "@/server/worker";

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
    parse: (input, _viewer, _files, language) => {
      const words = wordsFor(language);
      const email = emailAddress(words("checkInbox.what"), { required: words("checkInbox.missing"), words }).safeParse(input.email);
      if (!email.success || email.data === undefined) {
        return { ok: false, fieldErrors: { email: email.success ? words("checkInbox.missing") : (fieldErrorsOf(email.error).form ?? words("checkInbox.check")) } };
      }
      const purpose = input.purpose === "request" ? "request" : "signin";
      const next = input.next && isSafeCallbackPath(input.next) ? input.next : "/requests";
      return { ok: true, value: { email: email.data, purpose, next } as const };
    },
  },
  async ({ email, purpose, next }, _viewer, language) => {
    const admitted = await (await getRateLimits()).admitSignInLink({ ip: await requestClientAddress(), email });
    if (!admitted.ok) return { ok: false, message: admitted.sentenceIn(language) };
    const now = new Date();
    // A draft's new link speaks the draft's language; a sign-in link, this page's.
    if (purpose === "request") resendDraftLink(getDb(), { email, now, ctx: getPortalContext() });
    else sendSignInLink(getDb(), { email, callbackPath: next, now, ctx: getPortalContext(), language });
    kickWorker();
    await rememberSentTo({ email, purpose, next });
    return { ok: true, message: wordsFor(language)("checkInbox.sentAgain", { email }) };
  },
);
