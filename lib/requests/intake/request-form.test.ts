import { describe, expect, it } from "vitest";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";
import { parseRequestForm } from "./request-form";

const BIG = "a".repeat(100_000);
const EMAIL = "ann@example.org";

describe("parseRequestForm: bad input", () => {
  // Each input is valid except for the one thing named, so the errors must be exactly one.
  it.each<[string, Record<string, string>, string, string]>([
    ["missing type", { email: EMAIL }, "type", "Choose what you would like us to do."],
    ["empty type", { type: "", email: EMAIL }, "type", "Choose what you would like us to do."],
    ["unknown type", { type: "delete-everything", email: EMAIL }, "type", "Choose what you would like us to do."],
    ["missing email", { type: "access" }, "email", "Enter your email address."],
    ["blank email", { type: "access", email: "   " }, "email", "Enter your email address."],
    ["invalid email", { type: "access", email: "nobody" }, "email", "Your email address must be a valid address, like name@example.org."],
    [
      "email with a line break",
      { type: "access", email: "ann@example.org\nBcc: victim@example.org" },
      "email",
      "Your email address must be a valid address, like name@example.org.",
    ],
    [
      "email with a carriage return",
      { type: "access", email: "ann@example.org\rBcc: victim@example.org" },
      "email",
      "Your email address must be a valid address, like name@example.org.",
    ],
    ["100 kB name", { type: "access", email: EMAIL, name: BIG }, "name", "Your name must be 200 characters or fewer."],
    [
      "100 kB note",
      { type: "access", email: EMAIL, note: BIG },
      "note",
      "Anything else you want to tell us must be 2,000 characters or fewer.",
    ],
    ["100 kB concern", { type: "concern", email: EMAIL, message: BIG }, "message", "Your concern must be 5,000 characters or fewer."],
    [
      "100 kB postal address",
      { type: "correction", email: EMAIL, correct_postalAddress: BIG },
      "correct_postalAddress",
      "The new postal address must be 500 characters or fewer.",
    ],
    ["line break in a name", { type: "access", email: EMAIL, name: "Ann\nBcc: x" }, "name", "Your name must be on one line, without line breaks."],
    ["CRLF in a name", { type: "access", email: EMAIL, name: "Ann\r\nSmith" }, "name", "Your name must be on one line, without line breaks."],
    [
      "control character in a name",
      { type: "access", email: EMAIL, name: "Ann\u0007Smith" },
      "name",
      "Your name contains hidden control characters; remove them and try again.",
    ],
    [
      "bidi override in a name",
      { type: "access", email: EMAIL, name: "Ann\u202eSmith" },
      "name",
      "Your name contains hidden control characters; remove them and try again.",
    ],
    [
      "tab in a name",
      { type: "access", email: EMAIL, name: "Ann\tSmith" },
      "name",
      "Your name contains hidden control characters; remove them and try again.",
    ],
    [
      "control character in a note",
      { type: "access", email: EMAIL, note: "hello\u0000" },
      "note",
      "Anything else you want to tell us contains hidden control characters; remove them and try again.",
    ],
    [
      "correction with no changes",
      { type: "correction", email: EMAIL, note: "please fix" },
      "changes",
      "Tell us at least one detail to correct and what it should say.",
    ],
    [
      "correction with only blank changes",
      { type: "correction", email: EMAIL, correct_name: "  ", correct_phone: "" },
      "changes",
      "Tell us at least one detail to correct and what it should say.",
    ],
    [
      "correction to an invalid email",
      { type: "correction", email: EMAIL, correct_email: "not-an-address" },
      "correct_email",
      "The new email address must be a valid address, like name@example.org.",
    ],
    [
      "erasure without confirmErasure",
      { type: "erasure", email: EMAIL },
      "confirmErasure",
      "Tick the box to confirm you want us to delete your data.",
    ],
    [
      "erasure with confirmErasure=no",
      { type: "erasure", email: EMAIL, confirmErasure: "no" },
      "confirmErasure",
      "Tick the box to confirm you want us to delete your data.",
    ],
    [
      "erasure with confirmErasure empty",
      { type: "erasure", email: EMAIL, confirmErasure: "" },
      "confirmErasure",
      "Tick the box to confirm you want us to delete your data.",
    ],
    ["concern without message", { type: "concern", email: EMAIL }, "message", "Tell us what your concern is."],
    ["concern with a blank message", { type: "concern", email: EMAIL, message: " \r\n " }, "message", "Tell us what your concern is."],
    [
      "bad phone: letters",
      { type: "correction", email: EMAIL, correct_phone: "call me maybe" },
      "correct_phone",
      "The new phone number may contain only digits, spaces and + ( ) - characters.",
    ],
    [
      "bad phone: too few digits",
      { type: "correction", email: EMAIL, correct_phone: "12" },
      "correct_phone",
      "The new phone number may contain only digits, spaces and + ( ) - characters.",
    ],
    [
      "bad phone: too long",
      { type: "correction", email: EMAIL, correct_phone: "1".repeat(31) },
      "correct_phone",
      "The new phone number must be 30 characters or fewer.",
    ],
  ])("%s", (_what, input, field, message) => {
    const result = parseRequestForm(input);
    expect(result).toEqual({ ok: false, fieldErrors: { [field]: message } });
  });

  it("reports every wrong field at once", () => {
    const result = parseRequestForm({ type: "access", email: "nobody", name: "A\nB", note: BIG });
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        email: "Your email address must be a valid address, like name@example.org.",
        name: "Your name must be on one line, without line breaks.",
        note: "Anything else you want to tell us must be 2,000 characters or fewer.",
      },
    });
  });

  it("still checks the name when the type is unknown", () => {
    expect(parseRequestForm({ type: "nonsense", email: EMAIL, name: BIG })).toEqual({
      ok: false,
      fieldErrors: {
        type: "Choose what you would like us to do.",
        name: "Your name must be 200 characters or fewer.",
      },
    });
  });

  it("accepts text exactly at the limit and refuses one character more", () => {
    expect(parseRequestForm({ type: "access", email: EMAIL, name: "n".repeat(200) }).ok).toBe(true);
    expect(parseRequestForm({ type: "access", email: EMAIL, name: "n".repeat(201) }).ok).toBe(false);
  });
});

describe("parseRequestForm: good input", () => {
  it.each<[string, Record<string, string>, RequestSubmission]>([
    [
      "access, with name, note and stray fields",
      {
        type: "access",
        email: "  Ann@Example.ORG ",
        name: "  Ann Example  ",
        note: "Line one\r\nLine two\rLine three",
        status: "completed",
        $ACTION_ID_123: "",
      },
      {
        type: "access",
        email: "ann@example.org",
        name: "Ann Example",
        details: { type: "access", note: "Line one\nLine two\nLine three" },
      },
    ],
    ["access, bare", { type: "access", email: EMAIL, name: "", note: "" }, { type: "access", email: EMAIL, details: { type: "access" } }],
    [
      "correction of every field",
      {
        type: "correction",
        email: EMAIL,
        correct_name: " Ann Newname ",
        correct_email: "New@Example.ORG",
        correct_postalAddress: "1 High Street\r\nTown\r\nAB1 2CD",
        correct_phone: "+44 (0)20 7946-0958",
        correct_role: "admin",
        note: "Moved house",
      },
      {
        type: "correction",
        email: EMAIL,
        details: {
          type: "correction",
          changes: {
            name: "Ann Newname",
            email: "new@example.org",
            postalAddress: "1 High Street\nTown\nAB1 2CD",
            phone: "+44 (0)20 7946-0958",
          },
          note: "Moved house",
        },
      },
    ],
    [
      "correction of one field",
      { type: "correction", email: EMAIL, correct_name: "", correct_postalAddress: "2 Low Road" },
      { type: "correction", email: EMAIL, details: { type: "correction", changes: { postalAddress: "2 Low Road" } } },
    ],
    [
      "erasure, confirmed",
      { type: "erasure", email: EMAIL, name: "Ann", confirmErasure: "yes", note: "Thanks\r\n" },
      { type: "erasure", email: EMAIL, name: "Ann", details: { type: "erasure", confirmed: true, note: "Thanks" } },
    ],
    [
      "unsubscribe, a note is ignored",
      { type: "unsubscribe", email: EMAIL, note: "not asked for", confirmErasure: "yes" },
      { type: "unsubscribe", email: EMAIL, details: { type: "unsubscribe" } },
    ],
    [
      "concern",
      { type: "concern", email: EMAIL, message: "  I am worried\r\nabout my data.  " },
      { type: "concern", email: EMAIL, details: { type: "concern", message: "I am worried\nabout my data." } },
    ],
  ])("%s", (_what, input, expected) => {
    expect(parseRequestForm(input)).toEqual({ ok: true, value: expected });
  });
});

describe("parseRequestForm: signed in", () => {
  const signedInEmail = "me@example.org";

  it.each([
    ["another address typed", { type: "access", email: "someone-else@example.org" }],
    ["an invalid address typed", { type: "access", email: "nobody\nBcc: x@y.org" }],
    ["no address typed", { type: "access" }],
  ])("uses the signed-in address with %s", (_what, input) => {
    expect(parseRequestForm(input, { signedInEmail })).toEqual({
      ok: true,
      value: { type: "access", email: signedInEmail, details: { type: "access" } },
    });
  });

  it("reports no email error when another field is wrong", () => {
    expect(parseRequestForm({ type: "concern", email: "nobody" }, { signedInEmail })).toEqual({
      ok: false,
      fieldErrors: { message: "Tell us what your concern is." },
    });
    expect(parseRequestForm({ email: "nobody" }, { signedInEmail })).toEqual({
      ok: false,
      fieldErrors: { type: "Choose what you would like us to do." },
    });
  });
});
