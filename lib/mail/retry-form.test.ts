import { describe, expect, it } from "vitest";
import { parseRetryTarget } from "./retry-form";

describe("parseRetryTarget", () => {
  it.each<[Record<string, string>, ReturnType<typeof parseRetryTarget>]>([
    [{ message: "all" }, { ok: true, value: { ids: "all" } }],
    [{ message: "42" }, { ok: true, value: { ids: [42] } }],
    [{ message: " 7 " }, { ok: true, value: { ids: [7] } }],
    [{}, { ok: false, fieldErrors: { message: "Choose a message to retry." } }],
    [{ message: "0" }, { ok: false, fieldErrors: { message: "Choose a message to retry." } }],
    [{ message: "-1" }, { ok: false, fieldErrors: { message: "Choose a message to retry." } }],
    [{ message: "1.5" }, { ok: false, fieldErrors: { message: "Choose a message to retry." } }],
    [{ message: "1 or 1=1" }, { ok: false, fieldErrors: { message: "Choose a message to retry." } }],
    [{ message: "99999999999999999999" }, { ok: false, fieldErrors: { message: "Choose a message to retry." } }],
  ])("%j reads as %j", (input, expected) => {
    expect(parseRetryTarget(input)).toEqual(expected);
  });
});
