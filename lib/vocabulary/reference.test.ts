import { describe, expect, it } from "vitest";
import { newReference, parseReference } from "./reference";

const FORMAT = /^RD-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

describe("newReference", () => {
  const references = Array.from({ length: 10_000 }, () => newReference());

  it("always has the RD-XXXX-XXXX shape in Crockford's alphabet", () => {
    for (const reference of references) expect(reference).toMatch(FORMAT);
  });

  it("never uses I, L, O or U", () => {
    for (const reference of references) expect(reference.slice(3)).not.toMatch(/[ILOU]/);
  });

  it("gives 10,000 different references in a row", () => {
    expect(new Set(references).size).toBe(references.length);
  });

  it("uses the whole alphabet, not just digits (it is random, not a counter)", () => {
    const seen = new Set(references.join("").replace(/[RD-]/g, ""));
    expect(seen.size).toBeGreaterThanOrEqual(30);
  });

  it("is always accepted by parseReference unchanged", () => {
    for (const reference of references.slice(0, 100)) expect(parseReference(reference)).toBe(reference);
  });
});

describe("parseReference", () => {
  it.each([
    ["RD-7K3Q-9XWM", "RD-7K3Q-9XWM"],
    ["rd-7k3q-9xwm", "RD-7K3Q-9XWM"],
    ["  Rd-7K3q-9xWm  ", "RD-7K3Q-9XWM"],
    ["\tRD-0000-ZZZZ\n", "RD-0000-ZZZZ"],
  ])("%j → %s", (input, expected) => {
    expect(parseReference(input)).toBe(expected);
  });

  it.each([
    ["", "empty"],
    ["   ", "blank"],
    ["42", "a row id"],
    ["1", "a row id"],
    ["RD-7K3Q-9XWM-ABCD", "too long"],
    ["RD-7K3Q-9XWMA", "too long"],
    ["RD-7K3Q-9XW", "too short"],
    ["RD-7K3Q9XWM", "missing a dash"],
    ["RD 7K3Q 9XWM", "spaces instead of dashes"],
    ["XX-7K3Q-9XWM", "wrong prefix"],
    ["7K3Q-9XWM", "no prefix"],
    ["RD-7K3I-9XWM", "contains I"],
    ["RD-7K3L-9XWM", "contains L"],
    ["RD-7K3O-9XWM", "contains O"],
    ["RD-7K3U-9XWM", "contains U"],
    ["RD-7K3Q-9XW!", "punctuation"],
    ["RD-7K3Q-9XWÉ", "a non-ASCII letter"],
    ["RD-7K3Q-9XWM\nRD-AAAA-BBBB", "two references"],
  ])("rejects %j (%s)", (input) => {
    expect(parseReference(input)).toBeNull();
  });
});
