import { describe, expect, it } from "vitest";
import { emailAddress, formDataToRecord, multiLineText, oneLineText } from "./fields";

describe("formDataToRecord", () => {
  it("keeps text fields and skips Next.js $ACTION keys and files", () => {
    const form = new FormData();
    form.append("type", "access");
    form.append("email", "ann@example.org");
    form.append("$ACTION_ID_abc123", "");
    form.append("$ACTION_REF_1", "");
    form.append("$ACTION_1:0", '{"id":"x"}');
    form.append("upload", new Blob(["%PDF-1.7"], { type: "application/pdf" }), "passport.pdf");
    form.append("empty", "");
    expect(formDataToRecord(form)).toEqual({ type: "access", email: "ann@example.org", empty: "" });
  });

  it("keeps the first of repeated keys", () => {
    const form = new FormData();
    form.append("type", "access");
    form.append("type", "erasure");
    expect(formDataToRecord(form)).toEqual({ type: "access" });
  });

  it("returns a plain record that a field named __proto__ cannot pollute", () => {
    const form = new FormData();
    form.append("__proto__", "polluted");
    const record = formDataToRecord(form);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// JSON (the API, an agent's signed message) can carry half a surrogate pair, which no form can: such text is refused
// with the same sentence as a control character, since SQLite would store something else than what was checked.
describe("text with half a surrogate pair", () => {
  const name = oneLineText("Your name", 200);
  const message = multiLineText("Your concern", 2000);
  const email = emailAddress("Your email address");
  it.each([
    ["a lone high surrogate in a name", name, "Ann \ud800", "Your name contains hidden control characters; remove them and try again."],
    ["a lone low surrogate in a name", name, "\udc00Ann", "Your name contains hidden control characters; remove them and try again."],
    ["a lone surrogate in a message", message, "Why\n\ud83d is this kept?", "Your concern contains hidden control characters; remove them and try again."],
    ["a lone surrogate in an address", email, "ann\ud800@example.org", "Your email address must be a valid address, like name@example.org."],
  ])("refuses %s", (_case, schema, value, sentence) => {
    const parsed = schema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(sentence);
  });
  it.each([
    ["a whole pair (an emoji) in a name", name, "Ann \ud83d\ude00"],
    ["a whole pair in a message", message, "Thank you \ud83d\ude4f"],
    ["accented letters", name, "Zoë Ødegård"],
  ])("accepts %s", (_case, schema, value) => {
    expect(schema.safeParse(value)).toEqual({ success: true, data: value });
  });
});
