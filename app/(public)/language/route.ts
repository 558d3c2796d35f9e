import { NextResponse, type NextRequest } from "next/server";
import { isSafeCallbackPath, linkDestination } from "@/lib/auth/sign-in-link";
import { wordsFor } from "@/lib/language/catalogue";
import { isLanguage } from "@/lib/language/languages";
import { LANGUAGE_COOKIE, LANGUAGE_COOKIE_SECONDS } from "@/lib/language/negotiate";
import { languageOffer, requestLanguage } from "@/server/language";
import { getSettings, usesSecureCookies } from "@/server/settings";

/**
 * The language switcher's buttons post here (a POST, since it changes what
 * this browser is answered in): the choice is kept in a cookie for a year
 * and the person goes back to the page they were on, now in that language.
 * proxy.ts has already checked the post came from this site's own page.
 */
export async function POST(request: NextRequest) {
  const form = await request.formData().catch(() => null);
  const chosen = form?.get("language");
  const back = form?.get("back");
  if (!isLanguage(chosen) || !languageOffer().offered.includes(chosen)) {
    const words = wordsFor(await requestLanguage());
    return NextResponse.json({ error: words("switcher.notOffered") }, { status: 400 });
  }
  const destination = typeof back === "string" && isSafeCallbackPath(back) ? linkDestination(back, getSettings().appUrl) : "/";
  const response = NextResponse.redirect(new URL(destination, getSettings().appUrl), 303);
  response.cookies.set(LANGUAGE_COOKIE, chosen, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: usesSecureCookies(),
    maxAge: LANGUAGE_COOKIE_SECONDS,
  });
  return response;
}
