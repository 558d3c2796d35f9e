import { resolveSettings, SettingsError, type ResolvedSettings } from "@/lib/settings/resolve";

/** The settings, or one sentence naming the bad variable and exit code 1. */
export function settingsOrExit(): ResolvedSettings {
  try {
    return resolveSettings(process.env, process.cwd());
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(`Rightsdesk cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

/** The environment the Next.js server runs with: settings resolved, secrets included. */
export function serverEnvironment(settings: ResolvedSettings): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(settings.port),
    APP_URL: settings.appUrl,
    NEXTAUTH_URL: settings.appUrl,
    DATABASE_PATH: settings.databasePath,
    MAIL_DIR: settings.mailDir,
    MAIL_FROM: settings.mailFrom,
    AUTH_SECRET: settings.authSecret,
    ORG_NAME: settings.orgName,
    REGIME: settings.regime,
    TIME_ZONE: settings.timeZone,
    ...(settings.smtpUrl ? { SMTP_URL: settings.smtpUrl } : {}),
    NEXT_TELEMETRY_DISABLED: "1",
  };
}
