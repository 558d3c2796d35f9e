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
      listenHost: null,
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
      orgContactEmail: "no-reply@localhost",
      orgLogoUrl: null,
      complaintAuthority: null,
      mailWorker: "server",
      mailRatePerSecond: 5,
      mailMaxAttempts: 10,
      serverHeapMb: 256,
      mailRetrySeconds: 30,
      mailRetryMaxSeconds: 3600,
      newRequestNotice: "team",
      digestHour: 8,
      trustProxy: 0,
      limits: DEFAULT_LIMITS,
      benchRoutes: false,
      webhookAllowPrivateHosts: [],
      agentCallbackAllowPrivateHosts: [],
      defaultLanguage: "en",
      languages: ["en", "fr", "es", "de"],
      signingKeyFile: path.join(CWD, "data", "signing-key.pem"),
      anchorFile: path.join(CWD, "data", "anchors.jsonl"),
      requestRetentionMonths: 36,
      backupDir: null,
      backupKeep: 7,
      staffIdleMinutes: 30,
      unchangedDefaults: ["MAIL_FROM", "ORG_CONTACT_EMAIL", "ORG_NAME", "APP_URL"],
    });
  });

  it("treats blank values as unset", () => {
    expect(
      settingsOf({ PORT: " ", APP_URL: "", SMTP_URL: "  ", REGIME: "", MAIL_RATE: " ", DIGEST_HOUR: "", NEW_REQUEST_NOTICE: "" }),
    ).toEqual(settingsOf({}));
  });

  it.each([
    ["Example Rights <rights@example.org>", "rights@example.org"],
    ["rights@example.org", "rights@example.org"],
  ])("takes the contact address from MAIL_FROM %s when ORG_CONTACT_EMAIL is unset", (mailFrom, contact) => {
    expect(settingsOf({ MAIL_FROM: mailFrom }).orgContactEmail).toBe(contact);
  });

  it.each<[string, Settings["newRequestNotice"]]>([
    ["team", "team"],
    ["TEAM", "team"],
    ["off", "off"],
    ["Lead@Example.org", { assignee: "lead@example.org" }],
  ])("NEW_REQUEST_NOTICE=%s means %j", (value, expected) => {
    expect(settingsOf({ NEW_REQUEST_NOTICE: value }).newRequestNotice).toEqual(expected);
  });

  it.each<[string, number | null]>([
    ["0", 0],
    ["7", 7],
    ["23", 23],
    ["off", null],
    ["OFF", null],
  ])("DIGEST_HOUR=%s means %j", (value, expected) => {
    expect(settingsOf({ DIGEST_HOUR: value }).digestHour).toBe(expected);
  });

  it.each([
    ["0.5", 0.5],
    ["5", 5],
    ["1000", 1000],
  ])("MAIL_RATE=%s is %d messages a second", (value, expected) => {
    expect(settingsOf({ MAIL_RATE: value }).mailRatePerSecond).toBe(expected);
  });

  it.each([
    [undefined, null],
    ["127.0.0.1", "127.0.0.1"],
    ["::1", "::1"],
    ["localhost", "localhost"],
  ])("LISTEN_HOST=%s listens on %s (null: every interface)", (value, expected) => {
    expect(settingsOf(value === undefined ? {} : { LISTEN_HOST: value }).listenHost).toBe(expected);
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
        LISTEN_HOST: "127.0.0.1",
        APP_URL: "https://rights.example.org",
        DATABASE_PATH: "/var/lib/rd/db.sqlite",
        SMTP_URL: "smtps://user:pw@mail.example.org:465",
        MAIL_DIR: "out/mail",
        MAIL_FROM: "Example Rights <rights@example.org>",
        AUTH_SECRET: "s".repeat(32),
        ORG_NAME: "Example Trust",
        REGIME: "CCPA",
        TIME_ZONE: "America/Los_Angeles",
        ORG_CONTACT_EMAIL: "privacy@example.org",
        ORG_LOGO_URL: "https://example.org/logo.png",
        COMPLAINT_AUTHORITY: " the Information Regulator (South Africa), inforegulator.org.za ",
        MAIL_WORKER: "Separate",
        MAIL_RATE: "2.5",
        MAIL_MAX_ATTEMPTS: "4",
        SERVER_HEAP_MB: "512",
        MAIL_RETRY_SECONDS: "5",
        MAIL_RETRY_MAX_SECONDS: "60",
        NEW_REQUEST_NOTICE: "off",
        DIGEST_HOUR: "6",
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
        BENCH_ROUTES: "1",
        WEBHOOK_ALLOW_PRIVATE_HOSTS: "crm.internal, 10.0.0.5",
        DEFAULT_LANGUAGE: "fr",
        LANGUAGES: "fr,en",
        SIGNING_KEY_FILE: "/etc/rightsdesk/signing-key.pem",
        ANCHOR_FILE: "/mnt/elsewhere/anchors.jsonl",
        REQUEST_RETENTION_MONTHS: "24",
        BACKUP_DIR: "backups",
        BACKUP_KEEP: "30",
        STAFF_IDLE_MINUTES: "15",
      }),
    ).toEqual({
      port: 4000,
      listenHost: "127.0.0.1",
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
      orgContactEmail: "privacy@example.org",
      orgLogoUrl: "https://example.org/logo.png",
      complaintAuthority: "the Information Regulator (South Africa), inforegulator.org.za",
      mailWorker: "separate",
      mailRatePerSecond: 2.5,
      mailMaxAttempts: 4,
      serverHeapMb: 512,
      mailRetrySeconds: 5,
      mailRetryMaxSeconds: 60,
      newRequestNotice: "off",
      digestHour: 6,
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
      benchRoutes: true,
      webhookAllowPrivateHosts: ["crm.internal", "10.0.0.5"],
      agentCallbackAllowPrivateHosts: [],
      defaultLanguage: "fr",
      languages: ["fr", "en"],
      signingKeyFile: path.resolve("/etc/rightsdesk/signing-key.pem"),
      anchorFile: path.resolve("/mnt/elsewhere/anchors.jsonl"),
      requestRetentionMonths: 24,
      backupDir: path.join(CWD, "backups"),
      backupKeep: 30,
      staffIdleMinutes: 15,
      unchangedDefaults: [],
    });
  });

  it.each<[string, string[]]>([
    ["crm.internal", ["crm.internal"]],
    ["CRM.Internal., hooks.example.org", ["crm.internal", "hooks.example.org"]],
    // Every spelling of an address is that address, so the allow-list and the check compare like with like.
    ["127.0.0.1,0x7f.1,2130706433", ["127.0.0.1"]],
    ["[::1], ::FFFF:10.0.0.5", ["::1", "10.0.0.5"]],
    [" , localhost ,", ["localhost"]],
  ])("WEBHOOK_ALLOW_PRIVATE_HOSTS=%j allows %j", (value, hosts) => {
    expect(settingsOf({ WEBHOOK_ALLOW_PRIVATE_HOSTS: value }).webhookAllowPrivateHosts).toEqual(hosts);
  });

  // Agents are outside parties: the hosts allowed for the organisation's own systems are never theirs.
  it.each<[Record<string, string>, string[]]>([
    [{ WEBHOOK_ALLOW_PRIVATE_HOSTS: "crm.internal,10.0.0.5" }, []],
    [{ AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS: "agent.test.internal, 127.0.0.2" }, ["agent.test.internal", "127.0.0.2"]],
    [{ WEBHOOK_ALLOW_PRIVATE_HOSTS: "crm.internal", AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS: "0x7f.0.0.2" }, ["127.0.0.2"]],
  ])("with %j agents' callbacks may reach the private hosts %j", (env, hosts) => {
    expect(settingsOf(env).agentCallbackAllowPrivateHosts).toEqual(hosts);
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

  it.each([
    ["1", true],
    ["TRUE", true],
    ["0", false],
    ["false", false],
    ["", false],
  ])("BENCH_ROUTES=%s serves the benchmark routes: %s", (value, on) => {
    expect(settingsOf({ BENCH_ROUTES: value }).benchRoutes).toBe(on);
  });

  it.each<[Record<string, string>, string, string[]]>([
    [{ DEFAULT_LANGUAGE: "fr" }, "fr", ["fr", "en", "es", "de"]],
    [{ DEFAULT_LANGUAGE: " DE " }, "de", ["de", "en", "fr", "es"]],
    [{ LANGUAGES: "en,fr" }, "en", ["en", "fr"]],
    [{ LANGUAGES: "fr, EN ,fr" }, "en", ["en", "fr"]],
    [{ DEFAULT_LANGUAGE: "es", LANGUAGES: "en,es" }, "es", ["es", "en"]],
    [{ DEFAULT_LANGUAGE: "de", LANGUAGES: "de" }, "de", ["de"]],
  ])("reads the languages from %j: default %s, offered %j (the default first)", (env, defaultLanguage, languages) => {
    const settings = settingsOf(env);
    expect(settings.defaultLanguage).toBe(defaultLanguage);
    expect(settings.languages).toEqual(languages);
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
    ["LISTEN_HOST", { LISTEN_HOST: "rights.example.org" }],
    ["LISTEN_HOST", { LISTEN_HOST: "127.0.0.1:3000" }],
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
    ["ORG_CONTACT_EMAIL", { ORG_CONTACT_EMAIL: "privacy" }],
    ["ORG_CONTACT_EMAIL", { ORG_CONTACT_EMAIL: "Privacy <privacy@example.org>" }],
    ["ORG_CONTACT_EMAIL", { ORG_CONTACT_EMAIL: "privacy@example.org\nBcc: victim@example.org" }],
    ["ORG_LOGO_URL", { ORG_LOGO_URL: "javascript:alert(1)" }],
    ["ORG_LOGO_URL", { ORG_LOGO_URL: "logo.png" }],
    ["COMPLAINT_AUTHORITY", { COMPLAINT_AUTHORITY: "the ICO\nand more" }],
    ["COMPLAINT_AUTHORITY", { COMPLAINT_AUTHORITY: "x".repeat(301) }],
    ["MAIL_WORKER", { MAIL_WORKER: "both" }],
    ["MAIL_RATE", { MAIL_RATE: "0" }],
    ["MAIL_RATE", { MAIL_RATE: "-1" }],
    ["MAIL_RATE", { MAIL_RATE: "fast" }],
    ["MAIL_RATE", { MAIL_RATE: "1001" }],
    ["MAIL_MAX_ATTEMPTS", { MAIL_MAX_ATTEMPTS: "0" }],
    ["MAIL_MAX_ATTEMPTS", { MAIL_MAX_ATTEMPTS: "2.5" }],
    ["MAIL_MAX_ATTEMPTS", { MAIL_MAX_ATTEMPTS: "101" }],
    ["SERVER_HEAP_MB", { SERVER_HEAP_MB: "127" }],
    ["SERVER_HEAP_MB", { SERVER_HEAP_MB: "1g" }],
    ["SERVER_HEAP_MB", { SERVER_HEAP_MB: "16385" }],
    ["MAIL_RETRY_SECONDS", { MAIL_RETRY_SECONDS: "0" }],
    ["MAIL_RETRY_SECONDS", { MAIL_RETRY_SECONDS: "1m" }],
    ["MAIL_RETRY_MAX_SECONDS", { MAIL_RETRY_MAX_SECONDS: "86401" }],
    ["MAIL_RETRY_MAX_SECONDS", { MAIL_RETRY_SECONDS: "60", MAIL_RETRY_MAX_SECONDS: "30" }],
    ["MAIL_RETRY_MAX_SECONDS", { MAIL_RETRY_MAX_SECONDS: "10" }],
    ["NEW_REQUEST_NOTICE", { NEW_REQUEST_NOTICE: "everyone" }],
    ["DIGEST_HOUR", { DIGEST_HOUR: "24" }],
    ["DIGEST_HOUR", { DIGEST_HOUR: "8am" }],
    ["DIGEST_HOUR", { DIGEST_HOUR: "-1" }],
    ["TRUST_PROXY", { TRUST_PROXY: "yes" }],
    ["TRUST_PROXY", { TRUST_PROXY: "10.0.0.0/8" }],
    ["BENCH_ROUTES", { BENCH_ROUTES: "yes" }],
    ["STAFF_IDLE_MINUTES", { STAFF_IDLE_MINUTES: "0" }],
    ["STAFF_IDLE_MINUTES", { STAFF_IDLE_MINUTES: "721" }],
    ["STAFF_IDLE_MINUTES", { STAFF_IDLE_MINUTES: "1h" }],
    ["WEBHOOK_ALLOW_PRIVATE_HOSTS", { WEBHOOK_ALLOW_PRIVATE_HOSTS: "http://crm.internal/" }],
    ["WEBHOOK_ALLOW_PRIVATE_HOSTS", { WEBHOOK_ALLOW_PRIVATE_HOSTS: "crm.internal:8080" }],
    ["WEBHOOK_ALLOW_PRIVATE_HOSTS", { WEBHOOK_ALLOW_PRIVATE_HOSTS: "*.internal" }],
    ["WEBHOOK_ALLOW_PRIVATE_HOSTS", { WEBHOOK_ALLOW_PRIVATE_HOSTS: "10.0.0.0/8" }],
    ["AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS", { AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS: "https://agent.test/" }],
    ["DEFAULT_LANGUAGE", { DEFAULT_LANGUAGE: "nl" }],
    ["DEFAULT_LANGUAGE", { DEFAULT_LANGUAGE: "fr-FR" }],
    ["LANGUAGES", { LANGUAGES: "en,nl" }],
    ["LANGUAGES", { LANGUAGES: "," }],
    ["LANGUAGES", { LANGUAGES: "fr,es" }],
    ["LANGUAGES", { DEFAULT_LANGUAGE: "de", LANGUAGES: "en,fr" }],
    ["LIMIT_LINKS_PER_ADDRESS_HOUR", { LIMIT_LINKS_PER_ADDRESS_HOUR: "0" }],
    ["LIMIT_MAIL_PER_ADDRESS_DAY", { LIMIT_MAIL_PER_ADDRESS_DAY: "lots" }],
    ["LIMIT_OPEN_REQUESTS_PER_TYPE", { LIMIT_OPEN_REQUESTS_PER_TYPE: "1.5" }],
    ["SIGNING_KEY_FILE", { SIGNING_KEY_FILE: "/etc/rightsdesk/" }],
    ["ANCHOR_FILE", { ANCHOR_FILE: "anchors/" }],
    ["REQUEST_RETENTION_MONTHS", { REQUEST_RETENTION_MONTHS: "0" }],
    ["REQUEST_RETENTION_MONTHS", { REQUEST_RETENTION_MONTHS: "3 years" }],
    ["REQUEST_RETENTION_MONTHS", { REQUEST_RETENTION_MONTHS: "1201" }],
    ["BACKUP_KEEP", { BACKUP_KEEP: "0" }],
    ["BACKUP_KEEP", { BACKUP_KEEP: "all" }],
  ])("%s=%j is refused with a message naming it", (variable, env) => {
    const result = parseSettings(env, CWD);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message.startsWith(`${variable} `)).toBe(true);
    // One sentence, not a stack trace.
    expect(result.message).not.toMatch(/\n\s+at /);
    expect(result.message).toMatch(/\.$/);
  });

  it.each([
    [{ LANGUAGES: "fr,es" }, 'LANGUAGES must be a comma-separated list of en, fr, es, de that includes DEFAULT_LANGUAGE (en, as it is unset), but it is "fr,es".'],
    [{ DEFAULT_LANGUAGE: "de", LANGUAGES: "en,fr" }, 'LANGUAGES must be a comma-separated list of en, fr, es, de that includes DEFAULT_LANGUAGE (de), but it is "en,fr".'],
  ])("a LANGUAGES without the default language names that language, set or not: %j", (env, message) => {
    expect(parseSettings(env, CWD)).toEqual({ ok: false, message });
  });

  it("does not repeat an SMTP password in its message", () => {
    const result = parseSettings({ SMTP_URL: "http://user:hunter2@mail.example.org" }, CWD);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toContain("hunter2");
  });
});
