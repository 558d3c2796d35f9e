/**
 * Where a person stands on one mailing list, and what an import may do about
 * it: pure functions of the facts the store reads, so every rule has a
 * table-driven test.
 *
 * The rules, decided here once:
 * - A choice belongs to the address, not to one supporter record: it holds
 *   for every record with that address, and for records imported later.
 * - The person's recorded choice decides (a yes only while some subscription
 *   to the list still runs in the organisation's records: one ended there
 *   since is the person leaving). Without one, "every list"
 *   withdrawn (a request to stop all emails, or "none of these") keeps them
 *   off any list they did not choose since. Without either, the
 *   organisation's records decide: on the list while any record's
 *   subscription runs.
 * - An opt-out from anywhere, an import included, is honoured at once.
 * - Only the person can sign up again to a list they left, by choosing it:
 *   an import that still has them on it keeps them off and says so.
 */
import type { ConsentRoute, ConsentState } from "@/db/schema";

/** The facts about one address and one list. */
export type ListFacts = {
  /** The recorded choice for this list, if any. */
  choice: { state: ConsentState; at: Date; route: ConsentRoute } | null;
  /** The recorded choice about every list at once (only ever withdrawn), if any. */
  allLists: { at: Date; route: ConsentRoute } | null;
  /** The address's subscriptions to this list in the organisation's records. */
  rows: { running: number; ended: number; lastEndedAt: Date | null; firstSubscribedAt: Date | null };
};

export type ListDecision =
  | { state: "on"; since: Date | null; route: ConsentRoute | null; recorded: boolean; byPerson: boolean }
  | { state: "off"; since: Date | null; route: ConsentRoute | null; recorded: boolean; left: boolean }
  | { state: "never"; since: null; route: null; recorded: false };

/** Routes on which the person themselves said yes or no (everything but an import from the organisation's records). */
export function isPersonsOwnChoice(route: ConsentRoute | null): boolean {
  return route !== null && route !== "import";
}

export function decideList(facts: ListFacts): ListDecision {
  const { choice, allLists, rows } = facts;
  if (choice?.state === "withdrawn") return { state: "off", since: choice.at, route: choice.route, recorded: true, left: true };
  // A yes stands while the organisation's records agree: every subscription to the list ended since means the person left it.
  const endedSince = rows.running === 0 && rows.ended > 0;
  if (choice && !endedSince) return { state: "on", since: choice.at, route: choice.route, recorded: true, byPerson: isPersonsOwnChoice(choice.route) };
  if (choice) return { state: "off", since: rows.lastEndedAt, route: null, recorded: false, left: true };
  if (allLists) return { state: "off", since: allLists.at, route: allLists.route, recorded: true, left: true };
  if (rows.running > 0) return { state: "on", since: rows.firstSubscribedAt, route: null, recorded: false, byPerson: false };
  if (rows.ended > 0) return { state: "off", since: rows.lastEndedAt, route: null, recorded: false, left: true };
  return { state: "never", since: null, route: null, recorded: false };
}

/** One subscription row as an import brings it. */
export type ImportedRow = { subscribedAt: Date; unsubscribedAt: Date | null };

export type ImportOutcome = {
  /** What to store as the row's end: null keeps it running. */
  unsubscribedAt: Date | null;
  /** A choice to record for the address (and, for a withdrawal, to carry to its other records). */
  record: { state: ConsentState; at: Date } | null;
  /** Why the row was not stored as the file has it, for the import's report. */
  kept: { why: "kept_off"; since: Date | null } | { why: "kept_on"; since: Date | null } | null;
};

/**
 * What an import stores for one subscription row, given where the address
 * stands on that list before it (and, for a row imported before, what is
 * stored for it now).
 */
export function importSubscription(decision: ListDecision, row: ImportedRow, stored: { unsubscribedAt: Date | null } | null): ImportOutcome {
  const ended = row.unsubscribedAt;
  if (decision.state === "off") {
    // The file agrees the list ended: its own date stands. Still running there: kept off, never signed up again.
    if (ended) return { unsubscribedAt: ended, record: decision.recorded ? null : { state: "withdrawn", at: ended }, kept: null };
    return { unsubscribedAt: stored?.unsubscribedAt ?? decision.since ?? row.subscribedAt, record: null, kept: { why: "kept_off", since: decision.since } };
  }
  if (decision.state === "on") {
    if (!ended) return { unsubscribedAt: null, record: decision.recorded ? null : { state: "granted", at: row.subscribedAt }, kept: null };
    // The person chose this list again after the source says it ended: their later choice stands.
    if (decision.byPerson && decision.since && decision.since.getTime() > ended.getTime()) {
      return { unsubscribedAt: null, record: null, kept: { why: "kept_on", since: decision.since } };
    }
    // Ended at the source: an opt-out, honoured for the whole address.
    return { unsubscribedAt: ended, record: { state: "withdrawn", at: ended }, kept: null };
  }
  return { unsubscribedAt: ended, record: ended ? { state: "withdrawn", at: ended } : { state: "granted", at: row.subscribedAt }, kept: null };
}
