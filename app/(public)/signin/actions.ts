"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { sendSignInLink } from "@/lib/auth/send-sign-in-link";
import { endSession } from "@/lib/auth/sessions";
import { linkDestination } from "@/lib/auth/sign-in-link";
import { emailAddress, fieldErrorsOf } from "@/lib/forms/fields";
import { wordsFor } from "@/lib/language/catalogue";
import type { Language } from "@/lib/language/languages";
import { formAction } from "@/server/action";
import { requestClientAddress } from "@/server/client-address";
import { getRateLimits } from "@/server/rate-limits";
import { rememberSentTo } from "@/server/sent-to";
import { getPortalContext, sessionCookieName } from "@/server/settings";
import { kickWorker } from "@/server/worker";

/** The address field, answering in the page's language. */
function emailFieldIn(language: Language) {
  const words = wordsFor(language);
  return { field: emailAddress(words("signIn.what"), { required: words("signIn.noEmail"), words }), missing: words("signIn.noEmail") };
}

export const requestSignInLink = formAction(
  {
    access: "anyone",
    parse: (input, _viewer, _files, language) => {
      const { field, missing } = emailFieldIn(language);
      const email = field.safeParse(input.email);
      if (!email.success || email.data === undefined) {
        return { ok: false, fieldErrors: { email: email.success ? missing : (fieldErrorsOf(email.error).form ?? missing) } };
      }
      // Only a path on this site, percent-encoded the way a browser sends it.
      const next = linkDestination(input.next, getPortalContext().appUrl);
      return { ok: true, value: { email: email.data, next } };
    },
  },
  async ({ email, next }, _viewer, language) => {
    // The limits count addresses and networks, never who owns an address, so a refusal reveals nothing either.
    const admitted = await (await getRateLimits()).admitSignInLink({ ip: await requestClientAddress(), email });
    if (!admitted.ok) return { ok: false, message: admitted.sentenceIn(language) };
    // Whoever the address belongs to, the same work is done and the same page follows.
    sendSignInLink(getDb(), { email, callbackPath: next, now: new Date(), ctx: getPortalContext(), language });
    kickWorker();
    // "Check your inbox" repeats the address, so a typo shows, and can send it again.
    await rememberSentTo({ email, purpose: "signin", next });
    redirect("/signin/check-inbox");
  },
);

/** Ends this browser's session, in the database and in the cookie. */
export async function signOut(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(sessionCookieName())?.value;
  if (token) endSession(getDb(), token);
  jar.delete(sessionCookieName());
  redirect("/");
}
