/**
 * The words a choice is recorded with: what the person was shown or what
 * was sent for them, so the record can show later exactly what they agreed
 * to or objected to. Pages show the same sentences these functions write.
 */
import type { ConsentState, Regime } from "@/db/schema";
import type { ListInfo } from "./lists";

/** The preference page's question, above the lists. */
export function preferenceQuestion(orgName: string): string {
  return `Which emails would you like from ${orgName}?`;
}

/** The choice at the top of the page. */
export const NONE_OF_THESE = "None of these: take me off every list, and keep me off lists added later";

/** How one list reads on the page: its title, and its description when it has one. */
export function listLabel(list: Pick<ListInfo, "title" | "description">): string {
  return list.description ? `${list.title}: ${list.description}` : list.title;
}

export function pageWording(orgName: string, list: Pick<ListInfo, "title" | "description">, ticked: boolean): string {
  return `Preference page. "${preferenceQuestion(orgName)}" "${listLabel(list)}" ${ticked ? "ticked" : "not ticked"}.`;
}

export function noneOfTheseWording(orgName: string): string {
  return `Preference page. "${preferenceQuestion(orgName)}" "${NONE_OF_THESE}" ticked.`;
}

/** A mail program's one-click unsubscribe (RFC 8058), from a message about one list or about none. */
export function oneClickWording(listTitle: string | null): string {
  return listTitle
    ? `One-click unsubscribe (List-Unsubscribe=One-Click) from an email about the list "${listTitle}".`
    : "One-click unsubscribe (List-Unsubscribe=One-Click) from an email about no one list: every list.";
}

/** The button on the page an unsubscribe link opens (the footer's "all lists" link, or a list's link opened in a browser). */
export function unsubscribeButtonWording(orgName: string, listTitle: string | null): string {
  return listTitle
    ? `Unsubscribe page, from the link in an email. "${leaveListButton(listTitle)}" pressed.`
    : `Unsubscribe page, from the link in an email. "${leaveAllButton(orgName)}" pressed.`;
}

export function leaveListButton(listTitle: string): string {
  return `Leave the list "${listTitle}"`;
}

export function leaveAllButton(orgName: string): string {
  return `Unsubscribe from every ${orgName} mailing list`;
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

/** What a browser's Global Privacy Control signal means under each regime, as the record and the page say it. */
export function privacySignalMeaning(regime: Regime): string {
  return regime === "ccpa"
    ? "a request to opt out of the sale and sharing of your personal information (California Civil Code 1798.120 and 1798.135(e))"
    : "an objection, made by automated means (GDPR Article 21(5)), to your personal data being sold to or shared with other organisations";
}

export function privacySignalWording(regime: Regime): string {
  return `The browser sent the Global Privacy Control signal (Sec-GPC: 1) while signed in: ${privacySignalMeaning(regime)}.`;
}
