import { describe, expect, it } from "vitest";
import { whenToTryAgain } from "./wording";

describe("whenToTryAgain", () => {
  it.each([
    [0, "in a minute"],
    [1_000, "in a minute"],
    [60_000, "in a minute"],
    [60_001, "in 2 minutes"],
    [42 * 60_000, "in 42 minutes"],
    [59 * 60_000 + 1, "in an hour"],
    [60 * 60_000, "in an hour"],
    [61 * 60_000, "in 2 hours"],
    [23.5 * 60 * 60_000, "in 24 hours"],
  ])("%i ms → %s (rounded up, so trying then works)", (ms, words) => {
    expect(whenToTryAgain(ms)).toBe(words);
  });
});
