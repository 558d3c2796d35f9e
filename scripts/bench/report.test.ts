import { describe, expect, it } from "vitest";
import type { FigureResult } from "./figure";
import { figureLine, summaryLine } from "./report";

const rate: FigureResult = {
  name: "GET /api/v1/requests first page",
  value: 312,
  unit: "req/s",
  budget: { kind: "min_ratio", limit: 0.6 },
  passed: true,
  ratio: 0.61,
  detail: { baseline: "the empty route handler", baselineRequestsPerSecond: 510 },
};
const floorTimed: FigureResult = {
  name: "connected PostgreSQL: the erasure, committed",
  value: 26.3,
  unit: "ms",
  budget: { kind: "below", limit: 500 },
  passed: true,
  ratio: 4.11,
  detail: { floorMs: 6.4 },
};
const wholeJob: FigureResult = {
  name: "importing a 1,000,000-row CSV",
  value: 60000,
  unit: "rows/s",
  budget: { kind: "min_ratio", limit: 0.25 },
  passed: true,
  ratio: 0.26,
  detail: { baseline: "sqlite3's .import", baselineRequestsPerSecond: 230000, baselineUnit: "rows/s", seconds: 16.7, baselineSeconds: 4.35 },
};
const latency: FigureResult = {
  name: "/staff first page, p99",
  value: 41,
  unit: "ms",
  budget: { kind: "below", limit: 150 },
  passed: true,
  detail: { connections: 2, p50Ms: 19, requestsPerSecond: 96, p99MsAt10Connections: 233 },
};
const flat: FigureResult = {
  name: "/staff first page, at 1M against 10k",
  value: 88,
  unit: "req/s",
  budget: { kind: "min_ratio", limit: 0.9 },
  passed: true,
  ratio: 0.97,
  detail: { baseline: "itself on 10k requests", baselineRequestsPerSecond: 90.7 },
};
const plain: FigureResult = { name: "SQL statements per queue page", value: 5, unit: "statements", budget: { kind: "at_most", limit: 4 }, passed: false };

describe("figureLine", () => {
  it.each([
    [rate, "GET /api/v1/requests first page: 312 req/s, 0.61 of the empty route handler (510 req/s); budget at least 0.6: passed"],
    [floorTimed, "connected PostgreSQL: the erasure, committed: 26.3 ms, 4.11 of its floor (6.40 ms); budget under 500 ms: passed"],
    [wholeJob, "importing a 1,000,000-row CSV: 60000 rows/s, 0.26 of sqlite3's .import (230000 rows/s, 16.7 s against 4.35 s); budget at least 0.25: passed"],
    [latency, "/staff first page, p99: 41.0 ms at 2 connections (233 ms at 10); budget under 150 ms: passed"],
    [flat, "/staff first page, at 1M against 10k: 88.0 req/s, 0.97 of itself on 10k requests (90.7 req/s); budget at least 0.9: passed"],
    [plain, "SQL statements per queue page: 5.00 statements; budget at most 4 statements: FAILED"],
  ])("prints both sides and the budget in its own terms (%#)", (figure, line) => {
    expect(figureLine(figure)).toBe(line);
  });

  it("counts passes and failures last", () => {
    expect(summaryLine([rate, floorTimed, plain])).toBe("2 passed, 1 failed");
  });
});
