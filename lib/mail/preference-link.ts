/**
 * The link to the preference centre in the footer of every email. Like the
 * one-click unsubscribe link it works without signing in: the token names
 * the address and an expiry, signed with the installation's secret (with a
 * purpose of its own, so neither kind of token passes for the other).
 *
 * Why 30 days, used any number of times, and stored nowhere:
 * - A person comes back to the page to change their mind, so a link that
 *   worked once would fail them; opening it changes nothing, so a mail
 *   scanner cannot spend or misuse it either.
 * - Holding the link lets someone see and change which lists the address is
 *   on, so it should not work for ever in an old email that was forwarded
 *   or left in a shared mailbox. Thirty days covers a monthly newsletter:
 *   the latest email's link always works. An older link's page offers to
 *   email a fresh one to the same address, which only its owner can open.
 * - It is checked by its signature, so there is nothing to store, and the
 *   worker signs it as it sends (the copy of the message kept afterwards
 *   holds the address of the signed-in page instead).
 * - The one-click unsubscribe link (./unsubscribe-link.ts) can only take the
 *   address off lists, and must work from old mail, so it lasts a year.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { normalizeEmail } from "@/lib/vocabulary/email-address";

export const PREFERENCE_LINK_DAYS = 30;

function signature(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(`preferences:${payload}`).digest("base64url");
}

export function signPreferenceToken(email: string, secret: string, now: Date, days = PREFERENCE_LINK_DAYS): string {
  const expires = Math.floor(now.getTime() / 1000) + days * 24 * 60 * 60;
  const payload = Buffer.from(JSON.stringify({ e: normalizeEmail(email), x: expires })).toString("base64url");
  return `${payload}.${signature(payload, secret)}`;
}

export type PreferenceTokenCheck =
  | { ok: true; email: string; expiresAt: Date }
  /** Expired, but genuine: the address it names may be sent a fresh link. */
  | { ok: false; reason: "expired"; email: string }
  | { ok: false; reason: "invalid" };

/** Tokens are short; anything much longer is not one of ours and is refused before any work. */
const MAX_TOKEN_LENGTH = 1024;

export function verifyPreferenceToken(token: string, secret: string, now: Date): PreferenceTokenCheck {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "invalid" };
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
  const { e, x } = decoded as { e?: unknown; x?: unknown };
  if (typeof e !== "string" || e === "" || typeof x !== "number") return { ok: false, reason: "invalid" };
  if (x * 1000 <= now.getTime()) return { ok: false, reason: "expired", email: e };
  return { ok: true, email: e, expiresAt: new Date(x * 1000) };
}

/** The preference page of the address, for the footer of a message to it. */
export function preferencesUrl(to: string, options: { appUrl: string; secret: string; now: Date }): string {
  return `${options.appUrl}/preferences/${signPreferenceToken(to, options.secret, options.now)}`;
}

/** Where the kept copy of a sent message points instead of its signed links: the same choices, after signing in. */
export function signedInPreferencesUrl(appUrl: string): string {
  return `${appUrl}/requests/preferences`;
}
