import { randomInt } from "node:crypto";

/**
 * The general suite runs two workers against one server, every request from
 * 127.0.0.1 and some addresses (staff@example.org) signing in again and
 * again, so the per-IP and per-address limits are raised far out of reach
 * for it. The specs in e2e/limits/ restart the server with the real limits
 * (REAL_LIMITS) and exercise them.
 */
export const GENERAL_SUITE_LIMITS: Record<string, string> = {
  LIMIT_LINKS_PER_ADDRESS_HOUR: "100000",
  LIMIT_LINKS_PER_ADDRESS_DAY: "100000",
  LIMIT_LINK_REQUESTS_PER_IP_HOUR: "100000",
  LIMIT_DRAFTS_PER_IP_HOUR: "100000",
  LIMIT_LINK_FAILURES_PER_IP_15_MIN: "100000",
  LIMIT_MAIL_PER_ADDRESS_DAY: "100000",
};

/** Overrides that put every limit back to the portal's defaults. */
export const REAL_LIMITS: Record<string, null> = Object.fromEntries(Object.keys(GENERAL_SUITE_LIMITS).map((name) => [name, null]));

/**
 * A network of this test's own: the test server trusts one proxy
 * (TRUST_PROXY=1), so X-Forwarded-For names the client, and tests that
 * count per-IP limits do not share a count.
 */
export function uniqueClientIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}
