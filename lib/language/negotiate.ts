/**
 * Which language a person is answered in: the one they chose (a cookie set
 * by the switcher), else the best their browser asks for (Accept-Language)
 * among those the organisation offers, else the organisation's default. The
 * staff pages stay in English whatever the browser says.
 */
import { match } from "@formatjs/intl-localematcher";
import Negotiator from "negotiator";
import { isStaffPath } from "./areas";
import { BASE_LANGUAGE, isLanguage, type Language } from "./languages";

/** The cookie the switcher sets; it holds only a language code. */
export const LANGUAGE_COOKIE = "rightsdesk-language";

/** How long the choice is remembered: a year. */
export const LANGUAGE_COOKIE_SECONDS = 365 * 24 * 60 * 60;

/** The request header the proxy writes the chosen language into for pages, actions and routes (a client's own is replaced). */
export const LANGUAGE_HEADER = "x-rightsdesk-language";

export type LanguageOffer = {
  /** The languages supporters may choose from (LANGUAGES), the default among them. */
  offered: readonly Language[];
  /** DEFAULT_LANGUAGE. */
  fallback: Language;
};

function isWellFormedTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** The offered language that best fits an Accept-Language header ("fr-CA,fr;q=0.9,en;q=0.5" → fr), or null. */
export function languageFromAcceptLanguage(header: string | null | undefined, offered: readonly Language[]): Language | null {
  if (!header || header.length > 1000 || offered.length === 0) return null;
  // Negotiator orders the tags by their q values and drops those refused with q=0.
  const asked = new Negotiator({ headers: { "accept-language": header } }).languages().filter((tag) => tag !== "*" && isWellFormedTag(tag));
  if (asked.length === 0) return null;
  const NONE = "zxx";
  const found = match(asked, [...offered], NONE, { algorithm: "best fit" });
  return isLanguage(found) && offered.includes(found) ? found : null;
}

/** The language to answer one request in. */
export function chooseLanguage(
  input: { pathname: string; cookie: string | null | undefined; acceptLanguage: string | null | undefined },
  offer: LanguageOffer,
): Language {
  if (isStaffPath(input.pathname)) return BASE_LANGUAGE;
  if (isLanguage(input.cookie) && offer.offered.includes(input.cookie)) return input.cookie;
  return languageFromAcceptLanguage(input.acceptLanguage, offer.offered) ?? offer.fallback;
}
