/**
 * The whole check of the record, as `npm run audit:verify`, the daily
 * anchor and every backup run it: the chain (against every anchor it can
 * read), the requests against their events, and what was removed on the
 * record. It answers with the first problem in a sentence, or with what it
 * checked.
 */
import type { Db } from "@/db/connection";
import { eventLogConversions } from "@/db/schema";
import type { PublicKey } from "@/lib/settings/signing-key";
import { countOf } from "@/lib/language/plural";
import { anchorLabel, checkAnchors, storedAnchors, type AnchorSource } from "./anchors";
import { describeRedaction } from "./redaction";
import { verifyRequestStates, verifyRequestStatesAsync, type StateReport } from "./request-state";
import { describeInstant, verifyEventChain, verifyEventChainAsync, type AnchorPoint, type ChainReport, type VerifyChainOptions } from "./verify-chain";

export type RecordCheckInput = {
  /** Every anchor read (the anchor file, and any given by hand). */
  anchors: readonly AnchorSource[];
  /** Lines of the anchor file that are not anchors. */
  unreadableAnchors?: readonly string[];
  /** The organisation's public key; null when it is not at hand (then anchors cannot be checked). */
  publicKey: PublicKey | null;
  batchSize?: number;
};

export type RecordReport = {
  /** The first thing wrong, in a sentence; null when the record is intact. */
  problem: string | null;
  /** Set when the record could not be checked at all (no key for the anchors). */
  cannotCheck: string | null;
  chain: ChainReport | null;
  states: StateReport | null;
  /** What the check found besides problems, a sentence each: anchors, removals, conversions, gaps in coverage. */
  notes: string[];
};

type Prepared = { points: AnchorPoint[]; notes: string[] } | { problem: string } | { cannotCheck: string };

/**
 * The anchors read, and the database's own copies of any they lack (by
 * signature): with a note, since the anchor file should hold every one.
 */
function withStoredCopies(db: Db, read: readonly AnchorSource[]): { anchors: AnchorSource[]; notes: string[] } {
  const seen = new Set(read.map((s) => s.anchor.signature));
  const missing = storedAnchors(db).filter((s) => !seen.has(s.anchor.signature));
  if (missing.length === 0) return { anchors: [...read], notes: [] };
  const newest = missing.reduce((a, b) => (b.anchor.signedAt > a.anchor.signedAt ? b : a));
  return {
    anchors: [...read, ...missing],
    notes: [
      `${countOf(missing.length, "anchor")} the database keeps a copy of ${missing.length === 1 ? "is" : "are"} not in the anchor file (nor given by hand), so ${missing.length === 1 ? "it was" : "they were"} checked from the database's ${missing.length === 1 ? "copy" : "copies"}, ` +
        `the newest signed on ${describeInstant(newest.anchor.signedAt)}: the anchor file was moved, cut short or replaced, or ANCHOR_FILE does not name it.`,
    ],
  };
}

function prepareAnchors(db: Db, given: RecordCheckInput): Prepared {
  const stored = withStoredCopies(db, given.anchors);
  const input = { ...given, anchors: stored.anchors };
  const prepared = prepareFrom(input);
  return "points" in prepared ? { ...prepared, notes: [...stored.notes, ...prepared.notes] } : prepared;
}

function prepareFrom(input: RecordCheckInput): Prepared {
  const unreadable = input.unreadableAnchors ?? [];
  if (input.anchors.length === 0 && unreadable.length === 0) {
    return {
      points: [],
      notes: ["No anchor was found, so events cut off the end of the log, or a rewrite of the whole log, would not show: make one with `npm run audit:anchor`."],
    };
  }
  if (!input.publicKey) {
    return { cannotCheck: "The anchors cannot be checked without the organisation's public key: give it with --public-key FILE, or set SIGNING_KEY_FILE." };
  }
  const check = checkAnchors(input.anchors, input.publicKey, unreadable);
  if (!check.ok) return { problem: check.message };
  const notes: string[] = [];
  if (check.newest) notes.push(`Checked against ${countOf(check.points.length, "anchor")}; the newest is ${anchorLabel(check.newest)}, at event ${check.newest.anchor.position}.`);
  for (const { anchor, restore } of check.givenUp) {
    notes.push(
      `Events after ${restore.anchor.position}, anchored by ${anchorLabel(anchor)}, were given up when the database was restored to event ${restore.anchor.position}: see ${anchorLabel(restore)}.`,
    );
  }
  return { points: check.points, notes };
}

function conversionNotes(db: Db): string[] {
  return db
    .select()
    .from(eventLogConversions)
    .all()
    .map(
      (c) =>
        `Events 1 to ${c.events} were written before notes could be removed, and were converted on ${describeInstant(c.convertedAt)} after their old chain was checked; ` +
        `their last hash before that was ${c.legacyHeadHash || "none"}.`,
    );
}

function redactionNotes(chain: ChainReport): string[] {
  if (chain.redacted.count === 0) return [];
  const reasons = Object.entries(chain.redacted.byReason)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} because ${describeRedaction(reason as keyof typeof chain.redacted.byReason)}`);
  const lines = [`${countOf(chain.redacted.count, "event")} had ${chain.redacted.count === 1 ? "its note" : "their notes"} removed on the record (redacted): ${reasons.join(", ")}.`];
  for (const r of chain.redacted.first) {
    lines.push(`Event ${r.eventId}: redacted on ${describeInstant(r.removedAt)}, because ${describeRedaction(r.reason)}.`);
  }
  if (chain.redacted.count > chain.redacted.first.length) lines.push(`…and ${chain.redacted.count - chain.redacted.first.length} more.`);
  return lines;
}

/** The report, from the chain's walk and (when the chain holds) the requests' states. */
function finish(db: Db, prepared: { points: AnchorPoint[]; notes: string[] }, chain: ChainReport, states: StateReport | null): RecordReport {
  if (chain.problem || !states) return { problem: chain.problem?.message ?? null, cannotCheck: null, chain, states: null, notes: prepared.notes };
  const notes = [...prepared.notes, ...redactionNotes(chain), ...conversionNotes(db)];
  if (states.statusOnly > 0) {
    notes.push(`${countOf(states.statusOnly, "request")} last changed before the log recorded due dates and assignees ${states.statusOnly === 1 ? "was" : "were"} checked for status only.`);
  }
  if (states.identityUnrecorded > 0) {
    const one = states.identityUnrecorded === 1;
    notes.push(
      `${countOf(states.identityUnrecorded, "request")} last changed before events recorded what each request is (its address, what was asked, when it came) ` +
        `${one ? "was" : "were"} not checked for ${one ? "it" : "them"}: ${one ? "its" : "each one's"} next event records ${one ? "it" : "them"}.`,
    );
  }
  if (states.problem) {
    const more = states.disagreeing > 1 ? ` ${countOf(states.disagreeing - 1, "other request")} ${states.disagreeing === 2 ? "disagrees" : "disagree"} with ${states.disagreeing === 2 ? "its" : "their"} events too.` : "";
    return { problem: states.problem.message + more, cannotCheck: null, chain, states, notes };
  }
  return { problem: null, cannotCheck: null, chain, states, notes };
}

function early(prepared: Prepared): RecordReport | null {
  if ("problem" in prepared) return { problem: prepared.problem, cannotCheck: null, chain: null, states: null, notes: [] };
  if ("cannotCheck" in prepared) return { problem: null, cannotCheck: prepared.cannotCheck, chain: null, states: null, notes: [] };
  return null;
}

export function verifyRecord(db: Db, input: RecordCheckInput): RecordReport {
  const prepared = prepareAnchors(db, input);
  const stop = early(prepared);
  if (stop || !("points" in prepared)) return stop!;
  const options: VerifyChainOptions = { anchors: prepared.points, batchSize: input.batchSize };
  const chain = verifyEventChain(db, options);
  return finish(db, prepared, chain, chain.problem ? null : verifyRequestStates(db));
}

/** The same, giving way to other work between batches of the chain: for the running server's daily jobs. */
export async function verifyRecordAsync(db: Db, input: RecordCheckInput): Promise<RecordReport> {
  const prepared = prepareAnchors(db, input);
  const stop = early(prepared);
  if (stop || !("points" in prepared)) return stop!;
  const chain = await verifyEventChainAsync(db, { anchors: prepared.points, batchSize: input.batchSize });
  return finish(db, prepared, chain, chain.problem ? null : await verifyRequestStatesAsync(db));
}
