import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "@/lib/limits/policy";
import { parseSettings, type Settings } from "./settings";

const CWD = path.resolve("/srv/rightsdesk");

function settingsOf(env: Record<string, string | undefined>): Settings {
  const result = parseSettings(env, CWD);
  if (!result.ok) throw new Error(`expected valid settings, got: ${result.message}`);
  return result.settings;
}

describe("parseSettings: defaults", () => {
  it("works with an empty environment", () => {
    expect(settingsOf({})).toEqual({
      port: 3000,
      appUrl: "http://localhost:3000",
      databasePath: path.join(CWD, "data", "rightsdesk.db"),
      smtpUrl: null,
      mailDir: path.join(CWD, "data", "mail"),
      mailFrom: "Rightsdesk <no-reply@localhost>",
      authSecret: null,
      orgName: "Our organisation",
      regime: "gdpr",
      timeZone: "UTC",
      dataDir: path.join(CWD, "data"),
      trustProxy: 0,
      limits: DEFAULT_LIMITS,
    });
  });

  it("treats blank values as unset", () => {
    expect(settingsOf({ PORT: " ", APP_URL: "", SMTP_URL: "  ", REGIME: "" })).toEqual(settingsOf({}));
  });

  it("takes the APP_URL default from PORT", () => {
    expect(settingsOf({ PORT: "8080" })).toMatchObject({ port: 8080, appUrl: "http://localhost:8080" });
  });

  it.each([
    ["https://rights.example.org/", "https://rights.example.org"],
    ["https://example.org/rights//", "https://example.org/rights"],
    ["http://127.0.0.1:3999", "http://127.0.0.1:3999"],
  ])("APP_URL %s becomes %s", (value, expected) => {
    expect(settingsOf({ APP_URL: value }).appUrl).toBe(expected);
  });

  it("reads every variable", () => {
    expect(
      settingsOf({
        PORT: "4000",
        APP_URL: "https://rights.example.org",
        DATABASE_PATH: "/var/lib/rd/db.sqlite",
        SMTP_URL: "smtps://user:pw@mail.example.org:465",
        MAIL_DIR: "out/mail",
        MAIL_FROM: "Example Rights <rights@example.org>",
        AUTH_SECRET: "s".repeat(32),
        ORG_NAME: "Example Trust",
        REGIME: "CCPA",
        TIME_ZONE: "America/Los_Angeles",
        TRUST_PROXY: "true",
        LIMIT_LINKS_PER_ADDRESS_HOUR: "5",
        LIMIT_LINKS_PER_ADDRESS_DAY: "12",
        LIMIT_LINK_REQUESTS_PER_IP_HOUR: "40",
        LIMIT_DRAFTS_PER_IP_HOUR: "15",
        LIMIT_LINK_FAILURES_PER_IP_15_MIN: "8",
        LIMIT_MAIL_PER_ADDRESS_DAY: "30",
        LIMIT_OPEN_REQUESTS_PER_TYPE: "2",
        LIMIT_ACCESS_REQUESTS_PER_YEAR: "3",
        LIMIT_REPEAT_ACCESS_MONTHS: "6",
      }),
    ).toEqual({
      port: 4000,
      appUrl: "https://rights.example.org",
      databasePath: path.resolve("/var/lib/rd/db.sqlite"),
      smtpUrl: "smtps://user:pw@mail.example.org:465",
      mailDir: path.join(CWD, "out", "mail"),
      mailFrom: "Example Rights <rights@example.org>",
      authSecret: "s".repeat(32),
      orgName: "Example Trust",
      regime: "ccpa",
      timeZone: "America/Los_Angeles",
      dataDir: path.join(CWD, "data"),
      trustProxy: 1,
      limits: {
        linksPerAddressPerHour: 5,
        linksPerAddressPerDay: 12,
        linkRequestsPerIpPerHour: 40,
        draftsPerIpPerHour: 15,
        linkFailuresPerIpPer15Minutes: 8,
        mailPerAddressPerDay: 30,
        openRequestsPerType: 2,
        accessRequestsPerYear: 3,
        repeatAccessMonths: 6,
      },
    });
  });

  it.each([
    ["false", 0],
    ["0", 0],
    ["TRUE", 1],
    ["1", 1],
    ["2", 2],
  ])("TRUST_PROXY=%s counts %i proxies", (value, proxies) => {
    expect(settingsOf({ TRUST_PROXY: value }).trustProxy).toBe(proxies);
  });

  it("sets each limit on its own, leaving the others at their defaults", () => {
    expect(settingsOf({ LIMIT_LINKS_PER_ADDRESS_HOUR: "7" }).limits).toEqual({ ...DEFAULT_LIMITS, linksPerAddressPerHour: 7 });
  });
});

describe("parseSettings: bad values", () => {
  it.each<[string, Record<string, string>]>([
    ["PORT", { PORT: "abc" }],
    ["PORT", { PORT: "0" }],
    ["PORT", { PORT: "70000" }],
    ["PORT", { PORT: "3.5" }],
    ["PORT", { PORT: "-1" }],
    ["PORT", { PORT: "1e3" }],
    ["APP_URL", { APP_URL: "ftp://x" }],
    ["APP_URL", { APP_URL: "not a url" }],
    ["APP_URL", { APP_URL: "https://example.org/?a=1" }],
    ["SMTP_URL", { SMTP_URL: "http://x" }],
    ["SMTP_URL", { SMTP_URL: "mail.example.org" }],
    ["MAIL_FROM", { MAIL_FROM: "Rights <rights@example.org>\nBcc: victim@example.org" }],
    ["MAIL_FROM", { MAIL_FROM: "rights@example.org\r\nBcc: victim@example.org" }],
    ["MAIL_FROM", { MAIL_FROM: "nobody" }],
    ["AUTH_SECRET", { AUTH_SECRET: "short" }],
    ["AUTH_SECRET", { AUTH_SECRET: "s".repeat(31) }],
    ["REGIME", { REGIME: "hipaa" }],
    ["TIME_ZONE", { TIME_ZONE: "Mars/Olympus" }],
    ["ORG_NAME", { ORG_NAME: "Example\nTrust" }],
    ["ORG_NAME", { ORG_NAME: "x".repeat(121) }],
    ["TRUST_PROXY", { TRUST_PROXY: "yes" }],
    ["TRUST_PROXY", { TRUST_PROXY: "10.0.0.0/8" }],
    ["LIMIT_LINKS_PER_ADDRESS_HOUR", { LIMIT_LINKS_PER_ADDRESS_HOUR: "0" }],
    ["LIMIT_MAIL_PER_ADDRESS_DAY", { LIMIT_MAIL_PER_ADDRESS_DAY: "lots" }],
    ["LIMIT_OPEN_REQUESTS_PER_TYPE", { LIMIT_OPEN_REQUESTS_PER_TYPE: "1.5" }],
  ])("%s=%j is refused with a message naming it", (variable, env) => {
    const result = parseSettings(env, CWD);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message.startsWith(`${variable} `)).toBe(true);
    // One sentence, not a stack trace.
    expect(result.message).not.toMatch(/\n\s+at /);
    expect(result.message).toMatch(/\.$/);
  });

  it("does not repeat an SMTP password in its message", () => {
    const result = parseSettings({ SMTP_URL: "http://user:hunter2@mail.example.org" }, CWD);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toContain("hunter2");
  });
});
