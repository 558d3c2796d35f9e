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

function loadOf(spec: LoadSpec, result: Result): Load {
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stat]) => [code, Number(stat.count)]));
  const wrong = Object.entries(statuses).filter(([code]) => Number(code) !== spec.status);
  if (result.errors > 0 || wrong.length > 0) {
    throw new Error(`${spec.label} (${spec.path}) did not answer ${spec.status} every time: ${JSON.stringify(statuses)}, ${result.errors} errors.`);
  }
  return { label: spec.label, requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, requests: result.requests.total };
}

export async function measureLoad(baseUrl: string, spec: LoadSpec, timing: LoadTiming): Promise<Load> {
  await fire(baseUrl, spec, timing.warmupSeconds);
  return loadOf(spec, await fire(baseUrl, spec, timing.seconds));
}

/** A route on one of the bench's servers. */
export type RoundEntry = { baseUrl: string; spec: LoadSpec };

function combined(spec: LoadSpec, results: Result[], seconds: number): Load {
  const loads = results.map((result) => loadOf(spec, result));
  const requests = loads.reduce((sum, load) => sum + load.requests, 0);
  return {
    label: spec.label,
    requestsPerSecond: requests / (seconds * loads.length),
    p50Ms: loads.reduce((sum, load) => sum + load.p50Ms, 0) / loads.length,
    // The worse of the rounds: a p99 cannot be averaged.
    p99Ms: Math.max(...loads.map((load) => load.p99Ms)),
    requests,
  };
}

/**
 * Several routes compared with each other: each warmed up, then measured in
 * two rounds of half the time each, in turn (A B C A B C), so a machine that
 * slows or speeds up during the comparison weighs on every side alike. On a
 * shared virtual machine the same route's throughput moved by a fifth from
 * one minute to the next; measured one after the other, that drift fell
 * wholly on one side of a ratio.
 */
export async function measureRounds(entries: RoundEntry[], timing: LoadTiming): Promise<Load[]> {
  for (const { baseUrl, spec } of entries) await fire(baseUrl, spec, timing.warmupSeconds);
  const half = timing.seconds / 2;
  const results: Result[][] = entries.map(() => []);
  for (let round = 0; round < 2; round++) {
    for (const [i, { baseUrl, spec }] of entries.entries()) results[i]!.push(await fire(baseUrl, spec, half));
  }
  return entries.map(({ spec }, i) => combined(spec, results[i]!, half));
}

/** Load on one route from now until `done` settles (at most an hour): its p99 covers every request of that time. */
export async function measureLoadUntil(baseUrl: string, spec: LoadSpec, done: Promise<unknown>): Promise<Load> {
  const run = fire(baseUrl, spec, 3600);
  await done.catch(() => undefined);
  run.stop();
  return loadOf(spec, await run);
}
