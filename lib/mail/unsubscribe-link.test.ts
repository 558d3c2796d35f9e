import { createHmac } from "node:crypto";
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
      language: null,
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

  it.each([
    ["the language of the message it came in", "es", "es"],
    ["none, for a link made without one", null, null],
  ] as const)("carry %s", (_what, language, expected) => {
    const token = signUnsubscribeToken("ada@example.org", SECRET, NOW, { list: "newsletter", language });
    expect(verifyUnsubscribeToken(token, SECRET, NOW)).toMatchObject({ ok: true, list: "newsletter", language: expected });
  });

  it("still accept a link made before links carried a language, exactly as it was made then", () => {
    const payload = Buffer.from(JSON.stringify({ e: "ada@example.org", x: NOW.getTime() / 1000 + 1000 })).toString("base64url");
    const old = `${payload}.${signUnsubscribeToken("ada@example.org", SECRET, NOW, { days: 1000 / 86400 }).split(".")[1]}`;
    expect(old).toBe(signUnsubscribeToken("ada@example.org", SECRET, NOW, { days: 1000 / 86400 }));
    expect(verifyUnsubscribeToken(old, SECRET, NOW)).toMatchObject({ ok: true, email: "ada@example.org", language: null });
  });

  it.each([
    ["a language with no catalogue", "xx"],
    ["a language that is not a string", 7],
    ["an object", { toString: "es" }],
    ["a property name", "__proto__"],
  ])("read %s in a signed token as no language", (_what, g) => {
    // Signed as a genuine token would be: only the language is odd.
    const payload = Buffer.from(JSON.stringify({ e: "ada@example.org", g, x: NOW.getTime() / 1000 + 1000 })).toString("base64url");
    const sig = createHmac("sha256", SECRET).update(`unsubscribe:${payload}`).digest("base64url");
    expect(verifyUnsubscribeToken(`${payload}.${sig}`, SECRET, NOW)).toMatchObject({ ok: true, email: "ada@example.org", language: null });
  });

  it("refuse a token whose language was swapped", () => {
    const [, sig] = signUnsubscribeToken("ada@example.org", SECRET, NOW, { language: "es" }).split(".");
    const forged = Buffer.from(JSON.stringify({ e: "ada@example.org", g: "de", x: NOW.getTime() / 1000 + 365 * 86400 })).toString("base64url");
    expect(verifyUnsubscribeToken(`${forged}.${sig}`, SECRET, NOW)).toEqual({ ok: false, reason: "invalid" });
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

  it("make the address a mail program POSTs to, naming the recipient and the message's language", () => {
    const link = unsubscribeUrl("ada@example.org", { appUrl: "https://rights.example.org", secret: SECRET, now: NOW, language: "fr" });
    const url = /^https:\/\/rights\.example\.org\/unsubscribe\/([^/]+)$/.exec(link);
    expect(url).not.toBeNull();
    expect(verifyUnsubscribeToken(url![1]!, SECRET, NOW)).toMatchObject({ ok: true, email: "ada@example.org", language: "fr" });
  });
});
