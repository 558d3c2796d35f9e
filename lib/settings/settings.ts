/**
 * The administrator's settings, read from environment variables and checked
 * once. A bad value yields one sentence naming the variable, never a stack.
 */
import path from "node:path";
import { z } from "zod";
import { REGIMES, type Regime } from "@/db/schema";

export type Settings = {
  port: number;
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
};

export type SettingsResult =
  | { ok: true; settings: Settings }
  | { ok: false; message: string };

type Env = Record<string, string | undefined>;

// Anything below a space, and DEL: never wanted in a one-line setting.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

const portSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(65535);

function isValidTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
  } catch {
    return false;
  }
}

const MAILBOX = /^[^\s@<>"]+@[^\s@<>"]+$/;

function isValidFromAddress(value: string): boolean {
  if (CONTROL_CHARACTERS.test(value)) return false;
  const named = /^(.*)<([^<>]+)>$/.exec(value);
  if (named) return MAILBOX.test((named[2] ?? "").trim());
  return MAILBOX.test(value);
}

/** Reads and checks every setting; relative paths resolve against `cwd`. */
export function parseSettings(env: Env, cwd: string): SettingsResult {
  const fail = (message: string): SettingsResult => ({ ok: false, message });

  const rawPort = blankToUndefined(env.PORT) ?? "3000";
  const port = portSchema.safeParse(rawPort);
  if (!port.success || !/^\d+$/.test(rawPort)) {
    return fail(`PORT must be a whole number from 1 to 65535, but it is "${rawPort}".`);
  }

  const rawAppUrl = blankToUndefined(env.APP_URL) ?? `http://localhost:${port.data}`;
  if (!isHttpUrl(rawAppUrl)) {
    return fail(
      `APP_URL must be the portal's public address starting with http:// or https://, but it is "${rawAppUrl}".`,
    );
  }
  const appUrlParsed = new URL(rawAppUrl);
  if (appUrlParsed.search || appUrlParsed.hash) {
    return fail(`APP_URL must not contain a query or a fragment, but it is "${rawAppUrl}".`);
  }
  const appUrl = rawAppUrl.replace(/\/+$/, "");

  const dataDir = path.resolve(cwd, "data");
  const databasePath = path.resolve(cwd, blankToUndefined(env.DATABASE_PATH) ?? "data/rightsdesk.db");
  if (databasePath.endsWith(path.sep)) {
    return fail(`DATABASE_PATH must name a file, but it is "${env.DATABASE_PATH}".`);
  }

  const smtpUrl = blankToUndefined(env.SMTP_URL) ?? null;
  if (smtpUrl !== null && !isSmtpUrl(smtpUrl)) {
    return fail(
      "SMTP_URL must look like smtp://user:password@mail.example.org:587 (or smtps://), but it does not.",
    );
  }

  const mailDir = path.resolve(cwd, blankToUndefined(env.MAIL_DIR) ?? "data/mail");

  const mailFrom = blankToUndefined(env.MAIL_FROM) ?? "Rightsdesk <no-reply@localhost>";
  if (!isValidFromAddress(mailFrom)) {
    return fail(
      `MAIL_FROM must be an address such as "Rightsdesk <no-reply@example.org>", but it is "${mailFrom}".`,
    );
  }

  const authSecret = blankToUndefined(env.AUTH_SECRET) ?? null;
  if (authSecret !== null && authSecret.length < 32) {
    return fail("AUTH_SECRET must be at least 32 characters long; leave it unset to have one generated.");
  }

  const orgName = blankToUndefined(env.ORG_NAME) ?? "Our organisation";
  if (orgName.length > 120 || CONTROL_CHARACTERS.test(orgName)) {
    return fail("ORG_NAME must be one line of at most 120 characters.");
  }

  const rawRegime = blankToUndefined(env.REGIME) ?? "gdpr";
  const regime = REGIMES.find((r) => r === rawRegime.toLowerCase());
  if (!regime) {
    return fail(`REGIME must be "gdpr" or "ccpa", but it is "${rawRegime}".`);
  }

  const timeZone = blankToUndefined(env.TIME_ZONE) ?? "UTC";
  if (!isValidTimeZone(timeZone)) {
    return fail(`TIME_ZONE must be a time zone name such as "Europe/London", but it is "${timeZone}".`);
  }

  return {
    ok: true,
    settings: {
      port: port.data,
      appUrl,
      databasePath,
      smtpUrl,
      mailDir,
      mailFrom,
      authSecret,
      orgName,
      regime,
      timeZone,
      dataDir,
    },
  };
}
