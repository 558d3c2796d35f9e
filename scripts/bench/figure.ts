/**
 * What every figure of the bench is: a small module that measures one thing
 * and says whether it is within its budget. scripts/bench/figures/index.ts
 * lists them in the order they run.
 */
import type { BenchWorld } from "./seed/seed-database";
import { LATENCY_CONNECTIONS, type Load, type LoadSpec, type LoadTiming } from "./load";

export type Budget =
  /** The figure is a throughput divided by its baseline's, and must be at least this. */
  | { kind: "min_ratio"; limit: number }
  /** The figure must stay below this, in its unit. */
  | { kind: "below"; limit: number }
  | { kind: "at_most"; limit: number };

export type FigureResult = {
  name: string;
  value: number;
  unit: string;
  budget: Budget;
  passed: boolean;
  /** For comparisons: value / baseline. */
  ratio?: number;
  /** What else was measured along the way (baseline, p99 …), for results.json and the line. */
  detail?: Record<string, number | string>;
};

/** A server of its own on a database with a short history (10,000 requests), for the "flat with history" figures. */
export type HistoryServer = {
  requests: number;
  baseUrl: string;
  databasePath: string;
  world: BenchWorld;
};

export type BenchContext = {
  baseUrl: string;
  databasePath: string;
  /** The server's settings, for commands run beside it with the same ones. */
  serverEnv: Record<string, string>;
  world: BenchWorld;
  timing: LoadTiming;
  /** The same route at LATENCY_CONNECTIONS, for its p99. */
  latency(spec: LoadSpec): Promise<Load>;
  /**
   * Routes compared with each other, on this server (`on: "full"`) or the
   * short history's, measured in alternating rounds (load.ts, measureRounds);
   * the loads come back in the order asked.
   */
  compare<T extends ReadonlyArray<{ on: "full" | "short"; spec: LoadSpec }>>(entries: readonly [...T]): Promise<{ [K in keyof T]: Load }>;
  /** The same build on the short history, idle while the main server is loaded and the other way round. */
  history: HistoryServer;
  /** How many requests the main database holds. */
  requests: number;
  /** The server's peak resident memory so far, in MB (the runner samples it throughout). */
  peakMemoryMb(): number;
  /** The figure being measured when the server's memory peaked ("starting": before the first). */
  peakMemoryDuring(): string | null;
};

export type Figure = { name: string; measure(ctx: BenchContext): Promise<FigureResult | FigureResult[]> };

export function withinBudget(value: number, budget: Budget): boolean {
  switch (budget.kind) {
    case "min_ratio":
      return value >= budget.limit;
    case "below":
      return value < budget.limit;
    case "at_most":
      return value <= budget.limit;
  }
}

export function describeBudget(budget: Budget, unit: string): string {
  switch (budget.kind) {
    case "min_ratio":
      return `at least ${budget.limit} of its baseline`;
    case "below":
      return `under ${budget.limit} ${unit}`;
    case "at_most":
      return `at most ${budget.limit} ${unit}`;
  }
}

/** A throughput compared with a baseline measured back to back in the same server. */
export function ratioFigure(name: string, subject: Load, baseline: Load, limit: number): FigureResult {
  const ratio = subject.requestsPerSecond / baseline.requestsPerSecond;
  const budget: Budget = { kind: "min_ratio", limit };
  return {
    name,
    value: subject.requestsPerSecond,
    unit: "req/s",
    ratio,
    budget,
    passed: withinBudget(ratio, budget),
    detail: { baseline: baseline.label, baselineRequestsPerSecond: baseline.requestsPerSecond, p99Ms: subject.p99Ms, requests: subject.requests },
  };
}

export const FLAT_LIMIT = 0.9;

function historySize(n: number): string {
  return n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

/**
 * Flat with history: a route's throughput on the full database against the
 * same route's on the short history, measured back to back by the caller.
 */
export function flatFigure(name: string, full: Load, short: Load, sizes: { full: number; short: number }): FigureResult {
  const ratio = full.requestsPerSecond / short.requestsPerSecond;
  const budget: Budget = { kind: "min_ratio", limit: FLAT_LIMIT };
  return {
    name: `${name}, at ${historySize(sizes.full)} against ${historySize(sizes.short)}`,
    value: full.requestsPerSecond,
    unit: "req/s",
    ratio,
    budget,
    passed: withinBudget(ratio, budget),
    detail: {
      baseline: `itself on ${historySize(sizes.short)} requests`,
      baselineRequestsPerSecond: short.requestsPerSecond,
      p99Ms: full.p99Ms,
      shortP99Ms: short.p99Ms,
    },
  };
}

/**
 * A p99 held under its budget: measured at LATENCY_CONNECTIONS (`latency`),
 * with the same route's p99 at 10 connections (`saturated`, from its
 * throughput run) kept beside it.
 */
export function p99Figure(name: string, latency: Load, saturated: Load, limit: number, detail: Record<string, string | number> = {}): FigureResult {
  const budget: Budget = { kind: "below", limit };
  return {
    name: `${name}, p99`,
    value: latency.p99Ms,
    unit: "ms",
    budget,
    passed: withinBudget(latency.p99Ms, budget),
    detail: { ...detail, connections: LATENCY_CONNECTIONS, p50Ms: latency.p50Ms, requestsPerSecond: latency.requestsPerSecond, p99MsAt10Connections: saturated.p99Ms },
  };
}
