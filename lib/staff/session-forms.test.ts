import { describe, expect, it } from "vitest";
import { parseMemberSessionForm, parseOtherSessionsForm, parseOwnSessionForm } from "./session-forms";

const HANDLE = "0123456789abcdef0123456789abcdef";

describe("parseOwnSessionForm", () => {
  it.each<[string, Record<string, string>, ReturnType<typeof parseOwnSessionForm>]>([
    ["a handle", { handle: HANDLE }, { ok: true, value: { handle: HANDLE } }],
    ["nothing", {}, { ok: false, fieldErrors: { handle: "Choose a session to end." } }],
    ["a session token instead of a handle", { handle: "9f0c2a3e-1b7d-4c55-8e0f-6a2d9b1c3e4f" }, { ok: false, fieldErrors: { handle: "That session could not be recognised; reload the page and try again." } }],
    ["capitals", { handle: HANDLE.toUpperCase() }, { ok: false, fieldErrors: { handle: "That session could not be recognised; reload the page and try again." } }],
  ])("%s", (_what, input, expected) => {
    expect(parseOwnSessionForm(input)).toEqual(expected);
  });
});

describe("parseMemberSessionForm", () => {
  it.each<[string, Record<string, string>, ReturnType<typeof parseMemberSessionForm>]>([
    ["an address and a handle", { email: " Rev@Example.org ", handle: HANDLE }, { ok: true, value: { email: "rev@example.org", handle: HANDLE } }],
    ["no address", { handle: HANDLE }, { ok: false, fieldErrors: { email: "Choose whose session to end." } }],
    ["neither", {}, { ok: false, fieldErrors: { email: "Choose whose session to end.", handle: "Choose a session to end." } }],
  ])("%s", (_what, input, expected) => {
    expect(parseMemberSessionForm(input)).toEqual(expected);
  });
});

describe("parseOtherSessionsForm", () => {
  it.each<[string, Record<string, string>, ReturnType<typeof parseOtherSessionsForm>]>([
    ["the button's field", { which: "others" }, { ok: true, value: { which: "others" } }],
    ["nothing: ends none", {}, { ok: false, fieldErrors: { which: "Choose which sessions to end." } }],
    ["another value", { which: "all" }, { ok: false, fieldErrors: { which: "Choose which sessions to end." } }],
  ])("%s", (_what, input, expected) => {
    expect(parseOtherSessionsForm(input)).toEqual(expected);
  });
});
