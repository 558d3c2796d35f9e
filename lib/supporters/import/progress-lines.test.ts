import { describe, expect, it } from "vitest";
import type { ImportProgress } from "./import-records";
import { progressLines } from "./progress-lines";

type Report = [at: number, phase: ImportProgress["phase"], done: number, total: number];

describe("progressLines", () => {
  const cases: Array<{ name: string; reports: Report[]; printed: number[] }> = [
    { name: "the first report of a phase, whenever it comes", reports: [[5, "checking", 1000, 9000]], printed: [0] },
    {
      name: "then nothing until a second has passed since the last line",
      reports: [
        [0, "checking", 1000, 9000],
        [400, "checking", 2000, 9000],
        [999, "checking", 3000, 9000],
        [1000, "checking", 4000, 9000],
        [1500, "checking", 5000, 9000],
        [2100, "checking", 6000, 9000],
      ],
      printed: [0, 3, 5],
    },
    {
      name: "the last report of each phase always, and the first of the next",
      reports: [
        [0, "checking", 1000, 2500],
        [10, "checking", 2000, 2500],
        [20, "checking", 2500, 2500],
        [30, "writing", 1000, 2500],
        [40, "writing", 2000, 2500],
        [50, "writing", 2500, 2500],
      ],
      printed: [0, 2, 3, 5],
    },
    {
      name: "a small file: every report is the first or the last of its phase",
      reports: [
        [0, "checking", 2, 2],
        [1, "writing", 2, 2],
      ],
      printed: [0, 1],
    },
  ];
  it.each(cases)("$name", ({ reports, printed }) => {
    let now = 0;
    const lines: ImportProgress[] = [];
    const report = progressLines((p) => lines.push(p), () => now);
    for (const [at, phase, done, total] of reports) {
      now = at;
      report({ phase, done, total });
    }
    expect(lines).toEqual(printed.map((i) => ({ phase: reports[i]![1], done: reports[i]![2], total: reports[i]![3] })));
  });
});
