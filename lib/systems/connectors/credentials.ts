/**
 * Passwords of connected systems, encrypted at rest. The key lives in a file
 * of its own beside the auth secret (`<dataDir>/credentials-key`), never in
 * the database, so a copied `.db` alone leaks no password. AES-256-GCM with
 * a fresh nonce per sealing; the system's id is bound in as associated data,
 * so a sealed password moved onto another system's row no longer opens.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const KEY_FILE = "credentials-key";
const VERSION = "v1";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type CredentialsKey = { key: Buffer };

/**
 * The key kept in `<dataDir>/credentials-key`, created on first use (mode
 * 0600). Created exclusively ("wx") so two processes starting together agree.
 */
export function loadOrCreateCredentialsKey(dataDir: string): CredentialsKey {
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("hex") + "\n", { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const text = fs.readFileSync(file, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new Error(
      `The file ${file} does not hold a usable key (64 hexadecimal characters). If it was lost, restore it from a backup; otherwise delete it, and enter every connected system's password again.`,
    );
  }
  return { key: Buffer.from(text, "hex") };
}

function associatedData(systemId: number): Buffer {
  return Buffer.from(`rightsdesk:system-credentials:${VERSION}:${systemId}`, "utf8");
}

/** `v1.<nonce>.<tag>.<ciphertext>`, each part base64url. */
export function sealSecret(key: CredentialsKey, systemId: number, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(systemId));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, nonce.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export class CredentialsError extends Error {}

/**
 * The password sealed for this system. Throws a CredentialsError with a
 * sentence for staff when it cannot be opened (another key, or a value
 * changed or moved in the database).
 */
export function openSecret(key: CredentialsKey, systemId: number, sealed: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new CredentialsError("The stored password is not in a form Rightsdesk reads; enter it again.");
  const [, nonce, tag, body] = parts as [string, string, string, string];
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(nonce, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(systemId));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new CredentialsError(
      "The stored password cannot be read with this installation's key (data/credentials-key); enter the password again.",
    );
  }
}
