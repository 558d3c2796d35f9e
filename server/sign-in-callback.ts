import "server-only";
import { getDb } from "@/db/client";
import { explainFailedLink, hashVerificationToken, isAcceptableCallbackUrl } from "@/lib/auth/sign-in-link";
import { escapeHtml } from "@/lib/mail/escape";
import { decodedOrEmpty } from "@/lib/http/decode";
import { clientAddress } from "@/lib/limits/client-ip";
import type { RateVerdict } from "@/lib/limits/rate-limits";
import { getRateLimits } from "./rate-limits";
import { getSettings } from "./settings";

/** A person who hits a limit gets a plain page; a program gets 429 and Retry-After. */
function tooManyResponse(verdict: Extract<RateVerdict, { ok: false }>, title: string): Response {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(verdict.message)}</p>` +
    `<p><a href="/signin">Back to sign in</a></p></main></body></html>`;
  return new Response(html, {
    status: 429,
    headers: {
      "Retry-After": String(verdict.retryAfterSeconds),
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
    },
  });
}

function failed(location: string | null): boolean {
  if (!location) return false;
  return new URL(location, getSettings().appUrl).searchParams.has("error");
}

/**
 * Wraps next-auth's link callback: a network with too many failed links is
 * stopped before its next guess is checked, and every failure is counted
 * and sent to a page that says whether the link was used, expired or never
 * valid. `signIn` is null for a link already known to fail (its destination
 * was tampered with), which is counted and answered the same way.
 */
export async function guardedLinkCallback(request: Request, signIn: (() => Promise<Response>) | null): Promise<Response> {
  const settings = getSettings();
  const limits = await getRateLimits();
  const ip = clientAddress((name) => request.headers.get(name), settings.trustProxy);
  const allowed = await limits.checkLinkFailures(ip);
  if (!allowed.ok) return tooManyResponse(allowed, "Too many sign-in links did not work");

  const response = signIn ? await signIn() : null;
  if (response && !failed(response.headers.get("location"))) return response;

  await limits.recordLinkFailure(ip);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const why = explainFailedLink(getDb(), { tokenHash: hashVerificationToken(token, settings.authSecret), now: new Date() });
  const headers = new Headers(response?.headers);
  headers.set("location", `${settings.appUrl}/signin/error?error=Verification&link=${why}`);
  return new Response(null, { status: response?.status ?? 302, headers });
}

const CALLBACK_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/**
 * next-auth answers a callback URL it cannot parse with a 500 "server
 * configuration" error; such a link is answered as not valid, and such a
 * cookie (which only its own browser could have set) is cleared.
 */
export function callbackUrlProblem(request: Request): "query" | "cookie" | null {
  const { appUrl } = getSettings();
  const query = new URL(request.url).searchParams.get("callbackUrl");
  if (query !== null && !isAcceptableCallbackUrl(query, appUrl)) return "query";
  const cookies = (request.headers.get("cookie") ?? "").split(";").map((c) => c.trim());
  for (const cookie of cookies) {
    const [name = "", ...rest] = cookie.split("=");
    if (CALLBACK_COOKIES.includes(name) && !isAcceptableCallbackUrl(decodedOrEmpty(rest.join("=")), appUrl)) return "cookie";
  }
  return null;
}

export function badCallbackUrl(problem: "query" | "cookie"): Response {
  if (problem === "query") return Response.json({ error: "The callbackUrl is not an address on this site." }, { status: 400 });
  const response = Response.json(
    { error: "Your browser sent a sign-in cookie we cannot use; it has been cleared. Please try again." },
    { status: 400 },
  );
  for (const name of CALLBACK_COOKIES) response.headers.append("Set-Cookie", `${name}=; Path=/; Max-Age=0`);
  return response;
}
