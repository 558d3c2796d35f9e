/**
 * Test helper: an authorised agent as the Data Rights Protocol has one,
 * with its own Ed25519 key pair, signing messages in libsodium's combined
 * mode (the signature, then the message) and base64-encoding them. Written
 * from the specification alone, so it checks Rightsdesk against the
 * protocol rather than against itself. Only tests import this.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export type TestAgent = {
  id: string;
  /** Base64 of the raw 32-byte public key, as the agents' directory lists it. */
  verifyKey: string;
  privateKey: KeyObject;
  /** A message signed by this agent: base64(signature ‖ JSON). */
  signed(claims: Record<string, unknown>): string;
  /** The claims every message of this agent to `businessId` carries, valid from `now` for ten minutes. */
  envelope(businessId: string, now: Date, minutes?: number): Record<string, string>;
};

export function makeTestAgent(id: string): TestAgent {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  return {
    id,
    verifyKey: raw.toString("base64"),
    privateKey,
    signed(claims) {
      const message = Buffer.from(JSON.stringify(claims), "utf8");
      return Buffer.concat([sign(null, message, privateKey), message]).toString("base64");
    },
    envelope(businessId, now, minutes = 10) {
      return {
        "agent-id": id,
        "business-id": businessId,
        "issued-at": now.toISOString(),
        "expires-at": new Date(now.getTime() + minutes * 60_000).toISOString(),
      };
    },
  };
}
