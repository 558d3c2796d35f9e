/**
 * Sign-in links, made the way next-auth's Email provider makes them, so that
 * its callback route can check and consume them: a random token is emailed,
 * and only its SHA-256 hash (salted with the auth secret) is stored.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Executor } from "@/db/connection";
import { verificationTokens } from "@/db/schema";

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
