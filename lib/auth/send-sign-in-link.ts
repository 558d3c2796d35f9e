import type { Db } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { enqueueMail } from "@/lib/mail/outbox";
import { signInMail } from "@/lib/mail/emails/sign-in";
import type { PortalContext } from "@/lib/settings/portal-context";
import { orgNameFor } from "@/lib/settings/org-name";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";
import { createSignInLink, SIGN_IN_LINK_MINUTES } from "./sign-in-link";

/**
 * Queues a sign-in link for any well-formed address. Known or not, staff or
 * not, the caller's response is the same, so it reveals nobody's membership.
 */
export function sendSignInLink(
  db: Db,
  input: { email: string; callbackPath: string; now: Date; ctx: PortalContext; language?: Language },
): void {
  // In the language of the page the link was asked for from.
  const language = input.language ?? input.ctx.defaultLanguage ?? BASE_LANGUAGE;
  inTransaction(db, (tx) => {
    const link = createSignInLink(tx, {
      email: input.email,
      callbackPath: input.callbackPath,
      now: input.now,
      appUrl: input.ctx.appUrl,
      secret: input.ctx.authSecret,
    });
    enqueueMail(
      tx,
      {
        ...signInMail.draft({ language, orgName: orgNameFor(tx, language, input.ctx), link, linkMinutes: SIGN_IN_LINK_MINUTES }),
        to: input.email,
        kind: "sign-in",
        sensitive: true,
      },
      { now: input.now, appUrl: input.ctx.appUrl },
    );
  });
}
