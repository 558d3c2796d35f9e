/**
 * Which network a request came from, for the per-IP limits. X-Forwarded-For
 * is written by whoever sends the request, so it is believed only as far as
 * the administrator says proxies of their own add to it (TRUST_PROXY).
 */
import { isIP } from "node:net";

/**
 * The address of the connection reaches the app in a request header that
 * the portal's HTTP server (scripts/serve.mjs) adds. Its name is this prefix
 * and 32 random hex digits that the server draws when it starts and hands
 * the app in the PEER_HEADER_VARIABLE environment variable, so no client
 * can send it. Without that server (`next start`, `next dev`) there is no
 * such header: every request counts as one unknown network, and a header a
 * client sent under a name like it is removed (proxy.ts) and never believed.
 */
export const PEER_HEADER_PREFIX = "x-rightsdesk-peer";
export const PEER_HEADER_VARIABLE = "RIGHTSDESK_PEER_HEADER";
const PEER_HEADER_NAME = /^x-rightsdesk-peer-[0-9a-f]{32}$/;

/** The name under which serve.mjs, if it is in front, writes the connection's address; null without it. */
export function trustedPeerHeader(env: Readonly<Record<string, string | undefined>>): string | null {
  const name = env[PEER_HEADER_VARIABLE];
  return name && PEER_HEADER_NAME.test(name) ? name : null;
}

/** Of a request's header names, those that look like the peer header but are not the trusted one: sent by a client. */
export function untrustedPeerHeaders(names: Iterable<string>, trusted: string | null): string[] {
  return [...names].filter((name) => name.toLowerCase().startsWith(PEER_HEADER_PREFIX) && name.toLowerCase() !== trusted);
}

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
export function clientAddress(header: HeaderReader, trustProxies: number, peerHeader: string | null): string {
  if (trustProxies > 0) {
    const hops = (header("x-forwarded-for") ?? "")
      .split(",")
      .map((hop) => hop.trim())
      .filter(Boolean);
    const forwarded = hops.length >= trustProxies ? limitKeyForAddress(hops[hops.length - trustProxies] ?? "") : null;
    if (forwarded) return forwarded;
  }
  // Without the portal's own server in front (e.g. `next dev`) every request shares one "unknown" network.
  return (peerHeader ? limitKeyForAddress(header(peerHeader) ?? "") : null) ?? "unknown";
}
