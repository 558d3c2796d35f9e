import { describe, expect, it } from "vitest";
import { signUnsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from "./unsubscribe-link";

const SECRET = "s".repeat(64);
const NOW = new Date("2026-11-22T10:00:00Z");
const DAY = 24 * 60 * 60 * 1000;

describe("unsubscribe tokens", () => {
  it("verify to the normalised address they were made for", () => {
    const token = signUnsubscribeToken(" Ada@Example.org ", SECRET, NOW);
    expect(verifyUnsubscribeToken(token, SECRET, new Date(NOW.getTime() + DAY))).toEqual({
      ok: true,
      email: "ada@example.org",
      list: null,
      expiresAt: new Date(NOW.getTime() + 365 * DAY),
    });
  });

  it.each([
    ["a message about one list ends that list", "newsletter", "newsletter"],
    ["a message about no one list ends every list", null, null],
  ])("name the list they end: %s", (_what, list, expected) => {
    const token = signUnsubscribeToken("ada@example.org", SECRET, NOW, { list });
    expect(verifyUnsubscribeToken(token, SECRET, NOW)).toMatchObject({ ok: true, list: expected });
  });

  it("refuse a token whose list was swapped", () => {
    const [, sig] = signUnsubscribeToken("ada@example.org", SECRET, NOW, { list: "newsletter" }).split(".");
    const forged = Buffer.from(JSON.stringify({ e: "ada@example.org", l: "appeals", x: NOW.getTime() / 1000 + 1000 })).toString("base64url");
    expect(verifyUnsubscribeToken(`${forged}.${sig}`, SECRET, NOW)).toEqual({ ok: false, reason: "invalid" });
  });

  it("expire after a year", () => {
    const token = signUnsubscribeToken("ada@example.org", SECRET, NOW);
    expect(verifyUnsubscribeToken(token, SECRET, new Date(NOW.getTime() + 364 * DAY)).ok).toBe(true);
    expect(verifyUnsubscribeToken(token, SECRET, new Date(NOW.getTime() + 365 * DAY))).toEqual({ ok: false, reason: "expired" });
  });

  it("refuse a token signed with another secret", () => {
    const token = signUnsubscribeToken("ada@example.org", "t".repeat(64), NOW);
    expect(verifyUnsubscribeToken(token, SECRET, NOW)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuse a token whose address was swapped", () => {
    const [, sig] = signUnsubscribeToken("ada@example.org", SECRET, NOW).split(".");
    const forged = Buffer.from(JSON.stringify({ e: "bob@example.org", x: NOW.getTime() / 1000 + 1000 })).toString("base64url");
    expect(verifyUnsubscribeToken(`${forged}.${sig}`, SECRET, NOW)).toEqual({ ok: false, reason: "invalid" });
  });

  it.each(["", "abc", "a.b.c", "..", "x.", ".y"])("refuse the malformed token %j", (token) => {
    expect(verifyUnsubscribeToken(token, SECRET, NOW)).toEqual({ ok: false, reason: "invalid" });
  });

  it("make the address a mail program POSTs to, naming the recipient", () => {
    const link = unsubscribeUrl("ada@example.org", { appUrl: "https://rights.example.org", secret: SECRET, now: NOW });
    const url = /^https:\/\/rights\.example\.org\/unsubscribe\/([^/]+)$/.exec(link);
    expect(url).not.toBeNull();
    expect(verifyUnsubscribeToken(url![1]!, SECRET, NOW)).toMatchObject({ ok: true, email: "ada@example.org" });
  });
});
