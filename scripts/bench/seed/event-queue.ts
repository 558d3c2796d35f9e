/**
 * Events waiting to be written, earliest first. Requests are made in the
 * order they arrived, but their later steps happen days afterwards, among
 * other requests' events: the log is written in the order things happened.
 */
import type { SeedEvent } from "./request-history";

export type QueuedEvent = SeedEvent & { requestId: number; seq: number };

export class EventQueue {
  private heap: QueuedEvent[] = [];
  private seq = 0;

  push(event: SeedEvent, requestId: number): void {
    this.heap.push({ ...event, requestId, seq: this.seq++ });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Takes out, earliest first, every event that happened at or before `at`. */
  *takeUntil(at: number): Generator<QueuedEvent> {
    while (this.heap.length > 0 && this.heap[0]!.at <= at) yield this.pop();
  }

  private pop(): QueuedEvent {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let first = i;
        if (left < this.heap.length && this.before(left, first)) first = left;
        if (right < this.heap.length && this.before(right, first)) first = right;
        if (first === i) break;
        this.swap(i, first);
        i = first;
      }
    }
    return top;
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const t = this.heap[a]!;
    this.heap[a] = this.heap[b]!;
    this.heap[b] = t;
  }
}
