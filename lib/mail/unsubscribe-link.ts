/**
 * The one-click unsubscribe link every email carries (RFC 8058). It works
 * without signing in: the token names the address, the mailing list the
 * message is about (none: every list), the language the message was written
 * in and an expiry, signed with the installation's secret, so nobody can make
 * one for someone else.
 *
 * The language is there because a mail program posts the link with no
 * Accept-Language of its own: the request it files, and the email that
 * confirms it, speak the language of the message the link came in. Links
 * made before it was carried have none and still work.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { isLanguage, type Language } from "@/lib/language/languages";
import { normalizeEmail } from "@/lib/vocabulary/email-address";

/** A link keeps working for a year: people unsubscribe from old mail too. */
export const UNSUBSCRIBE_LINK_DAYS = 365;

function signature(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(`unsubscribe:${payload}`).digest("base64url");
}

export function signUnsubscribeToken(
  email: string,
  secret: string,
  now: Date,
  options: { list?: string | null; language?: Language | null; days?: number } = {},
): string {
  const expires = Math.floor(now.getTime() / 1000) + (options.days ?? UNSUBSCRIBE_LINK_DAYS) * 24 * 60 * 60;
  const body = {
    e: normalizeEmail(email),
    ...(options.list ? { l: options.list } : {}),
    ...(options.language ? { g: options.language } : {}),
    x: expires,
  };
  const payload = Buffer.from(JSON.stringify(body)).toString("base64url");
  return `${payload}.${signature(payload, secret)}`;
}

/**
 * A working token names the address, the list it ends (null: every list)
 * and the language of the message it came in (null: a link made before
 * links carried one, or a language this version has no catalogue for).
 */
export type TokenCheck =
  | { ok: true; email: string; list: string | null; language: Language | null; expiresAt: Date }
  | { ok: false; reason: "invalid" | "expired" };

export function verifyUnsubscribeToken(token: string, secret: string, now: Date): TokenCheck {
  const [payload, given, ...rest] = token.split(".");
  if (!payload || !given || rest.length > 0) return { ok: false, reason: "invalid" };
  const expected = Buffer.from(signature(payload, secret));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { ok: false, reason: "invalid" };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (typeof decoded !== "object" || decoded === null) return { ok: false, reason: "invalid" };
  const { e, x, l, g } = decoded as { e?: unknown; x?: unknown; l?: unknown; g?: unknown };
  if (typeof e !== "string" || typeof x !== "number" || (l !== undefined && (typeof l !== "string" || l === ""))) return { ok: false, reason: "invalid" };
  if (x * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, email: e, list: l ?? null, language: isLanguage(g) ? g : null, expiresAt: new Date(x * 1000) };
}

/** How a used token is remembered: its SHA-256, never the token (which names the address). */
export function hashUnsubscribeToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * The address a mail program POSTs to for the reader (RFC 8058). The worker
 * puts it in the List-Unsubscribe header of every message as it is sent, so
 * the token (which names the address) is never stored. A message about one
 * list ends that list only. A message about no one list (a request's
 * receipt, a sign-in link) ends every list: the only mail the button in a
 * mail program can sensibly stop is the organisation's mailing lists, and an
 * objection to direct marketing is honoured in full when in doubt; the
 * person can choose lists again in the preference centre.
 */
export function unsubscribeUrl(
  to: string,
  options: { appUrl: string; secret: string; now: Date; list?: string | null; /** The language the message is written in. */ language?: Language | null },
): string {
  return `${options.appUrl}/unsubscribe/${signUnsubscribeToken(to, options.secret, options.now, { list: options.list, language: options.language })}`;
}
