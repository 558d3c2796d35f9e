import { NextResponse, type NextRequest } from "next/server";

/**
 * Sends visitors without a session cookie to sign in before they reach a
 * signed-in area. It only redirects: every page and action checks the
 * session, the role and ownership itself.
 */
export function proxy(request: NextRequest) {
  const hasSession =
    request.cookies.has("next-auth.session-token") || request.cookies.has("__Secure-next-auth.session-token");
  if (hasSession) return NextResponse.next();
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  const url = request.nextUrl.clone();
  url.pathname = "/signin";
  url.search = `?next=${encodeURIComponent(next)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/requests/:path*", "/staff/:path*"],
};
