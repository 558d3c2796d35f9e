/**
 * The preference centre: every mailing list the organisation has, on or off
 * for one address, with "none of these" at the top; and saving the page,
 * which takes effect at once with no staff step. Leaving lists is an
 * objection to direct marketing, filed as an unsubscribe request that
 * carries itself out (so it is on the request's chained record); joining a
 * list is the person's own choice, recorded with the words they saw and
 * confirmed by an email about that list.
 */
import type { Db, Tx } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { CONTROL_CHARACTERS } from "@/lib/forms/fields";
import { enqueueMail } from "@/lib/mail/outbox";
import { listJoinedMail } from "@/lib/mail/emails/list-joined";
import { signedInPreferencesUrl } from "@/lib/mail/preference-link";
import type { PortalContext } from "@/lib/settings/portal-context";
import { joinLists, saleAndSharingObjection } from "@/lib/consent/choices";
import { organisationLists, titleFromName, type ListInfo } from "@/lib/consent/lists";
import { listDecision, listsOfAddress, storedChoice } from "@/lib/consent/store";
import { noneOfThese, noneOfTheseWording, pageWording, preferenceQuestion } from "@/lib/consent/wording";
import { wordsFor } from "@/lib/language/catalogue";
import type { Language } from "@/lib/language/languages";
import { orgNameFor } from "@/lib/settings/org-name";
import { fileRequest, type SignedLink } from "@/lib/requests/intake/file-request";
import { honourPrivacySignal } from "./privacy-signal";

export type ListChoice = ListInfo & { on: boolean; since: Date | null };

export type PreferenceView = {
  email: string;
  question: string;
  noneLabel: string;
  lists: ListChoice[];
  /** No list is on: "none of these" shows ticked. */
  noneOn: boolean;
  /** The person's objection to selling and sharing, if on record (from their browser's privacy signal). */
  saleAndSharing: { since: Date } | null;
};

/** The lists a page for this address offers: every list the organisation has, and any other the address has a record of. */
function listsFor(tx: Db | Tx, email: string): ListInfo[] {
  const known = organisationLists(tx);
  const names = new Set(known.map((l) => l.name));
  const own = listsOfAddress(tx, email)
    .filter((name) => !names.has(name))
    .map((name): ListInfo => ({ name, title: titleFromName(name), description: null }));
  return [...known, ...own];
}

/** The page for one address, in the reader's language (`orgName` is the organisation's name in it). */
export function preferenceView(db: Db, input: { email: string; orgName: string; language: Language }): PreferenceView {
  const words = wordsFor(input.language);
  const lists = listsFor(db, input.email).map((list): ListChoice => {
    const decision = listDecision(db, input.email, list.name);
    return { ...list, on: decision.state === "on", since: decision.since };
  });
  const objection = saleAndSharingObjection(db, input.email);
  return {
    email: input.email,
    question: preferenceQuestion(words, input.orgName),
    noneLabel: noneOfThese(words),
    lists,
    noneOn: lists.every((l) => !l.on),
    saleAndSharing: objection ? { since: objection.at } : null,
  };
}

/** What the page's form sends: the lists it showed, the ones ticked, and "none of these". */
export type ChoicesForm = { none: boolean; shown: string[]; chosen: string[] };

export const MAX_LISTS_ON_PAGE = 500;
const MAX_LIST_NAME = 100;

/** Why a save changed nothing, as the page's address says it (?problem=…); the page says it in the reader's language. */
export const FORM_PROBLEM = "form";
export const UNKNOWN_LIST = "unknown-list";
export type ChoicesProblem = typeof FORM_PROBLEM | typeof UNKNOWN_LIST;

/** Reads the page's form; a list ticked that the page did not show, or a name no list could have, is refused whole. */
export function parseChoicesForm(getAll: (name: string) => string[]): { ok: true; value: ChoicesForm } | { ok: false; problem: ChoicesProblem } {
  const shown = getAll("shown");
  const chosen = getAll("list");
  const none = getAll("none");
  const names = [...shown, ...chosen];
  if (shown.length > MAX_LISTS_ON_PAGE || chosen.length > MAX_LISTS_ON_PAGE || none.length > 1) return { ok: false, problem: FORM_PROBLEM };
  if (names.some((n) => n === "" || n.length > MAX_LIST_NAME || CONTROL_CHARACTERS.test(n) || /[\r\n\t]/.test(n))) return { ok: false, problem: FORM_PROBLEM };
  if (none.length === 1 && none[0] !== "1") return { ok: false, problem: FORM_PROBLEM };
  const shownSet = new Set(shown);
  if (chosen.some((n) => !shownSet.has(n))) return { ok: false, problem: FORM_PROBLEM };
  return { ok: true, value: { none: none.length === 1, shown: [...shownSet], chosen: [...new Set(chosen)] } };
}

export type SaveOutcome =
  | { ok: true; left: string[]; joined: string[]; reference: string | null }
  | { ok: false; problem: typeof UNKNOWN_LIST };

/** How the person reached the page: a signed link from an email, or their session. */
export type PageAccess = { via: "link" } | { via: "session" };

/**
 * Saves the page at once, in one transaction: the lists left (an
 * unsubscribe request naming them, carried out and closed as it is filed),
 * the lists joined (each recorded with the words shown, and confirmed by an
 * email about that list), and, when the browser sent its privacy signal, the
 * person's objection to selling and sharing.
 */
export function saveChoices(
  db: Db,
  input: { email: string; form: ChoicesForm; access: PageAccess; privacySignal: boolean; now: Date; ctx: PortalContext; language: Language },
): SaveOutcome {
  const { email, form, now, ctx, language } = input;
  // The words recorded are the page's, in the language it was shown in; the request and its emails speak it too.
  const words = wordsFor(language);
  return inTransaction(db, (tx): SaveOutcome => {
    const orgName = orgNameFor(tx, language, ctx);
    const offered = new Map(listsFor(tx, email).map((l) => [l.name, l]));
    if (form.shown.some((name) => !offered.has(name))) return { ok: false, problem: UNKNOWN_LIST };
    const shown = form.shown.map((name) => offered.get(name)!);
    const chosen = new Set(form.chosen);
    const state = new Map(shown.map((l) => [l.name, listDecision(tx, email, l.name).state === "on"]));
    const signedLink: SignedLink | undefined = input.access.via === "link" ? "preferences" : undefined;

    let reference: string | null = null;
    let left: string[] = [];
    let joined: string[] = [];
    const fileLeaving = (lists: ListInfo[] | "all", wording: string) => {
      const filed = fileRequest(tx, {
        submission: {
          type: "unsubscribe",
          email,
          details: lists === "all" ? { type: "unsubscribe" } : { type: "unsubscribe", lists: lists.map((l) => l.name) },
          language,
        },
        now,
        ctx,
        signedLink,
        choice: { route: "page", wording },
      });
      // Stopping emails is never limited (lib/requests/intake/supporter-limits.ts), so this is a programming error.
      if (!filed.ok) throw new Error(`An unsubscribe was refused: ${filed.message}`);
      reference = filed.reference;
    };

    if (form.none) {
      left = shown.filter((l) => state.get(l.name)).map((l) => l.name);
      // Already off every list and kept off lists added later: nothing to ask for again.
      if (left.length > 0 || storedChoice(tx, email, "all_lists")?.state !== "withdrawn") fileLeaving("all", noneOfTheseWording(words, orgName));
    } else {
      const leaving = shown.filter((l) => state.get(l.name) && !chosen.has(l.name));
      if (leaving.length > 0) {
        fileLeaving(leaving, leaving.map((l) => pageWording(words, orgName, l, false)).join(" "));
        left = leaving.map((l) => l.name);
      }
      for (const list of shown.filter((l) => !state.get(l.name) && chosen.has(l.name))) {
        joined = [
          ...joined,
          ...joinLists(tx, { email, lists: [list.name], at: now, now, source: { route: "page", wording: pageWording(words, orgName, list, true) } }),
        ];
        enqueueMail(
          tx,
          {
            ...listJoinedMail.draft({ language, orgName, listTitle: list.title, listDescription: list.description, choicesUrl: signedInPreferencesUrl(ctx.appUrl) }),
            to: email,
            kind: "list-joined",
            list: list.name,
          },
          { now, appUrl: ctx.appUrl },
        );
      }
    }
    if (input.privacySignal) honourPrivacySignal(tx, { email, now, regime: ctx.regime });
    return { ok: true, left, joined, reference };
  });
}
