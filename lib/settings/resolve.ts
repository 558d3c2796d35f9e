import fs from "node:fs";
import path from "node:path";
import { whyNotWritable } from "@/lib/process/file-problem";
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
    throw new SettingsError(notWritten("the signing key", settings.signingKeyFile, "SIGNING_KEY_FILE", error));
  }
  let authSecret = settings.authSecret;
  if (authSecret === null) {
    const file = path.join(settings.dataDir, "auth-secret");
    try {
      authSecret = loadOrCreateAuthSecret(settings.dataDir);
    } catch (error) {
      throw new SettingsError(notWritten("the sign-in secret", file, null, error));
    }
  }
  return { ...settings, authSecret, signingKey };
}

/** The sentence for a key Rightsdesk makes on first start that could not be made (or read back). */
function notWritten(what: string, file: string, variable: string | null, error: unknown): string {
  // A secret file that holds no usable secret says so itself.
  if (error instanceof Error && !("code" in error)) return error.message;
  const instead = variable ? `, or set ${variable} to a file in one that is` : "";
  return `${what} cannot be ${fs.existsSync(file) ? "read" : "made"} at ${file}: ${whyNotWritable(file, error)}. Make that folder writable by the user that runs Rightsdesk${instead}.`;
}
