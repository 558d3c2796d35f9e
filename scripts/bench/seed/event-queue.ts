/**
 * Events waiting to be written, earliest first. Requests are made in the
 * order they arrived, but their later steps happen days afterwards, among
 * other requests' events: the log is written in the order things happened.
 *
 * A binary min-heap on (time, order added): adding and taking out cost a
 * few comparisons each, however many events are waiting. (One bucket per
 * day, sorted when taken from, sorted the day still running again for
 * every request that arrived in it: at a million requests, some 550 a day,
 * that was a sixth of the seeding.)
 */
import type { SeedEvent } from "./request-history";

/** `identityHash`: what the request is, committed to by its first event (lib/audit/request-identity.ts); null on the rest. */
export type QueuedEvent = SeedEvent & { requestId: number; seq: number; identityHash: string | null };

function earlier(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class EventQueue {
  private heap: QueuedEvent[] = [];
  private seq = 0;

  push(event: SeedEvent, requestId: number, identityHash: string | null = null): void {
    const queued: QueuedEvent = {
      at: event.at,
      actorType: event.actorType,
      actorEmail: event.actorEmail,
      action: event.action,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      note: event.note,
      after: event.after,
      requestId,
      seq: this.seq++,
      identityHash,
    };
    const heap = this.heap;
    let i = heap.length;
    heap.push(queued);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(queued, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = queued;
  }

  /** Takes out, earliest first, every event that happened at or before `at`. */
  *takeUntil(at: number): Generator<QueuedEvent> {
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!.at <= at) {
      const first = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) this.siftDown(last);
      yield first;
    }
  }

  /** Puts `moved` at the root's place and lets it sink to where it belongs. */
  private siftDown(moved: QueuedEvent): void {
    const heap = this.heap;
    const n = heap.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && earlier(heap[child + 1]!, heap[child]!)) child += 1;
      if (!earlier(heap[child]!, moved)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = moved;
  }
}
