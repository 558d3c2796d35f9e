import { openDatabase, type Db } from "@/db/connection";
import { StorageError } from "@/lib/process/file-problem";
import { checkDefaults } from "@/lib/settings/defaults";
import { parseSettings, type Settings } from "@/lib/settings/settings";
import { resolveSettings, SettingsError, type ResolvedSettings } from "@/lib/settings/resolve";

function exitWith(message: string): never {
  console.error(`Rightsdesk cannot start: ${message}`);
  process.exit(1);
}

/** The settings with the auth secret (created on first use), or one sentence and exit code 1. */
export function settingsOrExit(): ResolvedSettings {
  try {
    return resolveSettings(process.env, process.cwd());
  } catch (error) {
    if (error instanceof SettingsError) exitWith(error.message);
    throw error;
  }
}

/**
 * For the commands that send mail to people (the server and the mail
 * worker): settings left at a misleading default get one warning, or, when
 * SMTP_URL would send real mail, stop start-up with one sentence.
 */
export function mailingSettingsOrExit(): ResolvedSettings {
  const settings = settingsOrExit();
  const verdict = checkDefaults(settings);
  if (verdict.level === "refuse") exitWith(verdict.message);
  if (verdict.level === "warn") console.warn(verdict.message);
  return settings;
}

/** The database, opened (and made, with its folder) for writing, or one sentence and exit code 1 when it cannot be. */
export function openDatabaseOrExit(file: string): Db {
  try {
    return openDatabase(file);
  } catch (error) {
    if (error instanceof StorageError) exitWith(error.message);
    throw error;
  }
}

/** The settings for commands that only touch the database: no secret is read or created. */
export function databaseSettingsOrExit(): Settings {
  const parsed = parseSettings(process.env, process.cwd());
  if (!parsed.ok) exitWith(parsed.message);
  return parsed.settings;
}

/** The environment the Next.js server runs with: settings resolved, secrets included. */
export function serverEnvironment(settings: ResolvedSettings, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const isSet = (name: string) => (env[name] ?? "").trim() !== "";
  return {
    ...env,
    PORT: String(settings.port),
    ...(settings.listenHost ? { LISTEN_HOST: settings.listenHost } : {}),
    // The settings that mislead while left at their defaults stay unset when they were, so the server
    // counts them as defaults too and shows staff its banner (lib/settings/defaults.ts).
    ...(isSet("APP_URL") ? { APP_URL: settings.appUrl } : {}),
    NEXTAUTH_URL: settings.appUrl,
    DATABASE_PATH: settings.databasePath,
    MAIL_DIR: settings.mailDir,
    ...(isSet("MAIL_FROM") ? { MAIL_FROM: settings.mailFrom } : {}),
    AUTH_SECRET: settings.authSecret,
    // Resolved here, so the server finds the same files whatever folder it runs in.
    SIGNING_KEY_FILE: settings.signingKeyFile,
    ANCHOR_FILE: settings.anchorFile,
    ...(isSet("ORG_NAME") ? { ORG_NAME: settings.orgName } : {}),
    REGIME: settings.regime,
    TIME_ZONE: settings.timeZone,
    ...(settings.smtpUrl ? { SMTP_URL: settings.smtpUrl } : {}),
    NEXT_TELEMETRY_DISABLED: "1",
  };
}
