import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "@/db/connection";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { DEFAULT_LIMITS } from "./policy";
import { openRateLimits, RATE_LIMIT_TABLE, type RateLimits, type RateVerdict } from "./rate-limits";

const SECRET = "k".repeat(64);
const START = new Date("2026-11-22T09:00:00Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function refused(verdict: RateVerdict): Extract<RateVerdict, { ok: false }> {
  if (verdict.ok) throw new Error("expected a refusal");
  return verdict;
}

describe("rate limits", () => {
  let t: TempDatabase;
  let limits: RateLimits;

  beforeEach(async () => {
    // Only the clock is faked: the library reads Date.now(), and its tidying timer must not fire here.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(START);
    t = openTempDatabase();
    limits = await openRateLimits(t.db.$client, DEFAULT_LIMITS, SECRET);
  });
  afterEach(() => {
    t.close();
    vi.useRealTimers();
  });

  const later = (ms: number) => vi.setSystemTime(new Date(Date.now() + ms));

  it("sends three links an hour to one address, refuses the fourth with when to try again, and not another address", async () => {
    for (let i = 0; i < 3; i++) expect(await limits.admitSignInLink({ ip: `10.0.0.${i}`, email: "ann@example.org" })).toEqual({ ok: true });
    later(20 * MINUTE);
    const fourth = refused(await limits.admitSignInLink({ ip: "10.0.0.9", email: "ann@example.org" }));
    expect(fourth).toMatchObject({ limit: "linksPerAddressPerHour", retryAfterSeconds: 40 * 60 });
    expect(fourth.message).toBe(
      "We send at most 3 sign-in or confirmation emails an hour to one address, and this address has had them. Please try again in 40 minutes.",
    );
    expect(await limits.admitSignInLink({ ip: "10.0.0.9", email: "bob@example.org" })).toEqual({ ok: true });
    later(40 * MINUTE);
    expect(await limits.admitSignInLink({ ip: "10.0.0.9", email: "ann@example.org" })).toEqual({ ok: true });
  });

  it("sends ten a day to one address however they are spread over the hours", async () => {
    for (let i = 0; i < 10; i++) {
      expect(await limits.admitSignInLink({ ip: `10.0.1.${i}`, email: "ann@example.org" }), `link ${i + 1}`).toEqual({ ok: true });
      if (i % 3 === 2) later(HOUR);
    }
    const eleventh = refused(await limits.admitSignInLink({ ip: "10.0.1.99", email: "ann@example.org" }));
    expect(eleventh.limit).toBe("linksPerAddressPerDay");
    expect(eleventh.message).toMatch(/at most 10 sign-in or confirmation emails a day .* Please try again in 21 hours\.$/);
  });

  it("accepts twenty link requests an hour from one network, for any addresses", async () => {
    for (let i = 0; i < 20; i++) expect(await limits.admitSignInLink({ ip: "10.0.2.1", email: `p${i}@example.org` })).toEqual({ ok: true });
    const refusal = refused(await limits.admitSignInLink({ ip: "10.0.2.1", email: "new@example.org" }));
    expect(refusal.limit).toBe("linkRequestsPerIpPerHour");
    expect(refusal.message).toContain("at most 20 requests for sign-in or confirmation emails an hour from one network");
    // Refused at the network, the address was not counted: its owner can still ask from elsewhere.
    for (let i = 0; i < 3; i++) expect(await limits.admitSignInLink({ ip: "10.0.2.2", email: "new@example.org" })).toEqual({ ok: true });
  });

  it("accepts ten request drafts an hour from one network, each also counting as a link request", async () => {
    for (let i = 0; i < 10; i++) expect(await limits.admitDraft({ ip: "10.0.3.1", email: `d${i}@example.org` })).toEqual({ ok: true });
    expect(refused(await limits.admitDraft({ ip: "10.0.3.1", email: "d10@example.org" })).limit).toBe("draftsPerIpPerHour");
    for (let i = 0; i < 10; i++) expect(await limits.admitSignInLink({ ip: "10.0.3.1", email: `s${i}@example.org` })).toEqual({ ok: true });
    expect(refused(await limits.admitSignInLink({ ip: "10.0.3.1", email: "s10@example.org" })).limit).toBe("linkRequestsPerIpPerHour");
    // And a draft is a confirmation email to its address.
    for (let i = 0; i < 2; i++) expect(await limits.admitSignInLink({ ip: "10.0.3.2", email: "d0@example.org" })).toEqual({ ok: true });
    expect(refused(await limits.admitSignInLink({ ip: "10.0.3.2", email: "d0@example.org" })).limit).toBe("linksPerAddressPerHour");
  });

  it("allows ten failed links per network in 15 minutes; checking does not count", async () => {
    for (let i = 0; i < 10; i++) {
      expect(await limits.checkLinkFailures("10.0.4.1")).toEqual({ ok: true });
      await limits.recordLinkFailure("10.0.4.1");
    }
    const blocked = refused(await limits.checkLinkFailures("10.0.4.1"));
    expect(blocked).toMatchObject({ limit: "linkFailuresPerIpPer15Minutes", retryAfterSeconds: 15 * 60 });
    expect(blocked.message).toBe(
      "Too many sign-in links from your network did not work: we allow 10 failed attempts in 15 minutes. Please try again in 15 minutes.",
    );
    expect(await limits.checkLinkFailures("10.0.4.2")).toEqual({ ok: true });
    later(15 * MINUTE);
    expect(await limits.checkLinkFailures("10.0.4.1")).toEqual({ ok: true });
  });

  it("lets twenty emails a day go to one address, whatever their kind, and says when the next may go", async () => {
    for (let i = 0; i < 20; i++) expect(await limits.admitMail("Ann@Example.org")).toEqual({ ok: true });
    const held = refused(await limits.admitMail("ann@example.org"));
    expect(held).toMatchObject({ limit: "mailPerAddressPerDay", retryAfterSeconds: 24 * 60 * 60 });
    expect(await limits.admitMail("bob@example.org")).toEqual({ ok: true });
  });

  it("uses the configured numbers", async () => {
    const strict = await openRateLimits(t.db.$client, { ...DEFAULT_LIMITS, linksPerAddressPerHour: 1 }, SECRET);
    expect(await strict.admitSignInLink({ ip: "10.0.5.1", email: "cy@example.org" })).toEqual({ ok: true });
    expect(refused(await strict.admitSignInLink({ ip: "10.0.5.1", email: "cy@example.org" })).message).toContain(
      "at most 1 sign-in or confirmation email an hour",
    );
  });

  it("keeps neither addresses nor IP addresses in the clear", async () => {
    await limits.admitSignInLink({ ip: "192.0.2.77", email: "secret-person@example.org" });
    const rows = t.db.$client.prepare(`select key from ${RATE_LIMIT_TABLE}`).all() as Array<{ key: string }>;
    expect(rows.length).toBe(3);
    for (const { key } of rows) {
      expect(key).not.toContain("secret-person");
      expect(key).not.toContain("192.0.2.77");
    }
  });

  it("still counts after the process restarts: the counters live in the database file", async () => {
    for (let i = 0; i < 3; i++) await limits.admitSignInLink({ ip: "10.0.6.1", email: "ann@example.org" });
    t.db.$client.close();
    const reopened = openDatabase(t.file);
    try {
      const afterRestart = await openRateLimits(reopened.$client, DEFAULT_LIMITS, SECRET);
      expect(refused(await afterRestart.admitSignInLink({ ip: "10.0.6.1", email: "ann@example.org" })).limit).toBe("linksPerAddressPerHour");
    } finally {
      reopened.$client.close();
    }
  });
});
