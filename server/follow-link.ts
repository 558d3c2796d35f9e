import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { describeDevice } from "@/lib/auth/device";
import { followSignInLink } from "@/lib/auth/follow-link";
import type { StartedSession } from "@/lib/auth/sessions";
import { linkDestination } from "@/lib/auth/sign-in-link";
import { originProblem } from "@/lib/http/request-checks";
import type { RateVerdict } from "@/lib/limits/rate-limits";
import { escapeHtml } from "@/lib/http/escape";
import { confirmationLanding, confirmDraft, confirmDraftIn, confirmPathFor, draftKeyIn, isDraftFiled, isDraftKey } from "@/lib/requests/intake/confirm-draft";
import { networkOf } from "./client-address";
import { getRateLimits } from "./rate-limits";
import { getPortalContext, getSettings, sessionCookieName, usesSecureCookies } from "./settings";
import { getViewer, secondFactorPath } from "./viewer";
import { wordsFor } from "@/lib/language/catalogue";
import { textDirection, type Language } from "@/lib/language/languages";
import { requestLanguage } from "./language";
import { kickWorker } from "./worker";

/**
 * The buttons on the pages an emailed link opens (/signin/link, and
 * /requests/confirm for someone already signed in) post plain forms here.
 * Only these POSTs spend a link, sign in or confirm a draft: a GET of the
 * link, by a person or a mail scanner, changes nothing.
 */

/** The button's fields, once the request is known to come from this site's own page (proxy.ts checks that too). */
async function buttonForm(request: NextRequest): Promise<{ ok: true; field: (name: string) => string | null } | { ok: false; response: Response }> {
  const { appUrl, trustProxy } = getSettings();
  const problem = originProblem((name) => request.headers.get(name), appUrl, trustProxy);
  if (problem) return { ok: false, response: Response.json({ error: problem.message }, { status: problem.status }) };
  const form = await request.formData().catch(() => null);
  if (!form) return { ok: false, response: Response.json({ error: wordsFor(await requestLanguage())("actions.notAForm") }, { status: 400 }) };
  return { ok: true, field: (name) => (typeof form.get(name) === "string" ? (form.get(name) as string) : null) };
}

function goTo(path: string): NextResponse {
  return NextResponse.redirect(new URL(path, getSettings().appUrl), 303);
}

/** The session cookie as next-auth's database strategy sets it (here, and when a passkey renews the session's token). */
export function withSessionCookie(response: NextResponse, session: Pick<StartedSession, "token" | "expires">): NextResponse {
  response.cookies.set(sessionCookieName(), session.token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: usesSecureCookies(),
    expires: session.expires,
  });
  return response;
}

/** A person who hits a limit gets a plain page in their language; a program gets 429 and Retry-After. */
function tooManyResponse(verdict: Extract<RateVerdict, { ok: false }>, language: Language): Response {
  const words = wordsFor(language);
  const title = words("limits.tooManyLinksTitle");
  const html =
    `<!doctype html><html lang="${language}" dir="${textDirection(language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(verdict.sentenceIn(language))}</p>` +
    `<p><a href="/signin">${escapeHtml(words("limits.backToSignIn"))}</a></p></main></body></html>`;
  return new Response(html, {
    status: 429,
    headers: {
      "Retry-After": String(verdict.retryAfterSeconds),
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
    },
  });
}

/**
 * The button on /signin/link: a network with too many failed links is
 * stopped before its next guess is checked; otherwise the link is spent, its
 * address signed in and, for a confirmation link, the draft confirmed, all in
 * one transaction. A link that does not work is counted and sent to a page
 * that says whether it was used, expired or never valid.
 */
export async function followLink(request: NextRequest): Promise<Response> {
  const form = await buttonForm(request);
  if (!form.ok) return form.response;
  const settings = getSettings();
  const limits = await getRateLimits();
  const network = networkOf((name) => request.headers.get(name));
  const allowed = await limits.checkLinkFailures(network);
  if (!allowed.ok) return tooManyResponse(allowed, await requestLanguage());

  const destination = linkDestination(form.field("next"), settings.appUrl);
  const draftKey = draftKeyIn(destination, settings.appUrl);
  const now = new Date();
  const ctx = getPortalContext();
  const followed = followSignInLink(
    getDb(),
    {
      email: normalizeEmail(form.field("email") ?? ""),
      token: form.field("token") ?? "",
      now,
      secret: settings.authSecret,
      replacingSession: request.cookies.get(sessionCookieName())?.value ?? null,
      device: describeDevice(request.headers.get("user-agent")),
    },
    (tx, email) => (draftKey ? confirmDraftIn(tx, { draftKey, viewerEmail: email, now, ctx }) : null),
  );
  if (!followed.ok) {
    await limits.recordLinkFailure(network);
    // A confirmation link used before: its request went through then, and the page says so instead of "make it again".
    const filed = draftKey !== null && isDraftFiled(getDb(), draftKey);
    return goTo(`/signin/error?error=Verification&link=${followed.why}${filed ? "&request=confirmed" : ""}`);
  }
  if (followed.then?.ok && !followed.then.alreadyConfirmed) kickWorker();
  // A staff member with a passkey goes on to it (a confirmation link only confirms a request, which the link alone may).
  const landing = followed.then ? confirmationLanding(followed.then) : followed.session.secondFactor ? secondFactorPath(destination) : destination;
  return withSessionCookie(goTo(landing), followed.session);
}

/** The button on /requests/confirm, for someone already signed in: the draft they proved is theirs becomes a request. */
export async function confirmSignedIn(request: NextRequest): Promise<Response> {
  const form = await buttonForm(request);
  if (!form.ok) return form.response;
  const key = form.field("draft");
  const viewer = await getViewer();
  if (!viewer) return goTo(`/signin?next=${encodeURIComponent(isDraftKey(key) ? confirmPathFor(key) : "/requests")}`);
  if (!isDraftKey(key)) return goTo(confirmationLanding({ ok: false, reason: "not_found" }));
  const result = await confirmDraft(getDb(), { draftKey: key, viewerEmail: viewer.email, now: new Date(), ctx: getPortalContext() });
  if (result.ok && !result.alreadyConfirmed) kickWorker();
  return goTo(confirmationLanding(result));
}
