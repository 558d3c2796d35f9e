/**
 * Walks the whole log in order and names the first event that does not fit:
 * one edited, deleted, slipped in, or whose note was changed or removed
 * behind the record's back. Given anchors (./anchors.ts), it also catches
 * the two things a chain cannot show by itself: events cut off the end, and
 * a log rewritten with every later hash recomputed.
 *
 * Notes removed on the record (./redaction.ts) are reported as redacted,
 * with when and why, never as tampering.
 */
import { asc, gt } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { requestEvents, type RequestEvent } from "@/db/schema";
import { contentHash, eventHash } from "./event-log";
import { redactionReasonOf, REDACTION_REASONS, type RedactionReason } from "./redaction";

export type ChainProblemKind =
  | "changed"
  | "content_changed"
  | "out_of_order"
  | "missing_before"
  | "removed_unrecorded"
  | "rewritten"
  | "truncated";

export type ChainProblem = {
  /** The first position that is wrong (for a rewrite, the first that may be). */
  eventId: number;
  kind: ChainProblemKind;
  message: string;
};

/** One event whose note was removed on the record. */
export type Redaction = { eventId: number; requestId: number; removedAt: Date; reason: RedactionReason };

/** A signed statement that the event at `position` had `hash`; `label` names it in sentences. */
export type AnchorPoint = { position: number; hash: string; signedAt: Date; label: string };

export type ChainReport = {
  events: number;
  problem: ChainProblem | null;
  /** The last event's hash: an anchor of it proves nothing was cut off the end. */
  headHash: string;
  redacted: { count: number; byReason: Record<RedactionReason, number>; first: Redaction[] };
  /** How many anchors the log was checked against. */
  anchorsChecked: number;
};

/** How many redacted events a report names one by one; the rest are counted. */
const REDACTIONS_NAMED = 20;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "2 March 2026, 09:00 UTC": how the record's sentences name an instant, the same on every machine. */
export function describeInstant(at: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}, ${two(at.getUTCHours())}:${two(at.getUTCMinutes())} UTC`;
}

/**
 * The walk itself, fed one event at a time in order, so the same rules run
 * over a whole file at once (`verifyEventChain`) or a batch at a time
 * between other work (`verifyEventChainAsync`).
 */
export class ChainWalker {
  private previous: { id: number; hash: string } | null = null;
  private count = 0;
  /** Per request, its events whose notes are gone and that no later removal event has yet accounted for. */
  private unexplained = new Map<number, number[]>();
  private redactions: Redaction[] = [];
  private redactedCount = 0;
  private byReason = Object.fromEntries(REDACTION_REASONS.map((r) => [r, 0])) as Record<RedactionReason, number>;
  private anchors: AnchorPoint[];
  private nextAnchor = 0;
  private lastMatched: AnchorPoint | null = null;
  problem: ChainProblem | null = null;

  constructor(anchors: readonly AnchorPoint[] = []) {
    this.anchors = [...anchors].sort((a, b) => a.position - b.position || a.signedAt.getTime() - b.signedAt.getTime());
  }

  /** Checks the next event; false once a problem is found (then `problem` says what). */
  take(event: RequestEvent): boolean {
    if (this.problem) return false;
    this.count++;
    const previous = this.previous;
    // appendEvent numbers events 1, 2, 3, ... with no gaps, so a gap is itself a sign of
    // deletion, even where a forger re-chained the next event to hide it.
    const expectedId = (previous?.id ?? 0) + 1;
    if (event.id !== expectedId) {
      return this.fail(
        event.id,
        "missing_before",
        previous
          ? `Event ${event.id} does not follow event ${previous.id}: the events between them were deleted, or this one was inserted out of order.`
          : `Event ${event.id} is the first in the log, but the log starts at event 1: the events before it were deleted.`,
      );
    }
    if (event.prevHash !== (previous?.hash ?? "")) {
      return this.fail(
        event.id,
        "out_of_order",
        `Event ${event.id} does not follow the event before it: it was inserted out of order, or an earlier event was deleted or replaced.`,
      );
    }
    if (event.contentHash === null || eventHash(event) !== event.hash) {
      return this.fail(event.id, "changed", `Event ${event.id} was changed after it was recorded: its content no longer matches its hash.`);
    }
    if (!this.checkContent(event)) return false;
    if (!this.checkAnchors(event)) return false;
    this.previous = { id: event.id, hash: event.hash };
    return true;
  }

  /** The note against what the event committed to; a removed note must be accounted for by a later removal event. */
  private checkContent(event: RequestEvent): boolean {
    const reason = redactionReasonOf(event.action);
    if (event.contentSalt !== null) {
      if (contentHash(event.contentSalt, event.note) !== event.contentHash) {
        return this.fail(
          event.id,
          "content_changed",
          `Event ${event.id}'s note was changed after it was recorded: it no longer matches what the event committed to.`,
        );
      }
    } else if (event.note !== null || reason !== null) {
      // A removal leaves neither note nor salt, and never touches a removal event itself.
      return this.fail(
        event.id,
        "content_changed",
        `Event ${event.id}'s note was changed after it was recorded: it no longer matches what the event committed to.`,
      );
    } else {
      const waiting = this.unexplained.get(event.requestId) ?? [];
      waiting.push(event.id);
      this.unexplained.set(event.requestId, waiting);
    }
    if (reason !== null) {
      for (const eventId of this.unexplained.get(event.requestId) ?? []) {
        this.redactedCount++;
        this.byReason[reason]++;
        if (this.redactions.length < REDACTIONS_NAMED) this.redactions.push({ eventId, requestId: event.requestId, removedAt: event.at, reason });
      }
      this.unexplained.delete(event.requestId);
    }
    return true;
  }

  private checkAnchors(event: RequestEvent): boolean {
    while (this.nextAnchor < this.anchors.length && this.anchors[this.nextAnchor]!.position <= event.id) {
      const anchor = this.anchors[this.nextAnchor]!;
      this.nextAnchor++;
      if (anchor.position < event.id) continue;
      if (anchor.hash !== event.hash) {
        const matched = this.lastMatched;
        const from = (matched?.position ?? 0) + 1;
        const where =
          from === event.id
            ? `starting at event ${event.id}.`
            : `starting at one of events ${from} to ${event.id}` + (matched ? `; ${matched.label}, at event ${matched.position}, still matches.` : ".");
        return this.fail(from, "rewritten", `Event ${event.id} does not match ${anchor.label}: the log was rewritten after it was anchored, ${where}`);
      }
      this.lastMatched = anchor;
    }
    return true;
  }

  private fail(eventId: number, kind: ChainProblemKind, message: string): false {
    this.problem = { eventId, kind, message };
    return false;
  }

  /** After the last event: events cut off the end, and notes removed off the record. */
  finish(): ChainReport {
    if (!this.problem) {
      const furthest = this.anchors.reduce<AnchorPoint | null>((best, a) => (a.position > (best?.position ?? this.count) ? a : best), null);
      if (furthest) {
        const first = this.count + 1;
        const lost = first === furthest.position ? `event ${first} was deleted.` : `events ${first} to ${furthest.position} were deleted.`;
        this.fail(
          first,
          "truncated",
          this.count === 0
            ? `The log is empty, but ${furthest.label} covers event ${furthest.position}: ${lost}`
            : `The log ends at event ${this.count}, but ${furthest.label} covers event ${furthest.position}: ${lost}`,
        );
      }
    }
    if (!this.problem && this.unexplained.size > 0) {
      // A loop, not Math.min(...ids): a log stripped across a few hundred thousand requests would overflow the call.
      let first = Infinity;
      for (const ids of this.unexplained.values()) first = Math.min(first, ids[0]!);
      this.fail(
        first,
        "removed_unrecorded",
        `Event ${first}'s note was removed, but no later event of its request records a removal: it was deleted behind the record's back.`,
      );
    }
    const checked = this.problem ? 0 : this.anchors.length;
    return {
      events: this.count,
      problem: this.problem,
      headHash: this.previous?.hash ?? "",
      redacted: { count: this.redactedCount, byReason: { ...this.byReason }, first: [...this.redactions] },
      anchorsChecked: checked,
    };
  }
}

function readBatch(db: Db, afterId: number, batchSize: number): RequestEvent[] {
  return db.select().from(requestEvents).where(gt(requestEvents.id, afterId)).orderBy(asc(requestEvents.id)).limit(batchSize).all();
}

export type VerifyChainOptions = { batchSize?: number; anchors?: readonly AnchorPoint[] };

/** Walks the whole log in order and names the first event that does not fit. */
export function verifyEventChain(db: Db, options: VerifyChainOptions = {}): ChainReport {
  const walker = new ChainWalker(options.anchors);
  const batchSize = options.batchSize ?? 5000;
  let afterId = 0;
  for (;;) {
    const batch = readBatch(db, afterId, batchSize);
    if (batch.length === 0) break;
    if (!batch.every((event) => walker.take(event))) break;
    afterId = batch[batch.length - 1]!.id;
  }
  return walker.finish();
}

/** The same, giving way to other work between batches: for the running server's daily checks. */
export async function verifyEventChainAsync(db: Db, options: VerifyChainOptions = {}): Promise<ChainReport> {
  const walker = new ChainWalker(options.anchors);
  const batchSize = options.batchSize ?? 2000;
  let afterId = 0;
  for (;;) {
    const batch = readBatch(db, afterId, batchSize);
    if (batch.length === 0) break;
    if (!batch.every((event) => walker.take(event))) break;
    afterId = batch[batch.length - 1]!.id;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return walker.finish();
}
