/**
 * Changing a person's choices: leaving lists (from any route), joining them
 * (only by the person's own choice on the preference page), and objecting
 * to their data being sold or shared. Each changes the organisation's
 * records and the record of choices together, in the caller's transaction.
 */
import { eq } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { consentChanges, consents } from "@/db/schema";
import { organisationLists } from "./lists";
import { endSubscriptionsTo, listDecision, listsOfAddress, startSubscriptionTo, storedChoice, writeChoice, type ChoiceSource } from "./store";

export type LeaveResult = {
  /** Lists the address was on and is now off. */
  left: string[];
  /** Subscriptions ended in the organisation's records, over all the address's supporter records. */
  ended: number;
};

/**
 * Takes the address off the lists named, or off every list ("all"): every
 * list the organisation has and the address has any record of, and, through
 * the choice about every list, any list added later. An objection is
 * honoured whatever stood before, so running subscriptions always end.
 */
export function leaveLists(tx: Executor, input: { email: string; lists: readonly string[] | "all"; at: Date; now: Date; source: ChoiceSource }): LeaveResult {
  const every = input.lists === "all";
  const targets = every ? [...new Set([...organisationLists(tx).map((l) => l.name), ...listsOfAddress(tx, input.email)])].sort() : [...new Set(input.lists)];
  const left: string[] = [];
  let ended = 0;
  for (const list of targets) {
    const before = listDecision(tx, input.email, list);
    ended += endSubscriptionsTo(tx, { email: input.email, list, at: input.at });
    // For "every list", lists the address was never on are covered by the one choice about every list.
    if (every && before.state !== "on") continue;
    writeChoice(tx, { email: input.email, topic: "mailing_list", list, state: "withdrawn", at: input.at, now: input.now, source: input.source });
    if (before.state === "on") left.push(list);
  }
  if (every) writeChoice(tx, { email: input.email, topic: "all_lists", state: "withdrawn", at: input.at, now: input.now, source: input.source });
  return { left, ended };
}

/** Only the person, on the preference page, puts themselves on a list: the type admits no other route. */
export type PersonsChoice = ChoiceSource & { route: "page" };

/** Puts the address on each list named that it is not on now; returns the lists joined. */
export function joinLists(tx: Executor, input: { email: string; lists: readonly string[]; at: Date; now: Date; source: PersonsChoice }): string[] {
  const joined: string[] = [];
  for (const list of new Set(input.lists)) {
    if (listDecision(tx, input.email, list).state === "on") continue;
    startSubscriptionTo(tx, { email: input.email, list, at: input.at, now: input.now });
    writeChoice(tx, { email: input.email, topic: "mailing_list", list, state: "granted", at: input.at, now: input.now, source: input.source });
    joined.push(list);
  }
  return joined;
}

/** Records that the person objected to their data being sold or shared; false when that was already on record. */
export function objectToSaleAndSharing(tx: Executor, input: { email: string; at: Date; now: Date; source: ChoiceSource }): boolean {
  return writeChoice(tx, { email: input.email, topic: "sale_sharing", state: "withdrawn", at: input.at, now: input.now, source: input.source });
}

/** The person's objection to selling and sharing, if on record. */
export function saleAndSharingObjection(tx: Executor, email: string): { at: Date; route: string } | null {
  const row = storedChoice(tx, email, "sale_sharing");
  return row && row.state === "withdrawn" ? { at: row.at, route: row.route } : null;
}

/**
 * After an erasure: the current choices go with the person's other data,
 * and their history keeps only the keyed marker in place of the address,
 * so the counts of opt-outs stay right without naming anyone.
 */
export function forgetChoices(tx: Executor, input: { email: string; marker: string }): void {
  tx.delete(consents).where(eq(consents.email, input.email)).run();
  tx.update(consentChanges).set({ email: input.marker, detail: null }).where(eq(consentChanges.email, input.email)).run();
}
