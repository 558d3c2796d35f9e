/**
 * Secrets of outside systems, encrypted at rest: connected systems'
 * passwords and webhook systems' signing secrets. The key lives in a file
 * of its own beside the auth secret (`<dataDir>/credentials-key`), never in
 * the database, so a copied `.db` alone leaks no password and signs no
 * webhook call. AES-256-GCM with a fresh nonce per sealing; what the secret
 * is for and the system's id are bound in as associated data, so a sealed
 * value moved onto another system's row, or from one purpose to the other,
 * no longer opens.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const KEY_FILE = "credentials-key";
const VERSION = "v1";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type CredentialsKey = { key: Buffer };

/** The key file is there but holds no usable key; the message is the sentence to show. */
export class CredentialsKeyError extends Error {}

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
    throw new CredentialsKeyError(
      `The file ${file} does not hold a usable key (64 hexadecimal characters). If it was lost, restore it from a backup; otherwise delete it, enter every connected system's password again, and give every webhook system a new secret.`,
    );
  }
  return { key: Buffer.from(text, "hex") };
}

/** What a sealed value is for: each opens only as what it was sealed as. */
export type SealedPurpose = "password" | "webhook-secret";

/** Which secret: its purpose and the system (row) it belongs to. */
export type SealedFor = { purpose: SealedPurpose; systemId: number };

// "system-credentials" is the label passwords were sealed under before webhook secrets were; kept, so they still open.
const LABELS: Record<SealedPurpose, string> = { password: "system-credentials", "webhook-secret": "webhook-secret" };

/** What staff can do when a value does not open, by purpose. */
const REMEDIES: Record<SealedPurpose, { what: string; remedy: string }> = {
  password: { what: "password", remedy: "enter the password again" },
  "webhook-secret": { what: "webhook secret", remedy: "give the system a new secret (see Keys in the README)" },
};

function associatedData(sealedFor: SealedFor): Buffer {
  return Buffer.from(`rightsdesk:${LABELS[sealedFor.purpose]}:${VERSION}:${sealedFor.systemId}`, "utf8");
}

/** Whether a stored value has the sealed form (`v1.` and three parts), as opposed to a secret kept in the clear before sealing. */
export function looksSealed(stored: string): boolean {
  const parts = stored.split(".");
  return parts.length === 4 && parts[0] === VERSION;
}

/** `v1.<nonce>.<tag>.<ciphertext>`, each part base64url. */
export function sealSecret(key: CredentialsKey, sealedFor: SealedFor, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(sealedFor));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, nonce.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export class CredentialsError extends Error {}

/**
 * The secret sealed for this system and purpose. Throws a CredentialsError
 * with a sentence for staff when it cannot be opened (another key, or a
 * value changed or moved in the database).
 */
export function openSecret(key: CredentialsKey, sealedFor: SealedFor, sealed: string): string {
  const { what, remedy } = REMEDIES[sealedFor.purpose];
  if (!looksSealed(sealed)) throw new CredentialsError(`The stored ${what} is not in a form Rightsdesk reads; ${remedy}.`);
  const [, nonce, tag, body] = sealed.split(".") as [string, string, string, string];
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(nonce, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(sealedFor));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new CredentialsError(`The stored ${what} cannot be read with this installation's key (data/credentials-key); ${remedy}.`);
  }
}
