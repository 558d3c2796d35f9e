import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeBase64, messageHash, openSigned, verifyKeyOf } from "./signed-message";
import { validateSignedMessage } from "./validate";

// RFC 8032, section 7.1, test 2: the Ed25519 that libsodium's crypto_sign implements.
const RFC_PUBLIC = Buffer.from("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "hex");
const RFC_MESSAGE = Buffer.from("72", "hex");
const RFC_SIGNATURE = Buffer.from(
  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  "hex",
);

describe("combined-mode messages", () => {
  it("open with the published test vector, as libsodium's crypto_sign_open would", () => {
    const key = verifyKeyOf(RFC_PUBLIC.toString("base64"))!;
    expect(openSigned(Buffer.concat([RFC_SIGNATURE, RFC_MESSAGE]), key)).toEqual(RFC_MESSAGE);
    const tampered = Buffer.concat([RFC_SIGNATURE, Buffer.from("73", "hex")]);
    expect(openSigned(tampered, key)).toBeNull();
    expect(openSigned(RFC_SIGNATURE, key)).toBeNull();
  });

  it.each([
    ["standard base64", "aGVsbG8=", "hello"],
    ["URL-safe base64", "-_8=", "\ufffd\ufffd"],
    ["with line breaks", "aGVs\nbG8=", "hello"],
  ])("decode %s", (_what, text, expected) => {
    expect(decodeBase64(text)?.toString("utf8")).toBe(expected);
  });

  it.each([["", "empty"], ["not base64!", "punctuation"], ["a", "one character"]])("refuse %j (%s)", (text) => {
    expect(decodeBase64(text)).toBeNull();
  });

  it.each([
    ["a key of 31 bytes", Buffer.alloc(31, 1).toString("base64")],
    ["not base64", "nope!"],
  ])("refuse a verify key that is %s", (_what, key) => {
    expect(verifyKeyOf(key)).toBeNull();
  });

  it("remember each message by its own hash", () => {
    expect(messageHash(Buffer.from("a"))).not.toBe(messageHash(Buffer.from("b")));
  });
});

describe("validateSignedMessage: section 3.07, in its order", () => {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const agent = { id: "AGENT", verifyKey: Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url").toString("base64") };
  const other = generateKeyPairSync("ed25519").privateKey;
  const now = new Date("2026-05-04T10:00:00Z");
  const good = { "agent-id": "AGENT", "business-id": "BIZ", "issued-at": "2026-05-04T09:59:00Z", "expires-at": "2026-05-04T10:09:00Z" };
  const signed = (claims: unknown, key = privateKey) => {
    const message = Buffer.from(JSON.stringify(claims));
    return Buffer.concat([sign(null, message, key), message]).toString("base64");
  };

  // Each row breaks one check and every later one, so only the order picks the answer.
  it.each<[string, string, number, string]>([
    ["not base64", "%%%", 400, "The body is not base64: send the signed message base64-encoded, as text/plain."],
    ["signed by another key, and for another agent", signed({ ...good, "agent-id": "X", "business-id": "Y" }, other), 403, "The signature does not match the agent's verify key."],
    ["for another agent and business, expired", signed({ ...good, "agent-id": "X", "business-id": "Y", "expires-at": "2026-05-04T09:00:00Z" }), 403, "The agent-id claim does not name the agent this token was issued to."],
    ["for another business, expired", signed({ ...good, "business-id": "Y", "expires-at": "2026-05-04T09:00:00Z" }), 403, "The business-id claim does not name this organisation."],
    ["issued in the future, and expired", signed({ ...good, "issued-at": "2026-05-04T10:05:00Z", "expires-at": "2026-05-04T09:00:00Z" }), 400, "The issued-at claim is in the future: check the sending system's clock."],
    ["expired", signed({ ...good, "expires-at": "2026-05-04T10:00:00Z" }), 400, "The request has expired: its expires-at is past."],
    ["with an issued-at that is no timestamp", signed({ ...good, "issued-at": "yesterday" }), 400, "The issued-at claim must be an ISO 8601 timestamp with a time zone."],
    ["with an expires-at without a zone", signed({ ...good, "expires-at": "2026-05-04T10:09:00" }), 400, "The expires-at claim must be an ISO 8601 timestamp with a time zone."],
  ])("refuses a message %s", (_what, body, status, message) => {
    const result = validateSignedMessage({ body, agent, businessId: "BIZ", now });
    expect(result).toMatchObject({ ok: false, status, message });
  });

  it("accepts a good message, an issued-at up to a minute ahead, and names its hash and expiry", () => {
    const result = validateSignedMessage({ body: signed({ ...good, "issued-at": "2026-05-04T10:00:59Z", exercise: "access" }), agent, businessId: "BIZ", now });
    expect(result).toMatchObject({ ok: true, value: { claims: { exercise: "access" }, expiresAt: new Date("2026-05-04T10:09:00Z"), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
  });

  it("refuses every message while no business id is set", () => {
    expect(validateSignedMessage({ body: signed(good), agent, businessId: null, now })).toMatchObject({ ok: false, status: 403 });
  });

  it("checks a revoke's claims only when it carries them", () => {
    expect(validateSignedMessage({ body: signed({ reason: "no" }), agent, businessId: "BIZ", now, claimsOptional: true }).ok).toBe(true);
    expect(validateSignedMessage({ body: signed({ reason: "no", "business-id": "Y" }), agent, businessId: "BIZ", now, claimsOptional: true })).toMatchObject({ ok: false, status: 403 });
  });
});
