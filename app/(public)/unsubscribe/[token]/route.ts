import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { unsubscribeByLink } from "@/lib/requests/intake/unsubscribe-by-link";
import { requestLanguage } from "@/server/language";
import { getPortalContext, getSettings } from "@/server/settings";
import { kickWorker } from "@/server/worker";

const ONE_CLICK = "One-Click";

/**
 * Following the link shows a page with a button and changes nothing: mail
 * scanners fetch links before anyone reads the message.
 */
export async function GET(_request: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return NextResponse.redirect(new URL(`/unsubscribe?token=${encodeURIComponent(token)}`, getSettings().appUrl), 303);
}

/**
 * RFC 8058 one-click: a mail program POSTs `List-Unsubscribe=One-Click` here
 * without cookies or an origin; the signed token is the whole proof. The
 * button on the page sends the same body. Each link unsubscribes once.
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const fromBrowser = request.headers.get("sec-fetch-mode") === "navigate" || (request.headers.get("accept") ?? "").includes("text/html");
  const answer = (status: number, text: string, page: string) =>
    fromBrowser ? NextResponse.redirect(new URL(page, getSettings().appUrl), 303) : new NextResponse(text, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

  let oneClick = false;
  try {
    const form = await request.formData();
    oneClick = form.get("List-Unsubscribe") === ONE_CLICK;
  } catch {
    oneClick = false;
  }
  if (!oneClick) return answer(400, "Expected the body List-Unsubscribe=One-Click.", `/unsubscribe?token=${encodeURIComponent(token)}`);

  // A mail program sends no language: the request and its email then speak the one of the message the link came in (see unsubscribeByLink).
  const language = fromBrowser ? await requestLanguage() : undefined;
  const result = unsubscribeByLink(getDb(), { token, now: new Date(), ctx: getPortalContext(), language, byButton: fromBrowser });
  if (!result.ok) return answer(400, "This unsubscribe link is not valid.", `/unsubscribe?problem=${result.reason}`);
  // A link posted again is answered the same, but did nothing this time.
  if (result.reference) kickWorker();
  return answer(200, "Unsubscribed.", `/unsubscribe?done=1&token=${encodeURIComponent(token)}`);
}
