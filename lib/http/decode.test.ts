import { describe, expect, it } from "vitest";
import { decodedOrEmpty } from "./decode";

describe("decodedOrEmpty", () => {
  it.each([
    ["RD-7K3Q-9XWM", "RD-7K3Q-9XWM"],
    ["RD-7K3Q%2D9XWM", "RD-7K3Q-9XWM"],
    ["%2Frequests%3Fa%3D1", "/requests?a=1"],
    ["%", ""],
    ["RD-%E0%A4%A", ""],
    ["100%", ""],
    ["", ""],
  ])("%j decodes to %j", (input, decoded) => {
    expect(decodedOrEmpty(input)).toBe(decoded);
  });
});
