import { describe, expect, it } from "vitest";
import { decodedOrEmpty, strictUtf8 } from "./decode";

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

describe("strictUtf8", () => {
  const bytes = (...b: number[]) => new Uint8Array(b);
  it.each<[string, Uint8Array, { keepBom?: boolean }, string | null]>([
    ["plain ASCII", bytes(0x61, 0x62), {}, "ab"],
    ["two-byte and three-byte characters", bytes(0x5a, 0x6f, 0xc3, 0xab, 0xe2, 0x82, 0xac), {}, "Zoë€"],
    ["a byte-order mark, dropped", bytes(0xef, 0xbb, 0xbf, 0x61), {}, "a"],
    ["a byte-order mark, kept when asked", bytes(0xef, 0xbb, 0xbf, 0x61), { keepBom: true }, "\ufeffa"],
    ["bytes no UTF-8 text has", bytes(0x61, 0xff, 0xfe), {}, null],
    ["a character cut short", bytes(0x61, 0xc3), {}, null],
    ["an encoded surrogate", bytes(0xed, 0xa0, 0x80), {}, null],
    ["an overlong encoding of '/'", bytes(0xc0, 0xaf), {}, null],
    ["nothing", bytes(), {}, ""],
  ])("%s", (_what, input, options, expected) => {
    expect(strictUtf8(input, options)).toBe(expected);
  });
});
