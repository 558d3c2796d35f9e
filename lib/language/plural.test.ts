import { describe, expect, it } from "vitest";
import { countOf, pluralWord } from "./plural";

describe("counted words", () => {
  it.each([
    [0, "day", undefined, "0 days"],
    [1, "day", undefined, "1 day"],
    [2, "day", undefined, "2 days"],
    [1204, "request", undefined, "1,204 requests"],
    [1, "subscription", undefined, "1 subscription"],
    [3, "subscription", undefined, "3 subscriptions"],
    [1, "staff member", undefined, "1 staff member"],
    [2, "try", "tries", "2 tries"],
    [1, "try", "tries", "1 try"],
    [-1, "day", undefined, "-1 day"],
  ])("%i %s reads %j", (n, one, other, expected) => {
    expect(countOf(n, one, other)).toBe(expected);
  });

  it("chooses the word alone", () => {
    expect(pluralWord(1, "request is", "requests are")).toBe("request is");
    expect(pluralWord(5, "request is", "requests are")).toBe("requests are");
  });
});
