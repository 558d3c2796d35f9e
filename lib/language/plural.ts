/**
 * Counted words in the portal's English: "1 day", "2 days", "0 requests".
 * Every page, email and record note that counts something says it through
 * here, so none writes "day(s)" and none guesses the plural on its own.
 */
const RULES = new Intl.PluralRules("en-GB");
const NUMBER = new Intl.NumberFormat("en-GB");

/** The word for `n`: `one` for a single thing, `other` (by default `one` + "s") for any other count. */
export function pluralWord(n: number, one: string, other = `${one}s`): string {
  return RULES.select(n) === "one" ? one : other;
}

/** "1 day", "12 days", "1,204 requests". */
export function countOf(n: number, one: string, other = `${one}s`): string {
  return `${NUMBER.format(n)} ${pluralWord(n, one, other)}`;
}
