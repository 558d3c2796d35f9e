/** The two floors the issue measures against: the least a route handler and a page can cost in this build. */
import type { LoadSpec } from "../load";

export function emptyRoute(cookie?: string): LoadSpec {
  return { label: "the empty route handler", path: "/bench/empty", cookie, status: 204 };
}

/** Sent the same session cookie as the page it is compared with, so both pay for the same layout. */
export function trivialPage(cookie: string): LoadSpec {
  return { label: "the trivial page", path: "/bench/trivial", cookie, status: 200 };
}

export const SESSION_COOKIE = "next-auth.session-token";

/** The session cookie as the server expects it: APP_URL is http, so without the __Secure- prefix (server/settings.ts). */
export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}`;
}
