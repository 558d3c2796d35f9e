/**
 * The organisation's signing key: an Ed25519 key pair kept in a file outside
 * the database (SIGNING_KEY_FILE, by default beside the auth secret in the
 * data folder). It signs the anchors of the event log and the receipts
 * supporters get when a request closes. A copy of the database alone cannot
 * sign anything; anyone with the public key can check what was signed.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export type PublicKey = {
  key: KeyObject;
  /** A short name for the key: the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo. */
  id: string;
  /** The key as a PEM "PUBLIC KEY" block, for publishing. */
  pem: string;
};

export type SigningKey = { privateKey: KeyObject; publicKey: PublicKey };

/** Thrown when a key file or a published key cannot be used; its message is the one sentence to show. */
export class KeyError extends Error {
  override name = "KeyError";
}

function describePublicKey(key: KeyObject): PublicKey {
  const der = key.export({ type: "spki", format: "der" });
  return {
    key,
    id: createHash("sha256").update(der).digest("hex").slice(0, 16),
    pem: key.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** A new key, held in memory only: what the file holds once written, and what tests sign with. */
export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKey, publicKey: describePublicKey(publicKey) };
}

/**
 * Returns the key kept in `file`, creating it on first use. The new key is
 * written to a temporary file and linked into place, so two processes
 * starting together end up with the same key and neither reads a half-written
 * file.
 */
export function loadOrCreateSigningKey(file: string): SigningKey {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) {
    const pem = newSigningKey().privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temporary, pem, { mode: 0o600, flag: "wx" });
    try {
      fs.linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }
  return readSigningKey(file);
}

/** Reads an existing key file; a missing or unusable one is a KeyError naming the file. */
export function readSigningKey(file: string): SigningKey {
  let pem: string;
  try {
    pem = fs.readFileSync(file, "utf8");
  } catch {
    throw new KeyError(`There is no signing key at ${file}; set SIGNING_KEY_FILE to the key file.`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new KeyError(`The file ${file} does not hold a private key; restore it from your backup of the signing key.`);
  }
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new KeyError(`The file ${file} holds a ${privateKey.asymmetricKeyType ?? "unknown"} key, not an Ed25519 key; restore it from your backup of the signing key.`);
  }
  return { privateKey, publicKey: describePublicKey(createPublicKey(privateKey)) };
}

/** A published public key (a PEM "PUBLIC KEY" block), checked to be Ed25519. */
export function publicKeyFromPem(pem: string): PublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new KeyError("That is not a public key: paste the whole block from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----.");
  }
  if (key.asymmetricKeyType !== "ed25519") throw new KeyError("That public key is not an Ed25519 key, so it cannot have signed this.");
  return describePublicKey(key);
}

/** The Ed25519 signature of `text` (its UTF-8 bytes), in base64url. */
export function signText(key: SigningKey, text: string): string {
  return sign(null, Buffer.from(text, "utf8"), key.privateKey).toString("base64url");
}

/** Whether `signature` (base64url) is `key`'s signature of exactly `text`. */
export function verifyText(key: PublicKey, text: string, signature: string): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  const bytes = Buffer.from(signature, "base64url");
  // Only the one spelling of these bytes: the last character's spare bits must be zero, so no character can change unnoticed.
  if (bytes.toString("base64url") !== signature) return false;
  return verify(null, Buffer.from(text, "utf8"), key.key, bytes);
}
