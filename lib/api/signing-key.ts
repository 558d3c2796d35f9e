/**
 * The key that event subscriptions' signing secrets are made from. It lives
 * in a file beside the database (like the auth secret), never in it: a copy
 * of the database alone cannot sign a delivery. Each subscription's secret
 * is an HMAC of its own random salt under this key, shown once when the
 * subscription is made.
 */
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const SIGNING_KEY_FILE = "api-signing-key";

/** The key in `<dataDir>/api-signing-key`, made on first use; exclusive creation, so two processes agree. */
export function loadOrCreateSigningKey(dataDir: string): string {
  const file = path.join(dataDir, SIGNING_KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("hex") + "\n", { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const key = fs.readFileSync(file, "utf8").trim();
  if (key.length < 32) throw new Error(`The file ${file} does not hold a usable key; delete it to have a new one made (every subscription then needs its secret again).`);
  return key;
}

export function newSecretSalt(): string {
  return randomBytes(16).toString("base64url");
}

/** A subscription's signing secret, from the key and its salt. */
export function subscriptionSecret(signingKey: string, salt: string): string {
  return createHmac("sha256", signingKey).update(`subscription:${salt}`).digest("base64url");
}
