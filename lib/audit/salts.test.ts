import { describe, expect, it } from "vitest";
import { newSalt } from "./event-log";
import { newIdentitySalt } from "./request-identity";
import { randomSalt, SALT_BYTES, saltPoolFills } from "./salts";

describe("the record's salts", () => {
  it.each([
    ["an event's note (newSalt)", newSalt],
    ["a request's identity (newIdentitySalt)", newIdentitySalt],
    ["either, drawn directly (randomSalt)", randomSalt],
  ])("for %s: 16 random bytes in hex, never the same twice, cut from a pool filled 64 salts at a time", (_what, draw) => {
    const fillsBefore = saltPoolFills();
    const salts = Array.from({ length: 200 }, () => draw());
    for (const salt of salts) expect(salt).toMatch(new RegExp(`^[0-9a-f]{${SALT_BYTES * 2}}$`));
    expect(new Set(salts).size).toBe(salts.length);
    // 200 salts take three or four fills of 64, not one call to the generator each.
    const fills = saltPoolFills() - fillsBefore;
    expect(fills).toBeGreaterThanOrEqual(3);
    expect(fills).toBeLessThanOrEqual(4);
  });

  it("hands out each byte of a fill once: consecutive salts across a refill do not overlap", () => {
    const salts = Array.from({ length: 130 }, () => randomSalt());
    const joined = salts.join("");
    // No salt is a shifted copy of part of another (which a pool read from the wrong offset would give).
    for (let i = 1; i < salts.length; i++) expect(joined.indexOf(salts[i]!)).toBe(i * SALT_BYTES * 2);
  });
});
