import { NextResponse, type NextRequest } from "next/server";
import {
  actionPayloadProblem,
  bodyLimitFor,
  CHANGING_METHODS,
  isRouteHandlerPath,
  needsSameOrigin,
  originProblem,
  sizeProblem,
  type RequestProblem,
} from "@/lib/http/request-checks";
import { securityHeaders } from "@/lib/http/security-headers";
import { parseSettings } from "@/lib/settings/settings";

const SIGNED_IN_AREAS = ["/requests", "/staff"];

let appUrl: string | undefined;
/** The public address, from the same settings the app checks at start-up. */
function publicUrl(): string {
  if (appUrl === undefined) {
    const parsed = parseSettings(process.env, process.cwd());
    appUrl = parsed.ok ? parsed.settings.appUrl : "http://localhost:3000";
  }
  return appUrl;
}

function headerValues(nonce: string): Record<string, string> {
  return securityHeaders({ nonce, appUrl: publicUrl(), development: process.env.NODE_ENV === "development" });
}

function withSecurityHeaders(headers: Headers, nonce: string, values = headerValues(nonce)): void {
  for (const [name, value] of Object.entries(values)) headers.set(name, value);
}

function refuse(problem: RequestProblem, nonce: string): NextResponse {
  const response = NextResponse.json({ error: problem.message }, { status: problem.status });
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
  const problem = (needsSameOrigin(pathname) ? originProblem(header, publicUrl()) : null) ?? sizeProblem(header, bodyLimitFor(pathname));
  if (problem || isRoute || !(isAction || isFormPost)) return problem;
  // A server action (or a page form posted without JavaScript): its parts must be what Next can decode.
  const form = await request.formData().catch(() => null);
  return actionPayloadProblem(request.headers.get("content-type"), form);
}

/**
 * In front of every page and route: security headers with a fresh nonce,
 * the checks on requests that change something, and a redirect to sign in
 * for visitors without a session cookie in the signed-in areas (which only
 * redirects: every page and action checks the session, role and ownership
 * itself).
 */
export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");

  if (CHANGING_METHODS.has(request.method)) {
    const problem = await changeProblem(request);
    if (problem) return refuse(problem, nonce);
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

  // Next reads the nonce from the request's policy and puts it on the scripts it renders.
  const values = headerValues(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", values["Content-Security-Policy"] ?? "");
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  withSecurityHeaders(response.headers, nonce, values);
  return response;
}

export const config = {
  // Everything but Next's static files, which carry the headers set in next.config.ts.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
