/** The bench's output: a line per figure, the closing count, and data/bench/results.json. */
import fs from "node:fs";
import path from "node:path";
import { describeBudget, type FigureResult } from "./figure";
import type { Machine } from "./machine";

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function figureLine(f: FigureResult): string {
  const verdict = f.passed ? "passed" : "FAILED";
  const value = `${round(f.value)} ${f.unit}`;
  // A p99 at a few connections, with the same route's p99 at 10 connections beside it.
  if (f.ratio === undefined && f.detail?.p99MsAt10Connections !== undefined) {
    return `${f.name}: ${value} at ${String(f.detail.connections)} connections (${round(Number(f.detail.p99MsAt10Connections))} ms at 10); budget ${describeBudget(f.budget, f.unit)}: ${verdict}`;
  }
  if (f.ratio === undefined) return `${f.name}: ${value}; budget ${describeBudget(f.budget, f.unit)}: ${verdict}`;
  // A time compared with a floor timed in the same run (the connected CRM's figures): the budget is the time's.
  if (f.detail?.floorMs !== undefined) {
    return `${f.name}: ${value}, ${f.ratio.toFixed(2)} of its floor (${round(Number(f.detail.floorMs))} ms); budget ${describeBudget(f.budget, f.unit)}: ${verdict}`;
  }
  const baseline = f.detail?.baseline ?? "its baseline";
  const baselineRate = Number(f.detail?.baselineRequestsPerSecond ?? 0);
  const baselineUnit = f.detail?.baselineUnit ?? "req/s";
  // A whole job timed against its floor (the import, the CSV download): both times too.
  const times = f.detail?.seconds !== undefined && f.detail?.baselineSeconds !== undefined ? `, ${round(Number(f.detail.seconds))} s against ${round(Number(f.detail.baselineSeconds))} s` : "";
  return `${f.name}: ${value}, ${f.ratio.toFixed(2)} of ${baseline} (${round(baselineRate)} ${baselineUnit}${times}); budget at least ${f.budget.limit}: ${verdict}`;
}

export function summaryLine(figures: FigureResult[]): string {
  const passed = figures.filter((f) => f.passed).length;
  return `${passed} passed, ${figures.length - passed} failed`;
}

export type Results = {
  startedAt: string;
  finishedAt: string;
  seconds: Record<string, number>;
  machine: Machine;
  size: Record<string, number>;
  figures: FigureResult[];
  passed: number;
  failed: number;
};

export function writeResults(file: string, results: Results): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
}
