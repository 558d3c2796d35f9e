import { describe, expect, it } from "vitest";
import { signUnsubscribeToken } from "./unsubscribe-link";
import { PREFERENCE_LINK_DAYS, preferencesUrl, signPreferenceToken, verifyPreferenceToken } from "./preference-link";

const SECRET = "s".repeat(64);
const NOW = new Date("2026-11-22T10:00:00Z");
const DAY = 24 * 60 * 60 * 1000;

describe("preference tokens", () => {
  it("verify to the normalised address, any number of times within their days", () => {
    const token = signPreferenceToken(" Ada@Example.org ", SECRET, NOW);
    for (const day of [0, 1, PREFERENCE_LINK_DAYS - 1]) {
      expect(verifyPreferenceToken(token, SECRET, new Date(NOW.getTime() + day * DAY))).toEqual({
        ok: true,
        email: "ada@example.org",
        expiresAt: new Date(NOW.getTime() + PREFERENCE_LINK_DAYS * DAY),
      });
    }
  });

  it("expire after 30 days, still naming the address, so a fresh link can be sent to it", () => {
    const token = signPreferenceToken("ada@example.org", SECRET, NOW);
    expect(verifyPreferenceToken(token, SECRET, new Date(NOW.getTime() + 30 * DAY))).toEqual({ ok: false, reason: "expired", email: "ada@example.org" });
  });

  it.each([
    ["signed with another secret", () => signPreferenceToken("ada@example.org", "t".repeat(64), NOW)],
    ["with the address swapped", () => `${Buffer.from(JSON.stringify({ e: "bob@example.org", x: NOW.getTime() / 1000 + 1000 })).toString("base64url")}.${signPreferenceToken("ada@example.org", SECRET, NOW).split(".")[1]}`],
    ["that is an unsubscribe token, signed for another purpose", () => signUnsubscribeToken("ada@example.org", SECRET, NOW)],
    ["empty", () => ""],
    ["without a signature", () => "abc"],
    ["in three parts", () => "a.b.c"],
    ["far too long", () => `${"a".repeat(2000)}.b`],
    ["whose payload is not JSON", () => "bm90IGpzb24.x"],
  ])("refuse a token %s, naming no address", (_what, token) => {
    expect(verifyPreferenceToken(token(), SECRET, NOW)).toEqual({ ok: false, reason: "invalid" });
  });

  it("make the page's address for the recipient", () => {
    const link = preferencesUrl("ada@example.org", { appUrl: "https://rights.example.org", secret: SECRET, now: NOW });
    const token = /^https:\/\/rights\.example\.org\/preferences\/([^/]+)$/.exec(link)?.[1];
    expect(verifyPreferenceToken(token ?? "", SECRET, NOW)).toMatchObject({ ok: true, email: "ada@example.org" });
  });
});
