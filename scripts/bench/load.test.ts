import { describe, expect, it } from "vitest";
import { roundsFor } from "./load";

describe("a comparison is cut into rounds of a second or more, six at the most", () => {
  it.each([
    [1, 1],
    [2, 2],
    [5.5, 5],
    [6, 6],
    [10, 6],
    [120, 6],
  ])("%s s a side: %s rounds", (seconds, rounds) => {
    expect(roundsFor(seconds)).toBe(rounds);
    expect(seconds / roundsFor(seconds)).toBeGreaterThanOrEqual(1);
  });
});
