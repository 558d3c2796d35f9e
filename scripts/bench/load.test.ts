import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leadFor, measureRounds, roundsFor, steadyPart } from "./load";

describe("a run's steady part: the answers from the lead to the end", () => {
  // A run started at 1,000 ms for 2 s, so it ends at 3,000 ms.
  const run = (arrivalsMs: number[]) => ({ startedMs: 1000, seconds: 2, arrivalsMs });
  it.each([
    { case: "none arrived", arrivals: [], lead: 100, answers: 0, seconds: 1.9 },
    { case: "the ramp before the lead is left out", arrivals: [1010, 1050, 1099, 1100, 1500], lead: 100, answers: 2, seconds: 1.9 },
    { case: "an answer at the very end is the next run's", arrivals: [2999, 3000, 3001], lead: 100, answers: 1, seconds: 1.9 },
    { case: "a longer lead, a shorter part", arrivals: [1200, 1400, 1600, 2000], lead: 500, answers: 2, seconds: 1.5 },
    { case: "no lead counts from the start", arrivals: [1000, 1001], lead: 0, answers: 2, seconds: 2 },
  ])("$case", ({ arrivals, lead, answers, seconds }) => {
    expect(steadyPart(run(arrivals), lead)).toEqual({ answers, seconds });
  });

  it.each([-1, 2000, 2500])("a lead of %s ms leaves nothing sensible to count, and says so", (lead) => {
    expect(() => steadyPart(run([]), lead)).toThrow(`A lead of ${lead} ms leaves nothing of a 2 s run to count.`);
  });
});

describe("the lead: twice the warm-up's median round trip, from a tenth of a second to half the round", () => {
  it.each([
    [3, 2, 100],
    [50, 2, 100],
    [80, 2, 160],
    [200, 2, 400],
    [700, 2, 1000],
    [700, 1, 500],
  ])("median %s ms, rounds of %s s: %s ms", (median, roundSeconds, lead) => {
    expect(leadFor(median, roundSeconds)).toBe(lead);
  });
});

describe("a comparison is cut into rounds of a second", () => {
  it.each([
    [1, 1, 1],
    [2, 2, 1],
    [6, 6, 1],
    [120, 120, 1],
  ])("%s s a side: %s rounds of %s s", (seconds, rounds, each) => {
    expect(roundsFor(seconds)).toEqual({ rounds, seconds: each });
  });
});

/**
 * A server that answers one request at a time, like the portal's one thread:
 * `/fast` holds each for 4 ms, `/slow` for 20 ms. It notes when it finished
 * each, so what it could do on each route is known: the time from one answer
 * to the next of the same route while there were more waiting.
 */
function oneAtATimeServer() {
  const finished: Record<string, number[]> = { "/fast": [], "/slow": [] };
  const queue: Array<() => void> = [];
  let busy = false;
  const next = () => {
    const job = queue.shift();
    busy = job !== undefined;
    job?.();
  };
  const server = http.createServer((req, res) => {
    const route = req.url === "/slow" ? "/slow" : "/fast";
    queue.push(() =>
      setTimeout(() => {
        res.statusCode = 204;
        res.end();
        if (queue.length > 0) finished[route]!.push(performance.now());
        else finished[route]!.push(Number.NaN);
        next();
      }, route === "/slow" ? 20 : 4),
    );
    if (!busy) next();
  });
  /** Answers a second on the route: from the gaps between answers given with others waiting (gaps across rounds left out). */
  const rate = (route: string) => {
    const at = finished[route]!;
    const gaps: number[] = [];
    for (let i = 1; i < at.length; i++) if (!Number.isNaN(at[i - 1]!) && !Number.isNaN(at[i]!) && at[i]! - at[i - 1]! < 100) gaps.push(at[i]! - at[i - 1]!);
    return 1000 / (gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length);
  };
  return { server, rate };
}

describe("measured in rounds, each route's throughput is what the server did, not cut short at each round's ends", () => {
  const { server, rate } = oneAtATimeServer();
  let baseUrl = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("counts each route's answers in its steady part", async () => {
    const [fast, slow] = await measureRounds(
      [
        { baseUrl, spec: { label: "fast", path: "/fast", status: 204 } },
        { baseUrl, spec: { label: "slow", path: "/slow", status: 204 } },
      ],
      { warmupSeconds: 1, seconds: 4 },
    );
    // Counted whole (from the start to the end of each round of a second), the slow route came out at 0.95 of what
    // the server did, the fast one at 0.81: a round's last answers, and the time to the first, are cut off. In the
    // steady part, 0.99-1.01 and 0.90 (the fast route's pace is also the load's own turnaround, in this process).
    expect(slow!.requestsPerSecond / rate("/slow")).toBeGreaterThan(0.975);
    expect(slow!.requestsPerSecond / rate("/slow")).toBeLessThan(1.05);
    expect(fast!.requestsPerSecond / rate("/fast")).toBeGreaterThan(0.85);
    expect(fast!.requestsPerSecond / rate("/fast")).toBeLessThan(1.04);
  }, 20_000);
});
