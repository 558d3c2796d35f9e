/**
 * The words a choice is recorded with: what the person was shown or what
 * was sent for them, so the record can show later exactly what they agreed
 * to or objected to. The frame around them ("Preference page.", "pressed")
 * is the record's own, in English for staff; the words quoted inside it are
 * the ones the page showed, in the language it showed them in, from the
 * same catalogue entries the pages read.
 */
import type { ConsentState, Regime } from "@/db/schema";
import { wordsFor, type Words } from "@/lib/language/catalogue";
import { BASE_LANGUAGE } from "@/lib/language/languages";
import type { ListInfo } from "./lists";

/** The preference page's question, above the lists. */
export function preferenceQuestion(words: Words, orgName: string): string {
  return words("choices.question", { orgName });
}

/** The choice at the top of the page. */
export function noneOfThese(words: Words): string {
  return words("choices.none");
}

/** How one list reads on the page: its title, and its description when it has one. */
export function listLabel(list: Pick<ListInfo, "title" | "description">): string {
  return list.description ? `${list.title}: ${list.description}` : list.title;
}

export function pageWording(words: Words, orgName: string, list: Pick<ListInfo, "title" | "description">, ticked: boolean): string {
  return `Preference page. "${preferenceQuestion(words, orgName)}" "${listLabel(list)}" ${ticked ? "ticked" : "not ticked"}.`;
}

export function noneOfTheseWording(words: Words, orgName: string): string {
  return `Preference page. "${preferenceQuestion(words, orgName)}" "${noneOfThese(words)}" ticked.`;
}

/** A mail program's one-click unsubscribe (RFC 8058), from a message about one list or about none: what was sent, not words shown. */
export function oneClickWording(listTitle: string | null): string {
  return listTitle
    ? `One-click unsubscribe (List-Unsubscribe=One-Click) from an email about the list "${listTitle}".`
    : "One-click unsubscribe (List-Unsubscribe=One-Click) from an email about no one list: every list.";
}

/** The button on the page an unsubscribe link opens (the footer's "all lists" link, or a list's link opened in a browser). */
export function unsubscribeButtonWording(words: Words, orgName: string, listTitle: string | null): string {
  return `Unsubscribe page, from the link in an email. "${unsubscribeButton(words, orgName, listTitle)}" pressed.`;
}

/** The words on that button, as the page shows them. */
export function unsubscribeButton(words: Words, orgName: string, listTitle: string | null): string {
  return listTitle ? words("unsubscribePage.buttonList", { list: listTitle }) : words("unsubscribePage.button", { orgName });
}

export function requestFormWording(ask: string): string {
  return `Request form. "${ask}"`;
}

export function staffWording(channel: string, ask: string): string {
  return `Recorded by staff from a request by ${channel}. "${ask}"`;
}

export function importWording(state: ConsentState, file: string, at: Date): string {
  const day = at.toISOString().slice(0, 10);
  return state === "granted" ? `The organisation's records (${file}): on the list since ${day}.` : `The organisation's records (${file}): left the list on ${day}.`;
}

/** What a browser's Global Privacy Control signal means under each regime, as the page says it in the reader's language. */
export function privacySignalMeaning(words: Words, regime: Regime): string {
  return words(regime === "ccpa" ? "privacySignal.meaningCcpa" : "privacySignal.meaningGdpr");
}

/** The record of the signal: what the browser sent, and what it means, in the record's English. */
export function privacySignalWording(regime: Regime): string {
  return `The browser sent the Global Privacy Control signal (Sec-GPC: 1) while signed in: ${privacySignalMeaning(wordsFor(BASE_LANGUAGE), regime)}.`;
}
