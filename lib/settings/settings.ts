/**
 * The administrator's settings, read from environment variables and checked
 * once with zod. A bad value yields one sentence naming the variable.
 */
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { REGIMES, type Regime } from "@/db/schema";
import { DEFAULT_LIMITS, LIMIT_VARIABLES, type LimitSettings } from "@/lib/limits/policy";
import { normalizeHostEntry } from "@/lib/http/outbound-address";
import { isLanguage, LANGUAGES, type Language } from "@/lib/language/languages";
import { DEFAULT_MAIL_FROM, DEFAULT_ORG_NAME, misleadingDefaults, type MisleadingDefault } from "./defaults";

/**
 * Who hears of a new request: every staff member, nobody, or one staff
 * member to whom new requests are assigned as they arrive.
 */
export type NewRequestNotice = "team" | "off" | { assignee: string };

export type Settings = {
  port: number;
  /** The address the server listens on; null: every interface. */
  listenHost: string | null;
  appUrl: string;
  databasePath: string;
  smtpUrl: string | null;
  mailDir: string;
  mailFrom: string;
  /** Null when AUTH_SECRET is unset: the caller loads or creates the secret file. */
  authSecret: string | null;
  orgName: string;
  regime: Regime;
  timeZone: string;
  dataDir: string;
  /** Where supporters can write to; shown in every email and used as its Reply-To. */
  orgContactEmail: string;
  orgLogoUrl: string | null;
  /**
   * The authority supporters may complain to, as the organisation names it
   * (COMPLAINT_AUTHORITY); null: the regime's own sentence (the UK's and the
   * EU's authorities under gdpr, a state's regulator under ccpa).
   */
  complaintAuthority: string | null;
  /** "server": the web server sends mail itself; "separate": only `npm run mail:worker` does. */
  mailWorker: "server" | "separate";
  /** Most messages sent per second, over all workers together. */
  mailRatePerSecond: number;
  /** Failed tries before a message is marked failed and admins are told. */
  mailMaxAttempts: number;
  /** Wait before the first retry; it doubles with each failure up to `mailRetryMaxSeconds`. */
  mailRetrySeconds: number;
  mailRetryMaxSeconds: number;
  newRequestNotice: NewRequestNotice;
  /** Hour of the day (organisation's time zone) the staff digest goes out; null when turned off. */
  digestHour: number | null;
  /** How many reverse proxies in front of the portal append to X-Forwarded-For; 0 ignores that header. */
  trustProxy: number;
  limits: LimitSettings;
  /** Serves the benchmark's comparison routes under /bench (see scripts/bench); off everywhere else. */
  benchRoutes: boolean;
  /**
   * The web server's JavaScript heap limit, in MB. Without one, V8 lets the
   * heap grow far past what the server uses before it collects.
   */
  serverHeapMb: number;
  /**
   * Hosts (names or addresses, normalised) whose webhooks may be called
   * although they lead to a private, loopback or other internal address.
   */
  webhookAllowPrivateHosts: string[];
  /**
   * Hosts an authorised agent's status_callback may lead to although they are
   * private: never those of webhookAllowPrivateHosts, which are the
   * organisation's own systems, since an agent is an outside party.
   */
  agentCallbackAllowPrivateHosts: string[];
  /** The language supporters are answered in when neither their choice nor their browser's settles it. */
  defaultLanguage: Language;
  /** The languages supporters may choose from, the default first. */
  languages: Language[];
  /** The organisation's Ed25519 key (see ./signing-key.ts): signs the log's anchors and supporters' receipts. */
  signingKeyFile: string;
  /** Where each signed anchor of the event log's head is appended, one line each. */
  anchorFile: string;
  /** Months after closing that a request keeps more than its statistics. */
  requestRetentionMonths: number;
  /** Where `npm run backup` and the worker's daily backup write; null: no daily backup. */
  backupDir: string | null;
  /** How many backups are kept in `backupDir`; older ones are deleted. */
  backupKeep: number;
  /** Minutes a staff session may go unused before it ends (supporters' sessions end only after their 12 hours). */
  staffIdleMinutes: number;
  /** The settings still at a default that misleads people once the portal is in real use (see ./defaults.ts). */
  unchangedDefaults: MisleadingDefault[];
};

/** A staff session unused for this long has ended, unless STAFF_IDLE_MINUTES says otherwise. */
export const DEFAULT_STAFF_IDLE_MINUTES = 30;

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; message: string };

type Env = Record<string, string | undefined>;

// Anything below a space, and DEL: never wanted in a one-line setting.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const MAILBOX = /^[^\s@<>"]+@[^\s@<>"]+$/;

/** An unset or blank variable counts as absent, so `FOO=` means "use the default". */
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

function urlWithProtocol(value: string, protocols: string[]): URL | null {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname !== "" ? url : null;
  } catch {
    return null;
  }
}

function isValidTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The bare address in `Name <address>` or `address`. */
function addressPart(value: string): string {
  const named = /^(.*)<([^<>]+)>$/.exec(value);
  return named ? (named[2] ?? "").trim() : value;
}

function isValidFromAddress(value: string): boolean {
  if (CONTROL_CHARACTERS.test(value)) return false;
  return MAILBOX.test(addressPart(value));
}

function isMailbox(value: string): boolean {
  return !CONTROL_CHARACTERS.test(value) && value.length <= 254 && MAILBOX.test(value);
}

/** A whole number within bounds, written as plain digits; a wrong one is reported under its variable's name. */
function wholeNumber(min: number, max: number) {
  return optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,9}$/)
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .optional(),
  );
}

const NOTICE_CHOICES = ["team", "off"] as const;
/** "true" means one proxy; a number counts proxies; "false" or unset ignores X-Forwarded-For. */
const trustProxy = optionalText.transform((v, ctx) => {
  const value = v?.toLowerCase();
  if (value === undefined || value === "false" || value === "0") return 0;
  if (value === "true") return 1;
  if (/^[1-9]$/.test(value)) return Number(value);
  ctx.addIssue({ code: "custom", message: "TRUST_PROXY" });
  return 0;
});

/** An on/off switch: "1" or "true" turns it on; unset, "0" or "false" leaves it off. */
function onOff(variable: string) {
  return optionalText
    .transform((v) => v?.toLowerCase())
    .refine((v) => v === undefined || ["0", "1", "false", "true"].includes(v), { message: variable })
    .transform((v) => v === "1" || v === "true");
}

/** A comma-separated list of host names or IP addresses; every entry must be one. */
function hostList(variable: string) {
  return optionalText.transform((v, ctx) => {
    const entries = (v ?? "").split(",").map((e) => e.trim()).filter((e) => e !== "");
    const hosts = entries.map(normalizeHostEntry);
    if (hosts.some((h) => h === null)) ctx.addIssue({ code: "custom", message: variable });
    return [...new Set(hosts.filter((h): h is string => h !== null))];
  });
}

/** A language code the portal has a catalogue for. */
const languageCode = optionalText.transform((v) => v?.toLowerCase()).refine((v) => v === undefined || isLanguage(v), { message: "DEFAULT_LANGUAGE" });

/** A comma-separated list of language codes, each with a catalogue. */
const languageList = optionalText.transform((v, ctx) => {
  if (v === undefined) return undefined;
  const codes = v.split(",").map((c) => c.trim().toLowerCase()).filter((c) => c !== "");
  if (codes.length === 0 || !codes.every(isLanguage)) ctx.addIssue({ code: "custom", message: "LANGUAGES" });
  return [...new Set(codes.filter(isLanguage))];
});

/** A limit: a whole number of times, at least 1. */
const limitCount = wholeNumber(1, 9_999_999);

const limitSchemas = Object.fromEntries(Object.values(LIMIT_VARIABLES).map((variable) => [variable, limitCount])) as Record<
  (typeof LIMIT_VARIABLES)[keyof LimitSettings],
  typeof limitCount
>;

/** One schema per variable, each with the sentence shown when it is wrong. */
function settingsSchema(cwd: string) {
  return z
    .object({
      PORT: wholeNumber(1, 65535),
      LISTEN_HOST: optionalText.refine((v) => v === undefined || isIP(v) !== 0 || v === "localhost", { message: "LISTEN_HOST" }),
      APP_URL: optionalText.refine(
        (v) => v === undefined || (urlWithProtocol(v, ["http:", "https:"]) !== null && !/[?#]/.test(v)),
        { message: "APP_URL" },
      ),
      DATABASE_PATH: optionalText.refine((v) => v === undefined || !/[/\\]$/.test(v), { message: "DATABASE_PATH" }),
      SMTP_URL: optionalText.refine((v) => v === undefined || urlWithProtocol(v, ["smtp:", "smtps:"]) !== null, {
        message: "SMTP_URL",
      }),
      MAIL_DIR: optionalText,
      MAIL_FROM: optionalText.refine((v) => v === undefined || isValidFromAddress(v), { message: "MAIL_FROM" }),
      AUTH_SECRET: optionalText.refine((v) => v === undefined || v.length >= 32, { message: "AUTH_SECRET" }),
      ORG_NAME: optionalText.refine((v) => v === undefined || (v.length <= 120 && !CONTROL_CHARACTERS.test(v)), {
        message: "ORG_NAME",
      }),
      REGIME: optionalText.transform((v) => v?.toLowerCase()).pipe(z.enum(REGIMES).optional()),
      TIME_ZONE: optionalText.refine((v) => v === undefined || isValidTimeZone(v), { message: "TIME_ZONE" }),
      TRUST_PROXY: trustProxy,
      BENCH_ROUTES: onOff("BENCH_ROUTES"),
      ...limitSchemas,
      ORG_CONTACT_EMAIL: optionalText.refine((v) => v === undefined || isMailbox(v), { message: "ORG_CONTACT_EMAIL" }),
      ORG_LOGO_URL: optionalText.refine(
        (v) => v === undefined || (urlWithProtocol(v, ["http:", "https:"]) !== null && !CONTROL_CHARACTERS.test(v)),
        { message: "ORG_LOGO_URL" },
      ),
      COMPLAINT_AUTHORITY: optionalText.refine((v) => v === undefined || (v.length <= 300 && !CONTROL_CHARACTERS.test(v)), {
        message: "COMPLAINT_AUTHORITY",
      }),
      MAIL_WORKER: optionalText.transform((v) => v?.toLowerCase()).pipe(z.enum(["server", "separate"]).optional()),
      MAIL_RATE: optionalText.refine(
        (v) => v === undefined || (/^\d{1,4}(\.\d{1,3})?$/.test(v) && Number(v) > 0 && Number(v) <= 1000),
        { message: "MAIL_RATE" },
      ),
      MAIL_MAX_ATTEMPTS: wholeNumber(1, 100),
      SERVER_HEAP_MB: wholeNumber(128, 16_384),
      MAIL_RETRY_SECONDS: wholeNumber(1, 86_400),
      MAIL_RETRY_MAX_SECONDS: wholeNumber(1, 86_400),
      NEW_REQUEST_NOTICE: optionalText
        .transform((v) => v?.toLowerCase())
        .refine((v) => v === undefined || NOTICE_CHOICES.some((c) => c === v) || isMailbox(v), {
          message: "NEW_REQUEST_NOTICE",
        }),
      WEBHOOK_ALLOW_PRIVATE_HOSTS: hostList("WEBHOOK_ALLOW_PRIVATE_HOSTS"),
      AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS: hostList("AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS"),
      DEFAULT_LANGUAGE: languageCode,
      LANGUAGES: languageList,
      SIGNING_KEY_FILE: optionalText.refine((v) => v === undefined || !/[/\\]$/.test(v), { message: "SIGNING_KEY_FILE" }),
      ANCHOR_FILE: optionalText.refine((v) => v === undefined || !/[/\\]$/.test(v), { message: "ANCHOR_FILE" }),
      REQUEST_RETENTION_MONTHS: wholeNumber(1, 1200),
      BACKUP_DIR: optionalText,
      BACKUP_KEEP: wholeNumber(1, 1000),
      STAFF_IDLE_MINUTES: wholeNumber(1, 720),
      DIGEST_HOUR: optionalText.refine((v) => v === undefined || v.toLowerCase() === "off" || (/^\d{1,2}$/.test(v) && Number(v) <= 23), {
        message: "DIGEST_HOUR",
      }),
    })
    // The default must be one of the languages offered.
    .refine((env) => env.LANGUAGES === undefined || env.LANGUAGES.includes((env.DEFAULT_LANGUAGE ?? "en") as Language), {
      message: "LANGUAGES",
      path: ["LANGUAGES"],
    })
    // The cap on the wait between retries cannot be below the first wait.
    .refine((env) => (env.MAIL_RETRY_MAX_SECONDS ?? 3600) >= (env.MAIL_RETRY_SECONDS ?? 30), {
      message: "MAIL_RETRY_MAX_SECONDS",
      path: ["MAIL_RETRY_MAX_SECONDS"],
    })
    .transform((env): Settings => {
      const port = env.PORT ?? 3000;
      const mailFrom = env.MAIL_FROM ?? DEFAULT_MAIL_FROM;
      const defaultLanguage = (env.DEFAULT_LANGUAGE ?? "en") as Language;
      return {
        port,
        listenHost: env.LISTEN_HOST ?? null,
        appUrl: (env.APP_URL ?? `http://localhost:${port}`).replace(/\/+$/, ""),
        databasePath: path.resolve(cwd, env.DATABASE_PATH ?? "data/rightsdesk.db"),
        smtpUrl: env.SMTP_URL ?? null,
        mailDir: path.resolve(cwd, env.MAIL_DIR ?? "data/mail"),
        mailFrom,
        authSecret: env.AUTH_SECRET ?? null,
        orgName: env.ORG_NAME ?? DEFAULT_ORG_NAME,
        regime: env.REGIME ?? "gdpr",
        timeZone: env.TIME_ZONE ?? "UTC",
        dataDir: path.resolve(cwd, "data"),
        orgContactEmail: env.ORG_CONTACT_EMAIL ?? addressPart(mailFrom),
        orgLogoUrl: env.ORG_LOGO_URL ?? null,
        complaintAuthority: env.COMPLAINT_AUTHORITY ?? null,
        mailWorker: env.MAIL_WORKER ?? "server",
        mailRatePerSecond: Number(env.MAIL_RATE ?? 5),
        mailMaxAttempts: env.MAIL_MAX_ATTEMPTS ?? 10,
        serverHeapMb: env.SERVER_HEAP_MB ?? 256,
        mailRetrySeconds: env.MAIL_RETRY_SECONDS ?? 30,
        mailRetryMaxSeconds: env.MAIL_RETRY_MAX_SECONDS ?? 3600,
        newRequestNotice:
          env.NEW_REQUEST_NOTICE === undefined || env.NEW_REQUEST_NOTICE === "team"
            ? "team"
            : env.NEW_REQUEST_NOTICE === "off"
              ? "off"
              : { assignee: env.NEW_REQUEST_NOTICE },
        digestHour: env.DIGEST_HOUR === undefined ? 8 : env.DIGEST_HOUR.toLowerCase() === "off" ? null : Number(env.DIGEST_HOUR),
        trustProxy: env.TRUST_PROXY,
        limits: Object.fromEntries(
          (Object.keys(LIMIT_VARIABLES) as Array<keyof LimitSettings>).map((name) => [
            name,
            env[LIMIT_VARIABLES[name]] ?? DEFAULT_LIMITS[name],
          ]),
        ) as LimitSettings,
        benchRoutes: env.BENCH_ROUTES,
        webhookAllowPrivateHosts: env.WEBHOOK_ALLOW_PRIVATE_HOSTS,
        agentCallbackAllowPrivateHosts: env.AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS,
        defaultLanguage,
        languages: [defaultLanguage, ...(env.LANGUAGES ?? LANGUAGES).filter((l) => l !== defaultLanguage)],
        signingKeyFile: path.resolve(cwd, env.SIGNING_KEY_FILE ?? "data/signing-key.pem"),
        anchorFile: path.resolve(cwd, env.ANCHOR_FILE ?? "data/anchors.jsonl"),
        requestRetentionMonths: env.REQUEST_RETENTION_MONTHS ?? 36,
        backupDir: env.BACKUP_DIR === undefined ? null : path.resolve(cwd, env.BACKUP_DIR),
        backupKeep: env.BACKUP_KEEP ?? 7,
        staffIdleMinutes: env.STAFF_IDLE_MINUTES ?? DEFAULT_STAFF_IDLE_MINUTES,
        unchangedDefaults: misleadingDefaults({ MAIL_FROM: env.MAIL_FROM, ORG_CONTACT_EMAIL: env.ORG_CONTACT_EMAIL, ORG_NAME: env.ORG_NAME, APP_URL: env.APP_URL }),
      };
    });
}

/** The sentence for a bad variable; the raw value is quoted only where it is not a secret. */
function sentenceFor(variable: string, raw: string, env: Env): string {
  // Named in the sentence about LANGUAGES, which must include it: unset, it is English, which the reader may not know.
  const defaultLanguage = env.DEFAULT_LANGUAGE?.trim().toLowerCase() || "en";
  switch (variable) {
    case "PORT":
      return `PORT must be a whole number from 1 to 65535, but it is "${raw}".`;
    case "LISTEN_HOST":
      return `LISTEN_HOST must be an IP address of this machine, such as 127.0.0.1, or "localhost", but it is "${raw}".`;
    case "APP_URL":
      return `APP_URL must be the portal's public address starting with http:// or https://, with no query or fragment, but it is "${raw}".`;
    case "DATABASE_PATH":
      return `DATABASE_PATH must name a file, but it is "${raw}".`;
    case "SMTP_URL":
      // The URL may hold a password, so it is not repeated.
      return "SMTP_URL must look like smtp://user:password@mail.example.org:587 (or smtps://), but it does not.";
    case "MAIL_FROM":
      return `MAIL_FROM must be an address such as "Rightsdesk <no-reply@example.org>", but it is "${raw}".`;
    case "AUTH_SECRET":
      return "AUTH_SECRET must be at least 32 characters long; leave it unset to have one generated.";
    case "ORG_NAME":
      return "ORG_NAME must be one line of at most 120 characters.";
    case "REGIME":
      return `REGIME must be "gdpr" or "ccpa", but it is "${raw}".`;
    case "TIME_ZONE":
      return `TIME_ZONE must be a time zone name such as "Europe/London", but it is "${raw}".`;
    case "ORG_CONTACT_EMAIL":
      return `ORG_CONTACT_EMAIL must be one email address, such as privacy@example.org, but it is "${raw}".`;
    case "ORG_LOGO_URL":
      return `ORG_LOGO_URL must be the address of an image starting with https:// or http://, but it is "${raw}".`;
    case "COMPLAINT_AUTHORITY":
      return "COMPLAINT_AUTHORITY must be one line of at most 300 characters naming the authority, such as: the Information Regulator (South Africa), inforegulator.org.za.";
    case "MAIL_WORKER":
      return `MAIL_WORKER must be "server" or "separate", but it is "${raw}".`;
    case "MAIL_RATE":
      return `MAIL_RATE must be a number of messages per second above 0 and at most 1000, such as 5 or 0.5, but it is "${raw}".`;
    case "MAIL_MAX_ATTEMPTS":
      return `MAIL_MAX_ATTEMPTS must be a whole number from 1 to 100, but it is "${raw}".`;
    case "SERVER_HEAP_MB":
      return `SERVER_HEAP_MB must be a whole number of megabytes from 128 to 16384, but it is "${raw}".`;
    case "MAIL_RETRY_SECONDS":
      return `MAIL_RETRY_SECONDS must be a whole number of seconds from 1 to 86400, but it is "${raw}".`;
    case "MAIL_RETRY_MAX_SECONDS":
      return `MAIL_RETRY_MAX_SECONDS must be a whole number of seconds from 1 to 86400 and not below MAIL_RETRY_SECONDS, but it is "${raw}".`;
    case "NEW_REQUEST_NOTICE":
      return `NEW_REQUEST_NOTICE must be "team", "off" or a staff member's email address, but it is "${raw}".`;
    case "DIGEST_HOUR":
      return `DIGEST_HOUR must be an hour from 0 to 23, or "off", but it is "${raw}".`;
    case "TRUST_PROXY":
      return `TRUST_PROXY must be "false", "true" or the number of proxies in front of the portal (1 to 9), but it is "${raw}".`;
    case "WEBHOOK_ALLOW_PRIVATE_HOSTS":
      return `WEBHOOK_ALLOW_PRIVATE_HOSTS must be a comma-separated list of host names or IP addresses, such as crm.internal,10.0.0.5, but it is "${raw}".`;
    case "AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS":
      return `AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS must be a comma-separated list of host names or IP addresses, such as agent.test.internal, but it is "${raw}".`;
    case "DEFAULT_LANGUAGE":
      return `DEFAULT_LANGUAGE must be one of ${LANGUAGES.join(", ")}, but it is "${raw}".`;
    case "LANGUAGES":
      return `LANGUAGES must be a comma-separated list of ${LANGUAGES.join(", ")} that includes DEFAULT_LANGUAGE (${defaultLanguage}${defaultLanguage === "en" && !env.DEFAULT_LANGUAGE?.trim() ? ", as it is unset" : ""}), but it is "${raw}".`;
    case "SIGNING_KEY_FILE":
      return `SIGNING_KEY_FILE must name a file, but it is "${raw}".`;
    case "ANCHOR_FILE":
      return `ANCHOR_FILE must name a file, but it is "${raw}".`;
    case "REQUEST_RETENTION_MONTHS":
      return `REQUEST_RETENTION_MONTHS must be a whole number of months from 1 to 1200, but it is "${raw}".`;
    case "BACKUP_KEEP":
      return `BACKUP_KEEP must be a whole number of backups to keep, from 1 to 1000, but it is "${raw}".`;
    case "STAFF_IDLE_MINUTES":
      return `STAFF_IDLE_MINUTES must be a whole number of minutes from 1 to 720, but it is "${raw}".`;
    case "BENCH_ROUTES":
      return `BENCH_ROUTES must be "1" or "0" (or unset), but it is "${raw}".`;
    default:
      if (variable.startsWith("LIMIT_")) return `${variable} must be a whole number of at least 1, but it is "${raw}".`;
      return `${variable} is not valid.`;
  }
}

/** Reads and checks every setting; relative paths resolve against `cwd`. */
export function parseSettings(env: Env, cwd: string): SettingsResult {
  const parsed = settingsSchema(cwd).safeParse(env);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const variable = String(parsed.error.issues[0]?.path[0] ?? "settings");
  return { ok: false, message: sentenceFor(variable, (env[variable] ?? "").trim(), env) };
}
