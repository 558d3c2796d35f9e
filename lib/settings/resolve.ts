import { loadOrCreateAuthSecret } from "./auth-secret";
import { parseSettings, type Settings } from "./settings";

export type ResolvedSettings = Settings & { authSecret: string };

/** Thrown when a setting is wrong; its message is the one sentence to show. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Parses the environment and fills in the generated auth secret. */
export function resolveSettings(
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): ResolvedSettings {
  const parsed = parseSettings(env, cwd);
  if (!parsed.ok) throw new SettingsError(parsed.message);
  const { settings } = parsed;
  return { ...settings, authSecret: settings.authSecret ?? loadOrCreateAuthSecret(settings.dataDir) };
}
