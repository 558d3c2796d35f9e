/**
 * DRP 1.0's signed messages (its section 3.07.1): a JSON document with its
 * 64-byte Ed25519 signature prepended (libsodium's "combined mode"), the
 * whole base64-encoded and sent as text/plain. Verified with node:crypto's
 * Ed25519, which is the same algorithm libsodium's crypto_sign uses.
 */
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";

export const SIGNATURE_BYTES = 64;
export const VERIFY_KEY_BYTES = 32;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64_URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The bytes of a base64 text (standard or URL-safe alphabet, surrounding whitespace ignored), or null when it is not base64. */
export function decodeBase64(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 === 1) return null;
  if (!BASE64.test(compact) && !BASE64_URL.test(compact)) return null;
  return Buffer.from(compact, BASE64.test(compact) ? "base64" : "base64url");
}

/** An agent's verify key (base64 of 32 bytes, as the agents' directory lists it) as a key node:crypto verifies with, or null. */
export function verifyKeyOf(base64: string): KeyObject | null {
  const raw = decodeBase64(base64);
  if (!raw || raw.length !== VERIFY_KEY_BYTES) return null;
  try {
    return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
  } catch {
    return null;
  }
}

/** The message inside a combined-mode buffer if its signature holds for `key`, or null. */
export function openSigned(buffer: Buffer, key: KeyObject): Buffer | null {
  if (buffer.length <= SIGNATURE_BYTES) return null;
  const signature = buffer.subarray(0, SIGNATURE_BYTES);
  const message = buffer.subarray(SIGNATURE_BYTES);
  try {
    return verify(null, message, key, signature) ? message : null;
  } catch {
    return null;
  }
}

/** What a signed message is remembered by, so the same one sent again can be refused. */
export function messageHash(buffer: Buffer): string {
  return createHash("sha256").update(buffer).digest("hex");
}
