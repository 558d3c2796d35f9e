/**
 * What every figure of the bench is: a small module that measures one thing
 * and says whether it is within its budget. scripts/bench/figures/index.ts
 * lists them in the order they run.
 */
import type { BenchWorld } from "./seed/seed-database";
import type { Load, LoadSpec, LoadTiming } from "./load";

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

export type BenchContext = {
  baseUrl: string;
  databasePath: string;
  /** The server's settings, for commands run beside it with the same ones. */
  serverEnv: Record<string, string>;
  world: BenchWorld;
  timing: LoadTiming;
  load(spec: LoadSpec): Promise<Load>;
  /** The server's peak resident memory so far, in MB (the runner samples it throughout). */
  peakMemoryMb(): number;
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
