import { describe, expect, it } from "vitest";
import { ownValue } from "./own-value";

const NOTICES: Record<string, string> = { confirmed: "Sent.", "draft-expired": "Too late." };

describe("ownValue", () => {
  it.each([
    ["confirmed", "Sent."],
    ["draft-expired", "Too late."],
    ["constructor", undefined],
    ["__proto__", undefined],
    ["toString", undefined],
    ["", undefined],
    [undefined, undefined],
    [null, undefined],
  ])("%j finds %j", (key, found) => {
    expect(ownValue(NOTICES, key)).toBe(found);
  });
});
