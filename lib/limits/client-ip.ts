/**
 * Which network a request came from, for the per-IP limits. X-Forwarded-For
 * is written by whoever sends the request, so it is believed only as far as
 * the administrator says proxies of their own add to it (TRUST_PROXY).
 */
import { isIP } from "node:net";

/**
 * Set by the portal's HTTP server (scripts/serve.mjs) to the address of the
 * connection, replacing anything a client sent under that name.
 */
export const PEER_ADDRESS_HEADER = "x-rightsdesk-peer";

type HeaderReader = (name: string) => string | null | undefined;

/** IPv4 as is; IPv6 by its /64, since one household or server is given a whole /64. */
export function limitKeyForAddress(address: string): string | null {
  let ip = address.trim().toLowerCase();
  if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.slice(1, -1);
  const zone = ip.indexOf("%");
  if (zone >= 0) ip = ip.slice(0, zone);
  if (ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4) ip = ip.slice(7);
  const version = isIP(ip);
  if (version === 4) return ip;
  if (version !== 6) return null;
  const [head = "", tail = ""] = ip.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups = ip.includes("::")
    ? [...headGroups, ...Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill("0"), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g || "0", 16).toString(16))
    .join(":")}::/64`;
}

/**
 * The client's address. With `trustProxies` > 0, each trusted proxy appended
 * the address it was reached from, so the client is that many entries from
 * the right of X-Forwarded-For; entries further left were written by the
 * client and prove nothing.
 */
export function clientAddress(header: HeaderReader, trustProxies: number): string {
  if (trustProxies > 0) {
    const hops = (header("x-forwarded-for") ?? "")
      .split(",")
      .map((hop) => hop.trim())
      .filter(Boolean);
    const forwarded = hops.length >= trustProxies ? limitKeyForAddress(hops[hops.length - trustProxies] ?? "") : null;
    if (forwarded) return forwarded;
  }
  // Without the portal's own server in front (e.g. `next dev`) every request shares one "unknown" network.
  return limitKeyForAddress(header(PEER_ADDRESS_HEADER) ?? "") ?? "unknown";
}
