/**
 * Section 3.07's checks, in its order: the body decodes from base64; the
 * signature at its start holds for the key of the agent the bearer token
 * (or, for the key setup, the URL) names; the `agent-id` claim is that
 * agent; the `business-id` claim is this organisation; now is after
 * `issued-at` and before `expires-at`. Each failure stops there, with the
 * HTTP status DRP's error states map it to, and nothing is stored.
 */
import type { DrpAgent } from "@/db/schema";
import { decodeBase64, messageHash, openSigned, verifyKeyOf } from "./signed-message";
import { strictUtf8 } from "@/lib/http/decode";

/** A clock a minute fast at the agent is not a forgery: `issued-at` may be this much ahead of ours. */
export const CLOCK_SKEW_MS = 60_000;

export type DrpFailure = { ok: false; status: 400 | 401 | 403 | 404 | 409 | 415 | 429; message: string; fatal?: boolean };

export type SignedClaims = { claims: Record<string, unknown>; hash: string; expiresAt: Date | null };

/** ISO 8601 with a date, a time and a zone, as DRP's timestamps are. */
function instantOf(value: unknown): Date | null {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function validateSignedMessage(input: {
  body: string;
  /** The agent the bearer token (or, for the key setup, the URL) names. */
  agent: Pick<DrpAgent, "id" | "verifyKey">;
  /** This organisation's business-id, or null while an admin has not set one. */
  businessId: string | null;
  now: Date;
  /** The revoke body (section 2.04) defines only `reason`: the other claims are checked when present. */
  claimsOptional?: boolean;
}): { ok: true; value: SignedClaims } | DrpFailure {
  // 1. It decodes from base64.
  const buffer = decodeBase64(input.body);
  if (!buffer) return { ok: false, status: 400, message: "The body is not base64: send the signed message base64-encoded, as text/plain." };
  // 2. The signature holds for the agent's key: the root of the chain of trust.
  const key = verifyKeyOf(input.agent.verifyKey);
  const message = key ? openSigned(buffer, key) : null;
  if (!message) return { ok: false, status: 403, message: "The signature does not match the agent's verify key." };
  const text = strictUtf8(message);
  if (text === null) return { ok: false, status: 400, message: "The signed message is not UTF-8 text: sign the JSON encoded as UTF-8." };
  let claims: unknown;
  try {
    claims = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, message: "The signed message is not JSON." };
  }
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) return { ok: false, status: 400, message: "The signed message is not a JSON object." };
  const c = claims as Record<string, unknown>;
  const has = (name: string) => Object.hasOwn(c, name);
  // 3. The agent-id claim is the agent the token belongs to, so one agent's request cannot be sent by another.
  if (!(input.claimsOptional && !has("agent-id")) && c["agent-id"] !== input.agent.id) {
    return { ok: false, status: 403, message: "The agent-id claim does not name the agent this token was issued to." };
  }
  // 4. The business-id claim is this organisation, so a request for another business cannot be resent here.
  if (!(input.claimsOptional && !has("business-id")) && (input.businessId === null || c["business-id"] !== input.businessId)) {
    return { ok: false, status: 403, message: "The business-id claim does not name this organisation." };
  }
  // 5. Now is after issued-at: a request from a clock running fast is refused.
  let expiresAt: Date | null = null;
  if (!(input.claimsOptional && !has("issued-at"))) {
    const issuedAt = instantOf(c["issued-at"]);
    if (!issuedAt) return { ok: false, status: 400, message: "The issued-at claim must be an ISO 8601 timestamp with a time zone." };
    if (issuedAt.getTime() > input.now.getTime() + CLOCK_SKEW_MS) return { ok: false, status: 400, message: "The issued-at claim is in the future: check the sending system's clock." };
  }
  // 6. Now is before expires-at: an old request cannot be replayed.
  if (!(input.claimsOptional && !has("expires-at"))) {
    expiresAt = instantOf(c["expires-at"]);
    if (!expiresAt) return { ok: false, status: 400, message: "The expires-at claim must be an ISO 8601 timestamp with a time zone." };
    if (expiresAt.getTime() <= input.now.getTime()) return { ok: false, status: 400, message: "The request has expired: its expires-at is past.", fatal: true };
  }
  return { ok: true, value: { claims: c, hash: messageHash(buffer), expiresAt } };
}
