import "server-only";
import { getDb } from "@/db/client";
import { explainFailedLink, hashVerificationToken } from "@/lib/auth/sign-in-link";
import { escapeHtml } from "@/lib/mail/escape";
import { clientAddress } from "@/lib/limits/client-ip";
import type { RateVerdict } from "@/lib/limits/rate-limits";
import { getRateLimits } from "./rate-limits";
import { getSettings } from "./settings";

/** A person who hits a limit gets a plain page; a program gets 429 and Retry-After. */
export function tooManyResponse(verdict: Extract<RateVerdict, { ok: false }>, title: string): Response {
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
 * valid.
 */
export async function guardedLinkCallback(request: Request, signIn: () => Promise<Response>): Promise<Response> {
  const settings = getSettings();
  const limits = await getRateLimits();
  const ip = clientAddress((name) => request.headers.get(name), settings.trustProxy);
  const allowed = await limits.checkLinkFailures(ip);
  if (!allowed.ok) return tooManyResponse(allowed, "Too many sign-in links did not work");

  const response = await signIn();
  if (!failed(response.headers.get("location"))) return response;

  await limits.recordLinkFailure(ip);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const why = explainFailedLink(getDb(), { tokenHash: hashVerificationToken(token, settings.authSecret), now: new Date() });
  const headers = new Headers(response.headers);
  headers.set("location", `${settings.appUrl}/signin/error?error=Verification&link=${why}`);
  return new Response(null, { status: response.status, headers });
}
