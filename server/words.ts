import "server-only";
import { createTranslator } from "next-intl";
import { messagesFor, type Messages } from "@/lib/language/catalogue";
import type { Language } from "@/lib/language/languages";
import { requestLanguage } from "./language";
import { getSettings } from "./settings";

type Namespace = keyof Messages;

function translatorIn<N extends Namespace>(language: Language, namespace: N, timeZone: string) {
  return createTranslator({ locale: language, messages: messagesFor(language), namespace, timeZone });
}

type WordsOf<N extends Namespace> = ReturnType<typeof translatorIn<N>>;

const kept = new Map<string, unknown>();

/**
 * A part of the catalogue in the language of the request being answered,
 * for pages (what next-intl's getTranslations gives). Each language's part
 * is made once per process and kept: it keeps every sentence it has put
 * together, where getTranslations starts afresh for each request and
 * parsed every sentence a page shows again (a tenth of a page's time). The
 * catalogues and the time zone never change while the server runs.
 */
export async function getWords<N extends Namespace>(namespace: N): Promise<WordsOf<N>> {
  const language = await requestLanguage();
  const key = `${language}:${namespace}`;
  let words = kept.get(key) as WordsOf<N> | undefined;
  if (!words) {
    words = translatorIn(language, namespace, getSettings().timeZone);
    kept.set(key, words);
  }
  return words;
}
