import { describe, expect, it } from "vitest";
import { chosenFigures, parseBenchOptions } from "./options";

const FIGURES = [{ name: "/staff first page" }, { name: "approving a burst of erasures in one bulk action" }, { name: "filing a request" }];

describe("the bench's options", () => {
  it.each<[string, Record<string, string>, { ok: boolean; only?: string | null; bulkErasures?: number; historyRequests?: number; importSupporters?: number; message?: string }]>([
    ["nothing set: every figure, at full size", {}, { ok: true, only: null, bulkErasures: 10_000, historyRequests: 10_000, importSupporters: 100_000 }],
    ["a longer short history", { BENCH_HISTORY_REQUESTS: "100_000" }, { ok: true, historyRequests: 100_000 }],
    ["a short history too short to hold a deep page", { BENCH_HISTORY_REQUESTS: "500" }, { ok: false, message: 'BENCH_HISTORY_REQUESTS must be a whole number from 10000 to 5000000, but it is "500".' }],
    ["a smaller import file", { BENCH_IMPORT_SUPPORTERS: "1_000" }, { ok: true, importSupporters: 1000 }],
    ["an import file too large", { BENCH_IMPORT_SUPPORTERS: "2000000" }, { ok: false, message: 'BENCH_IMPORT_SUPPORTERS must be a whole number from 100 to 1000000, but it is "2000000".' }],
    ["one figure, by a few words of its name", { BENCH_ONLY: " Bulk Action " }, { ok: true, only: "bulk action" }],
    ["a smaller burst", { BENCH_BULK_ERASURES: "200" }, { ok: true, bulkErasures: 200 }],
    ["a burst too small", { BENCH_BULK_ERASURES: "5" }, { ok: false, message: 'BENCH_BULK_ERASURES must be a whole number from 100 to 100000, but it is "5".' }],
    ["a name far too long", { BENCH_ONLY: "x".repeat(101) }, { ok: false, message: "BENCH_ONLY must be a few words of a figure's name, 100 characters at most." }],
  ])("%s", (_what, env, expected) => {
    const parsed = parseBenchOptions(env);
    expect(parsed.ok).toBe(expected.ok);
    if (parsed.ok) {
      if (expected.only !== undefined) expect(parsed.options.only).toBe(expected.only);
      if (expected.bulkErasures !== undefined) expect(parsed.options.bulkErasures).toBe(expected.bulkErasures);
      if (expected.historyRequests !== undefined) expect(parsed.options.historyRequests).toBe(expected.historyRequests);
      if (expected.importSupporters !== undefined) expect(parsed.options.importSupporters).toBe(expected.importSupporters);
    } else {
      expect(parsed.message).toBe(expected.message);
    }
  });

  it.each<[string | null, string[]]>([
    [null, ["/staff first page", "approving a burst of erasures in one bulk action", "filing a request"]],
    ["bulk", ["approving a burst of erasures in one bulk action"]],
    ["nothing like this", []],
  ])("BENCH_ONLY %j measures %j", (only, names) => {
    expect(chosenFigures(FIGURES, only).map((f) => f.name)).toEqual(names);
  });
});
