import type { Language } from "@/lib/language/languages";
import type { Db } from "@/db/connection";
import { usedUnsubscribeLinks } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { hashUnsubscribeToken, verifyUnsubscribeToken } from "@/lib/mail/unsubscribe-link";
import type { PortalContext } from "@/lib/settings/portal-context";
import { fileRequest } from "@/lib/requests/intake/file-request";

export type UnsubscribeByLinkResult =
  | { ok: true; reference: string }
  /** This very link was used before: nothing more is done, and the answer is the same as the first time. */
  | { ok: true; reference: null }
  | { ok: false; reason: "invalid" | "expired" };

/**
 * The one-click link in an email (RFC 8058): the signed token already proved
 * the address, so the request is filed and carried out in one step. A link
 * unsubscribes once: the token is remembered (by its hash) in the same
 * transaction, so a mail program posting it again files nothing more.
 */
/** `language`: what the person's browser (or mail program) is answered in, which the confirming email speaks. */
export function unsubscribeByLink(db: Db, input: { token: string; now: Date; ctx: PortalContext; language?: Language }): UnsubscribeByLinkResult {
  const check = verifyUnsubscribeToken(input.token, input.ctx.authSecret, input.now);
  if (!check.ok) return check;
  return inTransaction(db, (tx): UnsubscribeByLinkResult => {
    const first = tx
      .insert(usedUnsubscribeLinks)
      .values({ tokenHash: hashUnsubscribeToken(input.token), usedAt: input.now, expires: check.expiresAt })
      .onConflictDoNothing()
      .run().changes;
    if (first === 0) return { ok: true, reference: null };
    const result = fileRequest(tx, {
      submission: { type: "unsubscribe", email: normalizeEmail(check.email), details: { type: "unsubscribe" }, language: input.language },
      now: input.now,
      ctx: input.ctx,
      viaSignedLink: true,
    });
    // Stopping emails is never limited (lib/requests/intake/supporter-limits.ts), so this is a programming error.
    if (!result.ok) throw new Error(`An unsubscribe was refused: ${result.message}`);
    return { ok: true, reference: result.reference };
  });
}
