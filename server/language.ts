import "server-only";
import { headers } from "next/headers";
import { isLanguage, type Language } from "@/lib/language/languages";
import { LANGUAGE_HEADER } from "@/lib/language/negotiate";
import { getSettings } from "./settings";

/**
 * The language of the request being answered, as proxy.ts chose it (the
 * person's choice, their browser's, or the default; English on staff pages).
 */
export async function requestLanguage(): Promise<Language> {
  const chosen = (await headers()).get(LANGUAGE_HEADER);
  return isLanguage(chosen) ? chosen : getSettings().defaultLanguage;
}

/** The language offer from the settings, as the proxy and the switcher use it. */
export function languageOffer(): { offered: Language[]; fallback: Language } {
  const { languages, defaultLanguage } = getSettings();
  return { offered: languages, fallback: defaultLanguage };
}
