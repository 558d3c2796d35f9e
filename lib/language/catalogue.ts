/**
 * The catalogues: every sentence a supporter reads, in each language, in
 * messages/*.json (English is the reference the others are checked against,
 * see catalogue.test.ts). Pages read them through server/words.ts
 * (next-intl's translators, kept per language and part); emails, the export
 * and form checks, which run outside a page, through `wordsFor`.
 */
import { createTranslator } from "next-intl";
import de from "@/messages/de.json" with { type: "json" };
import en from "@/messages/en.json" with { type: "json" };
import es from "@/messages/es.json" with { type: "json" };
import fr from "@/messages/fr.json" with { type: "json" };
import { BASE_LANGUAGE, isLanguage, type Language } from "./languages";

export type Messages = typeof en;

/** One catalogue per language; a language without one fails the type check here. */
export const CATALOGUES: Record<Language, Messages> = { en, fr, es, de };

export function messagesFor(language: Language): Messages {
  return CATALOGUES[language];
}

function translatorOf(language: Language) {
  return createTranslator({ locale: language, messages: CATALOGUES[language] });
}

/** A function from a catalogue key (and its values) to the sentence, in one language. */
export type Words = ReturnType<typeof translatorOf>;

const made = new Map<Language, Words>();

/**
 * The catalogue of one language as a function of its keys, for code that
 * runs outside a page (emails, the readable export, form checks). A stored
 * language this version does not know reads as English.
 */
export function wordsFor(language: Language | string | null | undefined): Words {
  const known = isLanguage(language) ? language : BASE_LANGUAGE;
  let words = made.get(known);
  if (!words) {
    words = translatorOf(known);
    made.set(known, words);
  }
  return words;
}
