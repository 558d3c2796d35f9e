import NextAuth from "next-auth";
import { originProblem } from "@/lib/http/request-checks";
import { authOptions } from "@/server/auth";
import { getSettings } from "@/server/settings";
import { badCallbackUrl, callbackUrlProblem, oldLinkRedirect } from "@/server/sign-in-callback";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

/**
 * Only the parts of next-auth the portal uses. Its own "send me a link"
 * endpoint (POST /api/auth/signin/email) is refused: links are sent by the
 * portal's forms alone, which apply the limits and answer every address alike.
 * Its link callback never runs either: links are followed by a button on the
 * portal's link page (server/follow-link.ts).
 */
const GET_ACTIONS: ReadonlySet<string> = new Set(["callback/email", "session", "csrf", "providers", "signin", "error", "verify-request"]);
const POST_ACTIONS: ReadonlySet<string> = new Set(["signout"]);

function notFound(): Response {
  return Response.json({ error: "Not found." }, { status: 404 });
}

// Options are built per request so settings are read at run time, not at build.
async function nextAuth(request: Request, context: RouteContext): Promise<Response> {
  return NextAuth(authOptions())(request, context);
}

export async function GET(request: Request, context: RouteContext) {
  const action = (await context.params).nextauth.join("/");
  if (!GET_ACTIONS.has(action)) return notFound();
  // Never next-auth's own callback, which spends the link on a GET: links from old emails go to the link page.
  if (action === "callback/email") return oldLinkRedirect(request);
  const problem = callbackUrlProblem(request);
  if (problem) return badCallbackUrl(problem);
  return nextAuth(request, context);
}

export async function POST(request: Request, context: RouteContext) {
  const action = (await context.params).nextauth.join("/");
  if (!POST_ACTIONS.has(action)) return notFound();
  // proxy.ts checks this for every request that changes something; a route that does so checks it again itself.
  const { appUrl, trustProxy } = getSettings();
  const problem = originProblem((name) => request.headers.get(name), appUrl, trustProxy);
  if (problem) return Response.json({ error: problem.message }, { status: problem.status });
  const callbackProblem = callbackUrlProblem(request);
  if (callbackProblem) return badCallbackUrl(callbackProblem);
  return nextAuth(request, context);
}
