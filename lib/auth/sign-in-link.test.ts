import { createRequire } from "node:module";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { usedSignInLinks, verificationTokens } from "@/db/schema";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { inTransaction } from "@/db/transaction";
import {
  createSignInLink,
  explainFailedLink,
  hashVerificationToken,
  isAcceptableCallbackUrl,
  isSafeCallbackPath,
  linkDestination,
  linkPageForOldLink,
  SIGN_IN_LINK_MINUTES,
  spendSignInToken,
} from "./sign-in-link";

// next-auth's own token hashing, the one its callback route checks links with.
// The package's "exports" map hides core/lib/utils, so it is loaded by file path.
type HashToken = (token: string, options: { provider: { secret?: string }; secret: string }) => string;
const require = createRequire(import.meta.url);
const nextAuthDir = path.dirname(require.resolve("next-auth"));
const { hashToken } = require(path.join(nextAuthDir, "core", "lib", "utils.js")) as { hashToken: HashToken };

describe("hashVerificationToken", () => {
  it.each([
    ["0123456789abcdef", "x".repeat(64)],
    ["a".repeat(64), "another secret that is long enough!"],
    ["token with spaces ünïcödé", "s3cr3t"],
    ["", "x".repeat(64)],
  ])("matches next-auth's hashToken for token %j", (token, secret) => {
    const ours = hashVerificationToken(token, secret);
    expect(ours).toBe(hashToken(token, { provider: {}, secret }));
    expect(ours).toMatch(/^[0-9a-f]{64}$/);
  });

  it("depends on the secret", () => {
    expect(hashVerificationToken("t", "secret-one")).not.toBe(hashVerificationToken("t", "secret-two"));
  });
});

describe("isSafeCallbackPath", () => {
  it.each([
    ["/requests", true],
    ["/", true],
    ["/requests/confirm?draft=abc_DEF-123", true],
    ["/requests/RD-7K3Q-9XWM#history", true],
    ["//evil.com", false],
    ["//evil.com/requests", false],
    ["/\\evil.com", false],
    ["\\\\evil.com", false],
    ["https://evil.com", false],
    ["http://127.0.0.1:3999/requests", false],
    ["javascript:alert(1)", false],
    ["requests", false],
    ["", false],
    ["/x\r\nSet-Cookie: a=b", false],
    ["/x\nSet-Cookie: a=b", false],
    // Browsers drop tabs and line breaks from URLs, so "/\t/evil.com" means "//evil.com".
    ["/\t/evil.com", false],
    // No control character at all, whatever a given parser does with it.
    ["/\u0000/evil.com", false],
    ["/requests\u007f", false],
  ])("%j → %s", (value, safe) => {
    expect(isSafeCallbackPath(value)).toBe(safe);
  });

  it("accepts only paths that stay on the site when resolved by a browser's URL parser", () => {
    const base = "http://127.0.0.1:3999";
    for (const value of ["/requests", "/\t/evil.com", "//evil.com", "/\\evil.com", "/\n/evil.com"]) {
      if (isSafeCallbackPath(value)) expect(new URL(value, base).origin).toBe(base);
    }
  });
});

describe("createSignInLink", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  const appUrl = "http://127.0.0.1:3999";
  const secret = "x".repeat(64);
  const now = new Date("2026-05-04T10:00:00Z");

  it("stores only the hash of the emailed token, expiring 30 minutes after now", () => {
    const link = createSignInLink(t.db, { email: "ann@example.org", callbackPath: "/requests", now, appUrl, secret });

    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).toBe(`${appUrl}/signin/link`);
    expect([...url.searchParams.keys()]).toEqual(["token", "email", "next"]);
    expect(url.searchParams.get("next")).toBe("/requests");
    expect(url.searchParams.get("email")).toBe("ann@example.org");
    const token = url.searchParams.get("token") ?? "";
    expect(token).toMatch(/^[0-9a-f]{64}$/);

    const rows = t.db.select().from(verificationTokens).all();
    expect(rows).toEqual([
      {
        identifier: "ann@example.org",
        token: hashVerificationToken(token, secret),
        expires: new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000),
      },
    ]);
    expect(SIGN_IN_LINK_MINUTES).toBe(30);
    expect(rows[0]?.expires.toISOString()).toBe("2026-05-04T10:30:00.000Z");
    // The raw token is nowhere in the table.
    expect(t.db.select().from(verificationTokens).where(eq(verificationTokens.token, token)).all()).toEqual([]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("URL-encodes the destination and the address", () => {
    const link = createSignInLink(t.db, {
      email: "ann+rights@example.org",
      callbackPath: "/requests/confirm?draft=abc&x=1",
      now,
      appUrl,
      secret,
    });
    expect(link.startsWith(`${appUrl}/signin/link?token=`)).toBe(true);
    expect(link).toContain("&email=ann%2Brights%40example.org");
    expect(link).toContain(`&next=${encodeURIComponent("/requests/confirm?draft=abc&x=1")}`);
    const url = new URL(link);
    expect(url.searchParams.get("next")).toBe("/requests/confirm?draft=abc&x=1");
    expect(url.searchParams.get("email")).toBe("ann+rights@example.org");
  });

  it("makes a different token every time", () => {
    const tokenOf = (link: string) => new URL(link).searchParams.get("token");
    const a = createSignInLink(t.db, { email: "ann@example.org", callbackPath: "/requests", now, appUrl, secret });
    const b = createSignInLink(t.db, { email: "ann@example.org", callbackPath: "/requests", now, appUrl, secret });
    expect(tokenOf(a)).not.toBe(tokenOf(b));
    expect(countRows(t.db, verificationTokens)).toBe(2);
  });

  it("refuses a callback to another site and stores nothing", () => {
    expect(() =>
      createSignInLink(t.db, { email: "ann@example.org", callbackPath: "//evil.com", now, appUrl, secret }),
    ).toThrow("Sign-in links only lead to this site.");
    expect(countRows(t.db, verificationTokens)).toBe(0);
  });
});

describe("using a sign-in link", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  const appUrl = "http://127.0.0.1:3999";
  const secret = "x".repeat(64);
  const issuedAt = new Date("2026-05-04T10:00:00Z");
  const minutes = (n: number) => new Date(issuedAt.getTime() + n * 60_000);

  function issue(email = "ann@example.org"): string {
    const link = createSignInLink(t.db, { email, callbackPath: "/requests", now: issuedAt, appUrl, secret });
    return hashVerificationToken(new URL(link).searchParams.get("token") ?? "", secret);
  }
  const use = (tokenHash: string, now: Date, identifier: string | undefined = "ann@example.org") =>
    inTransaction(t.db, (tx) => spendSignInToken(tx, { identifier, tokenHash, now }));

  it("works once: a second use finds nothing, and is explained as already used", () => {
    const hash = issue();
    expect(use(hash, minutes(5))).toEqual({ identifier: "ann@example.org", token: hash, expires: minutes(30) });
    expect(use(hash, minutes(6))).toBeNull();
    expect(countRows(t.db, verificationTokens)).toBe(0);
    expect(t.db.select().from(usedSignInLinks).all()).toEqual([{ token: hash, usedAt: minutes(5), expires: minutes(30) }]);
    expect(explainFailedLink(t.db, { tokenHash: hash, now: minutes(6) })).toBe("used");
  });

  it("does not work from its 30th minute, and is explained as expired", () => {
    const hash = issue();
    expect(use(hash, minutes(30))).toBeNull();
    expect(explainFailedLink(t.db, { tokenHash: hash, now: minutes(30) })).toBe("expired");
    expect(use(hash, minutes(29))).not.toBeNull();
  });

  it("does not work for another address, nor without one, nor made up", () => {
    const hash = issue();
    expect(use(hash, minutes(1), "eve@example.org")).toBeNull();
    expect(inTransaction(t.db, (tx) => spendSignInToken(tx, { identifier: undefined, tokenHash: hash, now: minutes(1) }))).toBeNull();
    expect(explainFailedLink(t.db, { tokenHash: hash, now: minutes(1) })).toBe("invalid");
    const madeUp = hashVerificationToken("0".repeat(64), secret);
    expect(use(madeUp, minutes(1))).toBeNull();
    expect(explainFailedLink(t.db, { tokenHash: madeUp, now: minutes(1) })).toBe("invalid");
    // The real link still works for its owner.
    expect(use(hash, minutes(2))).not.toBeNull();
  });
});

describe("isAcceptableCallbackUrl", () => {
  it.each([
    ["/requests", true],
    ["http://127.0.0.1:3999/requests", true],
    ["https://elsewhere.example/", true],
    ["\r\nLocation: https://evil.example", false],
    ["javascript:alert(1)", false],
    ["not a url", false],
    ["", false],
  ])("%j → %s (what next-auth accepts without failing)", (value, acceptable) => {
    expect(isAcceptableCallbackUrl(value, "http://127.0.0.1:3999")).toBe(acceptable);
  });
});

describe("linkDestination", () => {
  const appUrl = "http://127.0.0.1:3999";
  it.each<[unknown, string]>([
    ["/requests", "/requests"],
    ["/requests/confirm?draft=abc_DEF-123", "/requests/confirm?draft=abc_DEF-123"],
    ["/requests/RD-7K3Q-9XWM#history", "/requests/RD-7K3Q-9XWM#history"],
    // Written the way a browser sends it, so it can go in a Location header as it is.
    ["/\u3002evil.test", "/%E3%80%82evil.test"],
    ["/requests?q=caf\u00e9 au lait", "/requests?q=caf%C3%A9%20au%20lait"],
    ["/a/../staff", "/staff"],
    // Anything that is not a path on this site goes to the default.
    ["//evil.com", "/requests"],
    ["https://evil.com/", "/requests"],
    ["http://127.0.0.1:3999/staff", "/requests"],
    ["/\t/evil.com", "/requests"],
    // Dot segments that resolve to "//host", which a browser reads as another site.
    ["/.//evil.com", "/requests"],
    ["/%2e//evil.com", "/requests"],
    ["/%2E%2E//evil.com/x", "/requests"],
    ["/a/..//evil.com/x", "/requests"],
    ["/./\\evil.com", "/requests"],
    ["/a/../\\evil.com", "/requests"],
    ["/.//evil.com?next=/requests#x", "/requests"],
    ["", "/requests"],
    [undefined, "/requests"],
    [["/staff", "/requests"], "/requests"],
  ])("%j leads to %j", (next, destination) => {
    expect(linkDestination(next, appUrl)).toBe(destination);
  });
});

describe("links from emails sent before the link page", () => {
  const appUrl = "http://127.0.0.1:3999";
  const old = (params: Record<string, string>) => new URLSearchParams(params);
  it.each<[string, Record<string, string>, Record<string, string>]>([
    [
      "a confirmation link",
      { callbackUrl: `${appUrl}/requests/confirm?draft=abcdefghijk`, token: "t0k3n", email: "ann@example.org" },
      { token: "t0k3n", email: "ann@example.org", next: "/requests/confirm?draft=abcdefghijk" },
    ],
    ["a sign-in link", { callbackUrl: `${appUrl}/requests`, token: "t0k3n", email: "ann@example.org" }, { token: "t0k3n", email: "ann@example.org", next: "/requests" }],
    ["a link to another site", { callbackUrl: "https://evil.example/x", token: "t", email: "a@example.org" }, { token: "t", email: "a@example.org", next: "/requests" }],
    ["a link with a path", { callbackUrl: "/requests/RD-AAAA-AAAA", token: "t", email: "a@example.org" }, { token: "t", email: "a@example.org", next: "/requests/RD-AAAA-AAAA" }],
    ["a destination that is not an address", { callbackUrl: "\r\nLocation: x", token: "t", email: "a@example.org" }, { token: "t", email: "a@example.org", next: "/requests" }],
    ["a link missing everything", {}, { token: "", email: "", next: "/requests" }],
  ])("%s now opens the link page with the same token and address", (_what, query, expected) => {
    const target = new URL(linkPageForOldLink(old(query), appUrl));
    expect(`${target.origin}${target.pathname}`).toBe(`${appUrl}/signin/link`);
    expect(Object.fromEntries(target.searchParams)).toEqual(expected);
  });
});
