import { describe, expect, it } from "vitest";
import { isoInstant } from "./iso-instant";

describe("isoInstant", () => {
  it.each([
    ["the epoch", 0],
    ["a millisecond before midnight", Date.UTC(2026, 2, 1) - 1],
    ["midnight", Date.UTC(2026, 2, 1)],
    ["a leap day", Date.UTC(2024, 1, 29, 13, 5, 9, 7)],
    ["a fraction of a millisecond, cut as Date cuts it", Date.UTC(2021, 11, 21, 17, 15, 10, 999) + 0.6],
    ["the last instant of year 9999", 253_402_300_799_999],
    ["past year 9999 (six-digit year)", 253_402_300_800_000],
    ["before 1970", -1],
    ["long before 1970", Date.UTC(-5, 0, 1)],
  ])("%s: as toISOString writes it", (_what, ms) => {
    expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
  });

  it("agrees with toISOString over years of instants", () => {
    for (let ms = Date.UTC(2019, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 7_777_777_777 / 997) {
      expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
