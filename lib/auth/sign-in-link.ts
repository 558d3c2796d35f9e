/**
 * Sign-in links, made the way next-auth's Email provider makes them, so that
 * its callback route can check and consume them: a random token is emailed,
 * and only its SHA-256 hash (salted with the auth secret) is stored.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db, Executor } from "@/db/connection";
import { usedSignInLinks, verificationTokens, type VerificationToken } from "@/db/schema";
import { inTransaction } from "@/db/transaction";

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
  const params = new URLSearchParams({
    callbackUrl: `${input.appUrl}${input.callbackPath}`,
    token,
    email: input.email,
  });
  return `${input.appUrl}/api/auth/callback/email?${params}`;
}

/** How long a followed or expired link is remembered (see purgeExpiredDrafts), to explain a later click. */
export const SPENT_LINK_MEMORY_MS = 7 * 24 * 60 * 60_000;

/**
 * Spends a link's token: it is valid once, before it expires. A used token
 * moves to `used_sign_in_links` and an expired one stays where it is, so a
 * later click on either can be told apart from a made-up link.
 */
export function useSignInToken(
  db: Db,
  input: { identifier: string | undefined; tokenHash: string; now: Date },
): VerificationToken | null {
  const { identifier, tokenHash, now } = input;
  if (!identifier) return null;
  return inTransaction(db, (tx) => {
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
  });
}

export type FailedLink = "used" | "expired" | "invalid";

/** Why a link did not sign anyone in: followed before, too old, or never issued (or altered). */
export function explainFailedLink(db: Db, input: { tokenHash: string; now: Date }): FailedLink {
  if (db.select({ token: usedSignInLinks.token }).from(usedSignInLinks).where(eq(usedSignInLinks.token, input.tokenHash)).get()) {
    return "used";
  }
  const issued = db.select({ expires: verificationTokens.expires }).from(verificationTokens).where(eq(verificationTokens.token, input.tokenHash)).get();
  return issued && issued.expires.getTime() <= input.now.getTime() ? "expired" : "invalid";
}
