/**
 * Load on one route with autocannon: 10 connections, a short warm-up whose
 * numbers are thrown away, then the measured run. Throughput is measured at
 * 10 connections, more than the server can answer at once, so it is the
 * most it can do; the p99 figures are measured at LATENCY_CONNECTIONS, what
 * a person waits for while someone else is also using the portal (at 10
 * connections a p99 is mostly the queue of the nine requests ahead).
 */
import autocannon, { type Instance, type RawRequest, type Result } from "autocannon";

export const CONNECTIONS = 10;
/** Two people loading pages back to back, one per core of the bench machine. */
export const LATENCY_CONNECTIONS = 2;

export type LoadSpec = {
  /** What the line says, e.g. "the trivial page". */
  label: string;
  path: string;
  cookie?: string;
  /** Other headers every request carries (an API key). */
  headers?: Record<string, string>;
  /** A different request for every one sent, where one must not repeat (filing): its path, cookie and, for a form, its body. */
  nextRequest?: () => NextRequest;
  /** The one status every answer must have. */
  status: number;
  /** How many requests are in flight at once; CONNECTIONS unless said. */
  connections?: number;
};

export type NextRequest = { path: string; cookie: string; form?: { body: string; origin: string } };

export type Load = { label: string; requestsPerSecond: number; p50Ms: number; p99Ms: number; requests: number };

export type LoadTiming = { warmupSeconds: number; seconds: number };

function setUp(request: RawRequest, next: NextRequest): RawRequest {
  const headers = { ...request.headers, cookie: next.cookie };
  if (!next.form) return { ...request, path: next.path, headers };
  return {
    ...request,
    method: "POST",
    path: next.path,
    body: next.form.body,
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", origin: next.form.origin },
  };
}

/** One run of load: autocannon's result, and the moments its answers arrived (ms on performance.now's clock). */
type Run = { result: Result; startedMs: number; seconds: number; arrivalsMs: number[] };

function fire(baseUrl: string, spec: LoadSpec, seconds: number): Instance {
  const headers: Record<string, string> = { ...spec.headers, ...(spec.cookie ? { cookie: spec.cookie } : {}) };
  return autocannon({
    url: `${baseUrl}${spec.path}`,
    connections: spec.connections ?? CONNECTIONS,
    duration: seconds,
    headers,
    ...(spec.nextRequest ? { requests: [{ setupRequest: (request) => setUp(request, spec.nextRequest!()) }] } : {}),
  });
}

/** A run of whole seconds (autocannon ends a run at its first tick after the time, so 1.5 s would run for 2), its answers timed. */
async function timedRun(baseUrl: string, spec: LoadSpec, seconds: number): Promise<Run> {
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`A run of load lasts whole seconds, not ${seconds}.`);
  const arrivalsMs: number[] = [];
  const startedMs = performance.now();
  const instance = fire(baseUrl, spec, seconds);
  instance.on("response", () => arrivalsMs.push(performance.now()));
  return { result: await instance, startedMs, seconds, arrivalsMs };
}

/** The part of a run counted for throughput: from `leadMs` after its start to its end. */
export type SteadyPart = { answers: number; seconds: number };

/**
 * The answers of a run's steady part. A run opens with every connection
 * sending at once and no answer yet, and ends with the answer the server was
 * working on cut off (the others in flight had only waited): counted whole, a
 * run loses about an answer's time at each end, a larger share of a slow
 * route's round than of its faster floor's (5 % of a second's round of a
 * 50-a-second route, load.test.ts). Counting only what arrives from a lead
 * after the start to the end, when every connection is waiting in the
 * server's queue, counts what the server answers in that time, whatever the
 * route's speed.
 */
export function steadyPart(run: { startedMs: number; seconds: number; arrivalsMs: readonly number[] }, leadMs: number): SteadyPart {
  const from = run.startedMs + leadMs;
  const to = run.startedMs + run.seconds * 1000;
  if (leadMs < 0 || from >= to) throw new Error(`A lead of ${leadMs} ms leaves nothing of a ${run.seconds} s run to count.`);
  let answers = 0;
  for (const at of run.arrivalsMs) if (at >= from && at < to) answers++;
  return { answers, seconds: (to - from) / 1000 };
}

/**
 * How long after a round's start its answers begin to count: twice a round
 * trip at the warm-up's median (by then every connection has had an answer
 * and is waiting again), a tenth of a second at the least and half the round
 * at the most.
 */
export function leadFor(warmUpMedianMs: number, roundSeconds: number): number {
  return Math.min(roundSeconds * 500, Math.max(MIN_LEAD_MS, 2 * warmUpMedianMs));
}

const MIN_LEAD_MS = 100;

function loadOf(spec: LoadSpec, result: Result): Load {
  checkStatuses(spec, result);
  return { label: spec.label, requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, requests: result.requests.total };
}

function checkStatuses(spec: LoadSpec, result: Result): void {
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stat]) => [code, Number(stat.count)]));
  const wrong = Object.entries(statuses).filter(([code]) => Number(code) !== spec.status);
  if (result.errors > 0 || wrong.length > 0) {
    throw new Error(`${spec.label} (${spec.path}) did not answer ${spec.status} every time: ${JSON.stringify(statuses)}, ${result.errors} errors.`);
  }
}

/** One route alone (for its p99): warmed up, then loaded for the whole time, its throughput counted as a round's is. */
export async function measureLoad(baseUrl: string, spec: LoadSpec, timing: LoadTiming): Promise<Load> {
  const warmUp = await fire(baseUrl, spec, timing.warmupSeconds);
  const run = await timedRun(baseUrl, spec, timing.seconds);
  return combined(spec, [run], leadFor(warmUp.latency.p50, timing.seconds));
}

/** A route on one of the bench's servers. */
export type RoundEntry = { baseUrl: string; spec: LoadSpec };

/** A route's rounds as one load: the steady parts' answers over their time; the p50 the rounds' mean, the p99 the worst. */
function combined(spec: LoadSpec, runs: Run[], leadMs: number): Load {
  for (const run of runs) checkStatuses(spec, run.result);
  const parts = runs.map((run) => steadyPart(run, leadMs));
  const answers = parts.reduce((sum, part) => sum + part.answers, 0);
  const seconds = parts.reduce((sum, part) => sum + part.seconds, 0);
  return {
    label: spec.label,
    requestsPerSecond: answers / seconds,
    p50Ms: runs.reduce((sum, run) => sum + run.result.latency.p50, 0) / runs.length,
    // The worse of the rounds: a p99 cannot be averaged.
    p99Ms: Math.max(...runs.map((run) => run.result.latency.p99)),
    requests: answers,
  };
}

/**
 * How a comparison of `seconds` a side is cut: into rounds of ROUND_SECONDS.
 * On a 20,000-request database, six comparisons each of the reports page
 * with the trivial page and of the API with the empty route, the schemes
 * taking turns: rounds of 3 s gave ratios with a standard deviation of
 * 0.07 and 0.04, of 2 s 0.08 and 0.05, of 1 s 0.03 and 0.03, with the same
 * means within their spread.
 */
export function roundsFor(seconds: number): { rounds: number; seconds: number } {
  return { rounds: Math.max(1, Math.floor(seconds / ROUND_SECONDS)), seconds: ROUND_SECONDS };
}

const ROUND_SECONDS = 1;

/**
 * Several routes compared with each other: each warmed up, then measured in
 * rounds, in turn (A B C A B C ...), so a machine that slows or speeds up
 * during the comparison weighs on every side alike. On a shared virtual
 * machine the same route's throughput moved by a fifth from one minute to the
 * next; measured one after the other, that drift fell wholly on one side of a
 * ratio. Each round's throughput is its steady part's (`steadyPart`).
 */
export async function measureRounds(entries: RoundEntry[], timing: LoadTiming): Promise<Load[]> {
  const cut = roundsFor(timing.seconds);
  const leads: number[] = [];
  for (const { baseUrl, spec } of entries) {
    const warmUp = await fire(baseUrl, spec, timing.warmupSeconds);
    leads.push(leadFor(warmUp.latency.p50, cut.seconds));
  }
  const runs: Run[][] = entries.map(() => []);
  for (let round = 0; round < cut.rounds; round++) {
    for (const [i, { baseUrl, spec }] of entries.entries()) runs[i]!.push(await timedRun(baseUrl, spec, cut.seconds));
  }
  return entries.map(({ spec }, i) => combined(spec, runs[i]!, leads[i]!));
}

/** Load on one route from now until `done` settles (at most an hour): its p99 covers every request of that time. */
export async function measureLoadUntil(baseUrl: string, spec: LoadSpec, done: Promise<unknown>): Promise<Load> {
  const run = fire(baseUrl, spec, 3600);
  await done.catch(() => undefined);
  run.stop();
  return loadOf(spec, await run);
}
