/**
 * What an import does with a subscription row, given the person's choices:
 * it never signs an address back up to a list it left, honours an end the
 * source reports, and records the organisation's existing consent the first
 * time it sees an address on a list.
 */
import type { Executor } from "@/db/connection";
import { formatCalendarDate } from "@/lib/calendar/format";
import { calendarDateIn } from "@/lib/calendar/dates";
import { decideList, importSubscription, type ImportedRow, type ImportOutcome } from "./decision";
import { endSubscriptionsTo, listFacts, writeChoice } from "./store";
import { importWording } from "./wording";

export type ImportedChoice = {
  unsubscribedAt: Date | null;
  /** A sentence for the import's report when the row was not stored as the file has it. */
  kept: string | null;
};

function day(at: Date | null, timeZone: string): string {
  return at ? formatCalendarDate(calendarDateIn(at, timeZone)) : "an earlier date";
}

/** The report's sentence for a row kept as the person chose, not as the file has it. */
export function keptSentence(list: string, kept: NonNullable<ImportOutcome["kept"]>, timeZone: string): string {
  return kept.why === "kept_off"
    ? `kept off the list "${list}", which this address left on ${day(kept.since, timeZone)}; only the person can join it again, in the preference centre`
    : `kept on the list "${list}", which this address chose again on ${day(kept.since, timeZone)}, after the end the file gives`;
}

/**
 * Decides and records what one imported subscription row becomes. A
 * withdrawal the file brings ends the list on the address's other records
 * too, so later rows of the same file find the address off the list.
 */
export function importedSubscriptionChoice(
  tx: Executor,
  input: { email: string; list: string; row: ImportedRow; stored: { unsubscribedAt: Date | null } | null; file: string; now: Date; timeZone: string },
): ImportedChoice {
  const facts = listFacts(tx, input.email, input.list);
  const outcome = importSubscription(decideList(facts), input.row, input.stored);
  if (outcome.record) {
    const { state, at } = outcome.record;
    writeChoice(tx, {
      email: input.email,
      topic: "mailing_list",
      list: input.list,
      state,
      at,
      now: input.now,
      source: { route: "import", wording: importWording(state, input.file, at), detail: input.file },
      // Read just now, in this transaction, with the facts.
      current: facts.choice?.state ?? null,
    });
    if (state === "withdrawn") endSubscriptionsTo(tx, { email: input.email, list: input.list, at });
  }
  return { unsubscribedAt: outcome.unsubscribedAt, kept: outcome.kept ? keptSentence(input.list, outcome.kept, input.timeZone) : null };
}
