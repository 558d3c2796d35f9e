/**
 * Sign-in links: a random token is emailed, and only its SHA-256 hash
 * (salted with the auth secret, as next-auth's Email provider hashes it) is
 * stored. The link opens a page that only shows a button (/signin/link):
 * mail scanners open links before people do, so nothing is spent until the
 * button is pressed (lib/auth/follow-link.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Executor, Tx } from "@/db/connection";
import { usedSignInLinks, verificationTokens, type VerificationToken } from "@/db/schema";

export const SIGN_IN_LINK_MINUTES = 30;

export function hashVerificationToken(token: string, secret: string): string {
  return createHash("sha256").update(`${token}${secret}`).digest("hex");
}

/**
 * A path on this site, never another origin (an open redirect). Control
 * characters are refused outright: URL parsers drop tabs and line breaks,
 * so "/\t/evil.com" would otherwise resolve to "//evil.com".
 */
export function isSafeCallbackPath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") && !/[\u0000-\u001f\u007f]/.test(path);
}

/**
 * Whether next-auth will accept a callback URL (from a link's query or its
 * cookie) rather than answer with a 500: an http(s) URL, or a path on this
 * site. Where it then goes is still limited to this site by next-auth.
 */
export function isAcceptableCallbackUrl(value: string, appUrl: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? appUrl : undefined).protocol);
  } catch {
    return false;
  }
}

/** Where a link leads when it names nowhere (or somewhere not on this site). */
export const DEFAULT_DESTINATION = "/requests";

/** The page an emailed link opens: it shows what will happen and a button, and changes nothing itself. */
export const LINK_PAGE_PATH = "/signin/link";

/**
 * Where a link may lead after signing in: a path on this site, written the
 * way a browser would send it (non-ASCII characters and spaces
 * percent-encoded, so it can go in a Location header, and dot segments
 * resolved), or the default. What it returns is always safe to redirect to
 * as it is: it never starts with "//", which a browser reads as another host.
 */
export function linkDestination(next: unknown, appUrl: string): string {
  if (typeof next !== "string" || !isSafeCallbackPath(next)) return DEFAULT_DESTINATION;
  let url: URL;
  try {
    url = new URL(next, appUrl);
  } catch {
    return DEFAULT_DESTINATION;
  }
  if (url.origin !== new URL(appUrl).origin) return DEFAULT_DESTINATION;
  // Checked again as resolved: dot segments can make "//evil.com" of a path that did not start with it ("/.//evil.com").
  const destination = `${url.pathname}${url.search}${url.hash}`;
  return isSafeCallbackPath(destination) ? destination : DEFAULT_DESTINATION;
}

/** The address of the link page for a token, an address and a destination. */
export function linkPageUrl(input: { appUrl: string; token: string; email: string; destination: string }): string {
  const params = new URLSearchParams({ token: input.token, email: input.email, next: input.destination });
  return `${input.appUrl}${LINK_PAGE_PATH}?${params}`;
}

/**
 * Links sent before the link page existed point at next-auth's callback
 * (/api/auth/callback/email?callbackUrl=…&token=…&email=…). They still work,
 * through the link page: this is where such a link now leads, with the same
 * token, address and destination (a destination off this site becomes the default).
 */
export function linkPageForOldLink(query: URLSearchParams, appUrl: string): string {
  let destination = DEFAULT_DESTINATION;
  try {
    const url = new URL(query.get("callbackUrl") ?? DEFAULT_DESTINATION, appUrl);
    if (url.origin === new URL(appUrl).origin) destination = linkDestination(`${url.pathname}${url.search}${url.hash}`, appUrl);
  } catch {
    // Not an address at all: the link still signs in, to the default page.
  }
  return linkPageUrl({ appUrl, token: query.get("token") ?? "", email: query.get("email") ?? "", destination });
}

export function createSignInLink(
  tx: Executor,
  input: { email: string; callbackPath: string; now: Date; appUrl: string; secret: string },
): string {
  if (!isSafeCallbackPath(input.callbackPath)) throw new Error("Sign-in links only lead to this site.");
  const token = randomBytes(32).toString("hex");
  tx.insert(verificationTokens)
    .values({
      identifier: input.email,
      token: hashVerificationToken(token, input.secret),
      expires: new Date(input.now.getTime() + SIGN_IN_LINK_MINUTES * 60_000),
    })
    .run();
  return linkPageUrl({ appUrl: input.appUrl, token, email: input.email, destination: linkDestination(input.callbackPath, input.appUrl) });
}

/** How long a followed or expired link is remembered (see purgeExpiredDrafts), to explain a later click. */
export const SPENT_LINK_MEMORY_MS = 7 * 24 * 60 * 60_000;

/**
 * Spends a link's token, in the transaction that does what the link is for:
 * it is valid once, before it expires. A used token moves to
 * `used_sign_in_links` and an expired one stays where it is, so a later
 * click on either can be told apart from a made-up link.
 */
export function spendSignInToken(tx: Tx, input: { identifier: string | undefined; tokenHash: string; now: Date }): VerificationToken | null {
  const { identifier, tokenHash, now } = input;
  if (!identifier) return null;
  const token = tx
    .select()
    .from(verificationTokens)
    .where(and(eq(verificationTokens.identifier, identifier), eq(verificationTokens.token, tokenHash)))
    .get();
  if (!token || token.expires.getTime() <= now.getTime()) return null;
  tx.delete(verificationTokens)
    .where(and(eq(verificationTokens.identifier, identifier), eq(verificationTokens.token, tokenHash)))
    .run();
  tx.insert(usedSignInLinks).values({ token: tokenHash, usedAt: now, expires: token.expires }).onConflictDoNothing().run();
  return token;
}

export type FailedLink = "used" | "expired" | "invalid";

/** Why a link did not sign anyone in: followed before, too old, or never issued (or altered). */
export function explainFailedLink(db: Executor, input: { tokenHash: string; now: Date }): FailedLink {
  if (db.select({ token: usedSignInLinks.token }).from(usedSignInLinks).where(eq(usedSignInLinks.token, input.tokenHash)).get()) {
    return "used";
  }
  const issued = db.select({ expires: verificationTokens.expires }).from(verificationTokens).where(eq(verificationTokens.token, input.tokenHash)).get();
  return issued && issued.expires.getTime() <= input.now.getTime() ? "expired" : "invalid";
}
