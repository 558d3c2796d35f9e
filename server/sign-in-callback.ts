import "server-only";
import { isAcceptableCallbackUrl, linkPageForOldLink } from "@/lib/auth/sign-in-link";
import { decodedOrEmpty } from "@/lib/http/decode";
import { getSettings } from "./settings";

/**
 * A link emailed before the link page existed (next-auth's GET
 * /api/auth/callback/email) is sent on to that page with its token, address
 * and destination, and spends nothing: next-auth's callback would have spent
 * the token on a GET, which a mail scanner makes before the person does.
 */
export function oldLinkRedirect(request: Request): Response {
  const { appUrl } = getSettings();
  return new Response(null, { status: 303, headers: { location: linkPageForOldLink(new URL(request.url).searchParams, appUrl) } });
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
