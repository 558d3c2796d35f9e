import { describe, expect, it } from "vitest";
import { EventQueue, type QueuedEvent } from "./event-queue";
import type { SeedEvent } from "./request-history";
import { seededRandom } from "./random";

const DAY = 86_400_000;

function event(at: number): SeedEvent {
  return { at, actorType: "system", actorEmail: null, action: "step", fromStatus: null, toStatus: null, note: null };
}

/**
 * Requests arriving in time order, each with steps from its arrival to weeks
 * later, the queue drained up to each arrival as the seeding does: what comes
 * out must be every event, ordered by time, ties in the order they were added.
 */
describe("the seeding's queue of events", () => {
  it.each([
    ["a few requests a day", 1, 400, 3],
    ["many requests on the same day", 2, 2000, 0.02],
    ["requests days apart", 3, 200, 9],
    ["steps at the very instant of arrival", 4, 500, 1],
  ])("%s", (_what, seed, requests, daysBetween) => {
    const random = seededRandom(seed);
    const queue = new EventQueue();
    const added: Array<{ at: number; requestId: number; seq: number }> = [];
    const out: QueuedEvent[] = [];
    let at = Date.UTC(2024, 0, 1);
    for (let id = 1; id <= requests; id++) {
      at += Math.floor(random.next() * daysBetween * DAY);
      const steps = [at, ...Array.from({ length: random.int(0, 4) }, () => at + (random.chance(0.2) ? 0 : random.int(0, 40 * DAY)))];
      for (const step of steps) {
        queue.push(event(step), id);
        added.push({ at: step, requestId: id, seq: added.length });
      }
      out.push(...queue.takeUntil(at));
      // Nothing later than the arrival is taken out yet.
      expect(out.every((e) => e.at <= at)).toBe(true);
    }
    out.push(...queue.takeUntil(Number.POSITIVE_INFINITY));
    const expected = [...added].sort((a, b) => a.at - b.at || a.seq - b.seq);
    expect(out.map((e) => [e.at, e.requestId, e.seq])).toEqual(expected.map((e) => [e.at, e.requestId, e.seq]));
    expect([...queue.takeUntil(Number.POSITIVE_INFINITY)]).toEqual([]);
  });
});
