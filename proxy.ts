import { NextResponse, type NextRequest } from "next/server";
import {
  actionPayloadProblem,
  bodyLimitFor,
  CHANGING_METHODS,
  isProgramPath,
  isArgumentlessActionCall,
  isRouteHandlerPath,
  methodProblem,
  needsSameOrigin,
  originProblem,
  pathProblem,
  SITE_METHODS,
  sizeProblem,
  type RequestProblem,
} from "@/lib/http/request-checks";
import { apiErrorBody, apiErrorCodeFor } from "@/lib/api/errors";
import { securityHeaders } from "@/lib/http/security-headers";
import { escapeHtml } from "@/lib/http/escape";
import type { Language } from "@/lib/language/languages";
import { chooseLanguage, LANGUAGE_COOKIE, LANGUAGE_HEADER } from "@/lib/language/negotiate";
import { trustedPeerHeader, untrustedPeerHeaders } from "@/lib/limits/client-ip";
import { parseSettings } from "@/lib/settings/settings";

const SIGNED_IN_AREAS = ["/requests", "/staff"];

type ProxySettings = { appUrl: string; trustProxy: number; offered: Language[]; fallback: Language };

let read: ProxySettings | undefined;
/** The public address, the proxies trusted and the languages offered, from the same settings the app checks at start-up. */
function settings(): ProxySettings {
  if (read === undefined) {
    const parsed = parseSettings(process.env, process.cwd());
    read = parsed.ok
      ? {
          appUrl: parsed.settings.appUrl,
          trustProxy: parsed.settings.trustProxy,
          offered: parsed.settings.languages,
          fallback: parsed.settings.defaultLanguage,
        }
      : { appUrl: "http://localhost:3000", trustProxy: 0, offered: ["en"], fallback: "en" };
  }
  return read;
}
const publicUrl = () => settings().appUrl;

/** Whether an Origin header names the portal's public address (APP_URL). */
function isPublicOrigin(origin: string | null): boolean {
  if (!origin) return false;
  try {
    return new URL(origin).origin === new URL(publicUrl()).origin;
  } catch {
    return false;
  }
}

function headerValues(nonce: string, pathname?: string): Record<string, string> {
  return securityHeaders({ nonce, appUrl: publicUrl(), development: process.env.NODE_ENV === "development", pathname });
}

function withSecurityHeaders(headers: Headers, nonce: string, values = headerValues(nonce)): void {
  for (const [name, value] of Object.entries(values)) headers.set(name, value);
}

/**
 * A refusal to another program, in the shape its interface promises: the
 * API's `{"error":{"code","message"}}`, or the Data Rights Protocol's
 * `{"code","message"}` (its section 3.06) under /v1.
 */
function programRefusal(problem: RequestProblem, pathname: string): NextResponse {
  const body = pathname.startsWith("/api/v1/") ? apiErrorBody(apiErrorCodeFor(problem.status), problem.message) : { code: String(problem.status), message: problem.message };
  return NextResponse.json(body, { status: problem.status, headers: { "Cache-Control": "no-store" } });
}

/** A refusal: a page with the sentence for a browser opening an address, JSON with it for anything else. */
function refuse(problem: RequestProblem, nonce: string, request: NextRequest): NextResponse {
  if (isProgramPath(request.nextUrl.pathname)) {
    const response = programRefusal(problem, request.nextUrl.pathname);
    withSecurityHeaders(response.headers, nonce);
    return response;
  }
  const opened = (request.method === "GET" || request.method === "HEAD") && (request.headers.get("accept") ?? "").includes("text/html");
  const response = opened
    ? new NextResponse(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
          `<title>This address does not work</title></head><body><main><h1>This address does not work</h1>` +
          `<p>${escapeHtml(problem.message)}</p><p><a href="/">Go to the start page</a></p></main></body></html>`,
        { status: problem.status, headers: { "content-type": "text/html; charset=utf-8" } },
      )
    : NextResponse.json({ error: problem.message }, { status: problem.status });
  withSecurityHeaders(response.headers, nonce);
  return response;
}

/** What a request that changes something must pass before the app sees it. */
async function changeProblem(request: NextRequest): Promise<RequestProblem | null> {
  const header = (name: string) => request.headers.get(name);
  const isAction = request.headers.has("next-action");
  const isFormPost = (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
  const { pathname } = request.nextUrl;
  const isRoute = isRouteHandlerPath(pathname);
  const problem =
    (needsSameOrigin(pathname) ? originProblem(header, publicUrl(), settings().trustProxy) : null) ?? sizeProblem(header, bodyLimitFor(pathname));
  if (problem || isRoute || !(isAction || isFormPost)) return problem;
  // An action that takes nothing (signing out) arrives as the text "[]": well formed, and nothing else is.
  if (isAction && (request.headers.get("content-type") ?? "").toLowerCase().startsWith("text/plain")) {
    const body = await request.text().catch(() => null);
    return isArgumentlessActionCall(request.headers.get("content-type"), body) ? null : actionPayloadProblem(null, null);
  }
  // A server action (or a page form posted without JavaScript): its parts must be what Next can decode.
  const form = await request.formData().catch(() => null);
  return actionPayloadProblem(request.headers.get("content-type"), form);
}

/**
 * In front of every page and route: security headers with a fresh nonce,
 * an address that cannot be decoded refused, the checks on requests that
 * change something, no client-sent peer address, and a redirect to sign in
 * for visitors without a session cookie in the signed-in areas (which only
 * redirects: every page and action checks the session, role and ownership
 * itself).
 */
export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");

  const badPath = pathProblem(request.nextUrl.pathname);
  if (badPath) return refuse(badPath, nonce, request);
  const badMethod = methodProblem(request.method, request.nextUrl.pathname);
  if (badMethod) {
    const response = refuse(badMethod, nonce, request);
    response.headers.set("Allow", (badMethod.allow ?? SITE_METHODS).join(", "));
    return response;
  }
  if (CHANGING_METHODS.has(request.method)) {
    const problem = await changeProblem(request);
    if (problem) return refuse(problem, nonce, request);
  }

  const { pathname } = request.nextUrl;
  const signedInArea = SIGNED_IN_AREAS.some((area) => pathname === area || pathname.startsWith(`${area}/`));
  const hasSession =
    request.cookies.has("next-auth.session-token") || request.cookies.has("__Secure-next-auth.session-token");
  if (signedInArea && !hasSession && request.method === "GET") {
    const url = request.nextUrl.clone();
    url.pathname = "/signin";
    url.search = `?next=${encodeURIComponent(`${pathname}${request.nextUrl.search}`)}`;
    const redirect = NextResponse.redirect(url);
    withSecurityHeaders(redirect.headers, nonce);
    return redirect;
  }

  // Next reads the nonce from the request's policy and puts it on the scripts it renders (an export's page, on its style sheet).
  const values = headerValues(nonce, pathname);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", values["Content-Security-Policy"] ?? "");
  // The connection's address comes only from the portal's own server (scripts/serve.mjs); a client's own version goes.
  for (const name of untrustedPeerHeaders([...requestHeaders.keys()], trustedPeerHeader(process.env))) requestHeaders.delete(name);
  // The language every page, action and route answers in, chosen once here (a client's own header of that name is replaced).
  const language = chooseLanguage(
    { pathname, cookie: request.cookies.get(LANGUAGE_COOKIE)?.value, acceptLanguage: request.headers.get("accept-language") },
    settings(),
  );
  requestHeaders.set(LANGUAGE_HEADER, language);
  // Next checks a server action's Origin against the host it was sent to (X-Forwarded-Host, else Host) and
  // answers 500 when they differ. The checks above also accept the portal's public address, which is not that
  // host behind a proxy that does not pass the public Host on: for an action from there, name it as the host.
  if (request.headers.has("next-action") && isPublicOrigin(request.headers.get("origin"))) {
    requestHeaders.set("x-forwarded-host", new URL(publicUrl()).host);
  }
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  withSecurityHeaders(response.headers, nonce, values);
  // The same address answers in different languages: say which, and what decided it.
  response.headers.set("Content-Language", language);
  response.headers.append("Vary", "Accept-Language, Cookie");
  return response;
}

export const config = {
  // Everything but Next's static files, which carry the headers set in next.config.ts.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
