import { desc, eq } from "drizzle-orm";
import { BASE_LANGUAGE, LANGUAGES, type Language } from "@/lib/language/languages";
import type { Db, Tx } from "@/db/connection";
import { requests, usedUnsubscribeLinks } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { hashUnsubscribeToken, verifyUnsubscribeToken } from "@/lib/mail/unsubscribe-link";
import type { PortalContext } from "@/lib/settings/portal-context";
import { findList } from "@/lib/consent/lists";
import { oneClickWording, unsubscribeButtonWording } from "@/lib/consent/wording";
import { wordsFor } from "@/lib/language/catalogue";
import { orgNameFor } from "@/lib/settings/org-name";
import { fileRequest } from "@/lib/requests/intake/file-request";

export type UnsubscribeByLinkResult =
  | { ok: true; reference: string; list: string | null }
  /** This very link was used before: nothing more is done, and the answer is the same as the first time. */
  | { ok: true; reference: null; list: string | null }
  | { ok: false; reason: "invalid" | "expired" };

/**
 * The language a link posted by a mail program is answered in (the request
 * it files and the email confirming it), since a mail program sends no
 * language of its own: the one of the message the link came in, which the
 * token carries; for a link made before tokens carried it, the language of
 * the address's latest request; else the organisation's default. Only a
 * language the organisation offers is used.
 */
export function oneClickLanguage(tx: Tx, input: { email: string; fromToken: Language | null; ctx: PortalContext }): Language {
  const offered = input.ctx.languages ?? LANGUAGES;
  const fallback = input.ctx.defaultLanguage ?? BASE_LANGUAGE;
  if (input.fromToken && offered.includes(input.fromToken)) return input.fromToken;
  const latest = tx
    .select({ language: requests.language })
    .from(requests)
    .where(eq(requests.subjectEmail, normalizeEmail(input.email)))
    .orderBy(desc(requests.receivedAt), desc(requests.id))
    .limit(1)
    .get();
  return latest && offered.includes(latest.language) ? latest.language : fallback;
}

/**
 * The one-click link in an email (RFC 8058): the signed token already proved
 * the address, so the request is filed and carried out in one step. A link
 * from a message about one mailing list ends that list only; any other link
 * ends every list. A link unsubscribes once: the token is remembered (by its
 * hash) in the same transaction, so a mail program posting it again files
 * nothing more.
 *
 * `language`: the language of the page the button was pressed on (its words
 * are recorded as what the person agreed to); absent for a mail program's
 * post, which is answered as `oneClickLanguage` says.
 */
export function unsubscribeByLink(
  db: Db,
  input: { token: string; now: Date; ctx: PortalContext; language?: Language; /** Pressed on the page the link opens, rather than posted by a mail program. */ byButton?: boolean },
): UnsubscribeByLinkResult {
  const check = verifyUnsubscribeToken(input.token, input.ctx.authSecret, input.now);
  if (!check.ok) return check;
  return inTransaction(db, (tx): UnsubscribeByLinkResult => {
    const language = input.language ?? oneClickLanguage(tx, { email: check.email, fromToken: check.language, ctx: input.ctx });
    const first = tx
      .insert(usedUnsubscribeLinks)
      .values({ tokenHash: hashUnsubscribeToken(input.token), usedAt: input.now, expires: check.expiresAt })
      .onConflictDoNothing()
      .run().changes;
    if (first === 0) return { ok: true, reference: null, list: check.list };
    const title = check.list ? (findList(tx, check.list)?.title ?? check.list) : null;
    const result = fileRequest(tx, {
      submission: {
        type: "unsubscribe",
        email: normalizeEmail(check.email),
        details: check.list ? { type: "unsubscribe", lists: [check.list] } : { type: "unsubscribe" },
        language,
      },
      now: input.now,
      ctx: input.ctx,
      signedLink: "unsubscribe",
      choice: input.byButton
        ? { route: "page", wording: unsubscribeButtonWording(wordsFor(language), orgNameFor(tx, language, input.ctx), title) }
        : { route: "one_click", wording: oneClickWording(title) },
    });
    // Stopping emails is never limited (lib/requests/intake/supporter-limits.ts), so this is a programming error.
    if (!result.ok) throw new Error(`An unsubscribe was refused: ${result.message}`);
    return { ok: true, reference: result.reference, list: check.list };
  });
}
