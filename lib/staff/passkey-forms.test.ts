import { describe, expect, it } from "vitest";
import { parseAuthenticationStep, parsePasskeyIdForm, parsePasskeyPolicyForm, parseRegistrationStep } from "./passkey-forms";

const ID = "AbC-_123";
const registration = { id: ID, rawId: ID, type: "public-key", response: { clientDataJSON: "eyJ0", attestationObject: "o2Nm", transports: ["internal"] }, clientExtensionResults: {} };
const authentication = { id: ID, rawId: ID, type: "public-key", response: { clientDataJSON: "eyJ0", authenticatorData: "SZYN", signature: "MEUC" }, clientExtensionResults: {} };
const NOT_UNDERSTOOD = "That answer arrived in a shape we do not understand. Please reload the page and try again.";

describe("parseRegistrationStep", () => {
  it.each<[string, unknown, ReturnType<typeof parseRegistrationStep>]>([
    ["the options", { step: "options" }, { ok: true, value: { step: "options" } }],
    ["an answer with a name", { step: "verify", name: "  Work laptop ", response: registration }, { ok: true, value: { step: "verify", name: "Work laptop", response: registration as never } }],
    ["an answer without a name", { step: "verify", response: registration }, { ok: false, message: 'Give the passkey a name, such as "Work laptop".' }],
    ["a blank name", { step: "verify", name: "   ", response: registration }, { ok: false, message: 'Give the passkey a name, such as "Work laptop".' }],
    ["a name too long", { step: "verify", name: "x".repeat(61), response: registration }, { ok: false, message: "Keep the name to 60 characters or fewer." }],
    ["a name on two lines", { step: "verify", name: "Laptop\nBcc: x", response: registration }, { ok: false, message: "The name must be one line of plain text." }],
    ["an answer of the wrong kind", { step: "verify", name: "x", response: authentication }, { ok: false, message: NOT_UNDERSTOOD }],
    ["an id that is not base64url", { step: "verify", name: "x", response: { ...registration, id: "<script>" } }, { ok: false, message: NOT_UNDERSTOOD }],
    ["no step", { name: "x" }, { ok: false, message: NOT_UNDERSTOOD }],
    ["not JSON at all", null, { ok: false, message: NOT_UNDERSTOOD }],
  ])("%s", (_what, body, expected) => {
    expect(parseRegistrationStep(body)).toEqual(expected);
  });
});

describe("parseAuthenticationStep", () => {
  it.each<[string, unknown, ReturnType<typeof parseAuthenticationStep>]>([
    ["the options", { step: "options" }, { ok: true, value: { step: "options" } }],
    ["an answer", { step: "verify", response: authentication }, { ok: true, value: { step: "verify", response: authentication as never } }],
    ["an answer with no signature", { step: "verify", response: { ...authentication, response: { clientDataJSON: "eyJ0", authenticatorData: "SZYN" } } }, { ok: false, message: NOT_UNDERSTOOD }],
    ["a registration instead", { step: "verify", response: registration }, { ok: false, message: NOT_UNDERSTOOD }],
    ["another step", { step: "finish" }, { ok: false, message: NOT_UNDERSTOOD }],
  ])("%s", (_what, body, expected) => {
    expect(parseAuthenticationStep(body)).toEqual(expected);
  });
});

describe("the small forms", () => {
  it.each<[Record<string, string>, ReturnType<typeof parsePasskeyIdForm>]>([
    [{ id: "12" }, { ok: true, value: { id: 12 } }],
    [{ id: "" }, { ok: false, fieldErrors: { id: "Choose a passkey to remove." } }],
    [{ id: "1; drop table passkeys" }, { ok: false, fieldErrors: { id: "Choose a passkey to remove." } }],
    [{}, { ok: false, fieldErrors: { id: "Choose a passkey to remove." } }],
  ])("passkey id %j", (input, expected) => {
    expect(parsePasskeyIdForm(input)).toEqual(expected);
  });

  it.each<[Record<string, string>, ReturnType<typeof parsePasskeyPolicyForm>]>([
    [{ passkeys: "required" }, { ok: true, value: { required: true } }],
    [{ passkeys: "optional" }, { ok: true, value: { required: false } }],
    [{}, { ok: false, fieldErrors: { passkeys: "Choose whether every staff member must use a passkey." } }],
  ])("passkey rule %j", (input, expected) => {
    expect(parsePasskeyPolicyForm(input)).toEqual(expected);
  });
});
