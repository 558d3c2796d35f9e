/**
 * The languages the portal speaks to supporters in. Adding one is a
 * catalogue (messages/xx.json, with its import in ./catalogue.ts, which the
 * type check asks for) and one line here.
 */
export const LANGUAGE_TABLE = {
  en: { name: "English", locale: "en-GB", direction: "ltr" },
  fr: { name: "Français", locale: "fr-FR", direction: "ltr" },
  es: { name: "Español", locale: "es-ES", direction: "ltr" },
  de: { name: "Deutsch", locale: "de-DE", direction: "ltr" },
} as const satisfies Record<string, { name: string; locale: string; direction: "ltr" | "rtl" }>;

export type Language = keyof typeof LANGUAGE_TABLE;

/** Every language there is a catalogue for, the default first. */
export const LANGUAGES = Object.keys(LANGUAGE_TABLE) as Language[];

/** The language of anything written before the portal had more than one (old requests, old emails), and of the staff pages. */
export const BASE_LANGUAGE: Language = "en";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && Object.hasOwn(LANGUAGE_TABLE, value);
}

/** The language's name in itself ("Français"), as the switcher shows it. */
export function languageName(language: Language): string {
  return LANGUAGE_TABLE[language].name;
}

const ENGLISH_NAMES = new Intl.DisplayNames(["en-GB"], { type: "language" });
const englishNames = new Map<string, string>();

/** The language's name in English ("French"), as the staff pages, which stay in English, name it; worked out once per code (the queue names one per row). */
export function languageNameInEnglish(language: string): string {
  let name = englishNames.get(language);
  if (name === undefined) {
    try {
      name = ENGLISH_NAMES.of(language) ?? language;
    } catch {
      name = language;
    }
    if (englishNames.size < 100) englishNames.set(language, name);
  }
  return name;
}

/** The locale dates and numbers are formatted in: British English for English. */
export function formattingLocale(language: Language): string {
  return LANGUAGE_TABLE[language].locale;
}

/** Which way the language's text runs, for `<html dir>`. */
export function textDirection(language: Language): "ltr" | "rtl" {
  return LANGUAGE_TABLE[language].direction;
}
