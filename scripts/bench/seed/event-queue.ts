/**
 * Events waiting to be written, earliest first. Requests are made in the
 * order they arrived, but their later steps happen days afterwards, among
 * other requests' events: the log is written in the order things happened.
 *
 * Kept in one bucket per day: adding an event appends it to its day, and a
 * day is sorted once, when the first event after it is asked for. Requests
 * arrive in time order, so what is taken out is always whole days before
 * the one being seeded, plus the start of that day.
 */
import type { SeedEvent } from "./request-history";

/** `identityHash`: what the request is, committed to by its first event (lib/audit/request-identity.ts); null on the rest. */
export type QueuedEvent = SeedEvent & { requestId: number; seq: number; identityHash: string | null };

const DAY_MS = 86_400_000;

function earlier(a: QueuedEvent, b: QueuedEvent): number {
  return a.at - b.at || a.seq - b.seq;
}

export class EventQueue {
  private days = new Map<number, QueuedEvent[]>();
  /** The earliest day that may still hold events. */
  private firstDay = Number.POSITIVE_INFINITY;
  private seq = 0;

  push(event: SeedEvent, requestId: number, identityHash: string | null = null): void {
    const day = Math.floor(event.at / DAY_MS);
    const queued = { ...event, requestId, seq: this.seq++, identityHash };
    const bucket = this.days.get(day);
    if (bucket) bucket.push(queued);
    else this.days.set(day, [queued]);
    if (day < this.firstDay) this.firstDay = day;
  }

  /** Takes out, earliest first, every event that happened at or before `at`. */
  *takeUntil(at: number): Generator<QueuedEvent> {
    const lastDay = at === Number.POSITIVE_INFINITY ? Math.max(-Infinity, ...this.days.keys()) : Math.floor(at / DAY_MS);
    for (let day = this.firstDay; day <= lastDay; day++) {
      const bucket = this.days.get(day);
      if (!bucket) continue;
      bucket.sort(earlier);
      if (day < lastDay || bucket[bucket.length - 1]!.at <= at) {
        this.days.delete(day);
        yield* bucket;
        continue;
      }
      // The day still running: its events up to `at`, the rest kept for later.
      let taken = 0;
      while (taken < bucket.length && bucket[taken]!.at <= at) taken++;
      const due = bucket.splice(0, taken);
      this.firstDay = day;
      yield* due;
      return;
    }
    this.firstDay = this.days.size === 0 ? Number.POSITIVE_INFINITY : lastDay + 1;
  }
}
