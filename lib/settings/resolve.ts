import { loadOrCreateAuthSecret } from "./auth-secret";
import { parseSettings, type Settings } from "./settings";
import { KeyError, loadOrCreateSigningKey, type SigningKey } from "./signing-key";

export type ResolvedSettings = Settings & { authSecret: string; signingKey: SigningKey };

/** Thrown when a setting is wrong; its message is the one sentence to show. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Parses the environment and fills in the generated auth secret and the signing key (both created on first use). */
export function resolveSettings(
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): ResolvedSettings {
  const parsed = parseSettings(env, cwd);
  if (!parsed.ok) throw new SettingsError(parsed.message);
  const { settings } = parsed;
  let signingKey: SigningKey;
  try {
    signingKey = loadOrCreateSigningKey(settings.signingKeyFile);
  } catch (error) {
    if (error instanceof KeyError) throw new SettingsError(error.message);
    throw error;
  }
  return { ...settings, authSecret: settings.authSecret ?? loadOrCreateAuthSecret(settings.dataDir), signingKey };
}
