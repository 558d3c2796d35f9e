/**
 * Text that JSON brought in (an API call, an agent's signed message, a list
 * server's answer) can hold half of a UTF-16 surrogate pair, written as
 * "\ud800": a JavaScript string may, but UTF-8 cannot. SQLite stores such a
 * string with U+FFFD in its place, so what was stored is not what was read.
 * Anything that hashes text and keeps it (the request log) must hash what it
 * keeps; forms refuse such text outright.
 */

/** Half of a surrogate pair with no other half beside it. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/** The text as it reads back once stored: each lone surrogate replaced by U+FFFD, as UTF-8 encoding does. */
export function wellFormedText(text: string): string {
  return text.replace(LONE_SURROGATES, "\uFFFD");
}
