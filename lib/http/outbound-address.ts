/**
 * Where Rightsdesk may send a webhook. An address an admin types could lead
 * anywhere the server can reach, including services on its own machine or
 * network that were never meant to be reachable from outside; so only
 * public (global unicast) addresses are called, unless the admin named the
 * host in WEBHOOK_ALLOW_PRIVATE_HOSTS. The check runs when a system is saved
 * and again before every call (DNS can change in between), and the call then
 * connects to the very address that was checked.
 */
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

export type ResolvedAddress = { address: string; family: 4 | 6 };

/** Every address a host name resolves to. */
export type Resolve = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolve: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export type OutboundPolicy = {
  /** Hosts (names or addresses, normalised by normalizeHostEntry) an admin allowed to be private. */
  allowPrivateHosts: readonly string[];
  resolve: Resolve;
  /** The setting that names those hosts, for the sentences that refuse an address: WEBHOOK_ALLOW_PRIVATE_HOSTS unless said. */
  allowSetting?: string;
};

/** The policy from the settings, with the system's own DNS: for the organisation's own outside systems and subscriptions. */
export function outboundPolicyOf(settings: { webhookAllowPrivateHosts: readonly string[] }): OutboundPolicy {
  return { allowPrivateHosts: settings.webhookAllowPrivateHosts, resolve: systemResolve };
}

/**
 * The policy for authorised agents' status callbacks. An agent is an outside
 * party that names its own address: the hosts the organisation allowed for
 * its own systems (a list server, a CRM) must never be reachable through it,
 * so only the hosts named for agents may be private.
 */
export function agentCallbackPolicyOf(settings: { agentCallbackAllowPrivateHosts: readonly string[] }): OutboundPolicy {
  return { allowPrivateHosts: settings.agentCallbackAllowPrivateHosts, resolve: systemResolve, allowSetting: AGENT_CALLBACK_SETTING };
}

export const WEBHOOK_SETTING = "WEBHOOK_ALLOW_PRIVATE_HOSTS";
export const AGENT_CALLBACK_SETTING = "AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS";

export type TargetCheck =
  | { ok: true; url: URL; pinned: ResolvedAddress }
  | { ok: false; reason: "invalid" | "unresolved" | "private"; message: string };

/** An IP address in its one canonical spelling (IPv4-mapped IPv6 as the IPv4 it maps), or null. */
function canonicalAddress(text: string): string | null {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!ipaddr.isValid(bare)) return null;
  return ipaddr.process(bare).toString();
}

/**
 * A host as the allow-list and the check compare it: lower-case, without a
 * trailing dot, and an address in its canonical form, so `0x7f.1`,
 * `2130706433` and `[::ffff:127.0.0.1]` are all 127.0.0.1. Null for
 * anything that is neither a host name nor an address.
 */
export function normalizeHostEntry(entry: string): string | null {
  const host = entry.trim().toLowerCase().replace(/\.$/, "");
  if (host === "") return null;
  const address = canonicalAddress(host);
  if (address) return address;
  // No scheme, port, path or wildcard: a bare name, or an address spelled in one of IPv4's other ways.
  if (!/^[a-z0-9.-]+$/.test(host)) return null;
  // What WHATWG URL parsing makes of it: this also turns the other spellings of an IPv4 address into dotted form.
  let parsed: string;
  try {
    parsed = new URL(`http://${host}/`).hostname.replace(/\.$/, "");
  } catch {
    return null;
  }
  const parsedAddress = canonicalAddress(parsed);
  if (parsedAddress) return parsedAddress;
  return /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(parsed) && parsed === host ? parsed : null;
}

/** The only IPv6 addresses handed out for the public internet (RFC 4291 section 2.4: global unicast). */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

/**
 * Public means global unicast: not loopback, private, link-local,
 * unique-local, multicast, unspecified, reserved or shared. An IPv6 address
 * must also lie in 2000::/3: ipaddr.js calls everything it has no name for
 * "unicast", which would let through the old IPv4-compatible form
 * (`::127.0.0.1`) and the rest of ::/8, which some networks still route to
 * the IPv4 address inside.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() turns an IPv4-mapped IPv6 address into the IPv4 address it stands for, which is then judged as such.
  const parsed = ipaddr.process(address);
  if (parsed.range() !== "unicast") return false;
  return parsed.kind() === "ipv4" || (parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6);
}

const privateSentence = (setting: string) =>
  `leads to a private or internal network address, which Rightsdesk does not call. If this system is yours and on your own network, an administrator can allow its host with the setting ${setting}`;

/**
 * Whether `raw` may be called, and the address to connect to. A host name
 * must resolve, and every address it resolves to must be public (or the host
 * allowed); the first is pinned for the call.
 */
export async function checkWebhookTarget(raw: string, policy: OutboundPolicy): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "invalid", message: "The webhook's address is not a valid URL." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: "invalid", message: "The webhook's address must start with https:// or http://." };
  }
  const host = normalizeHostEntry(url.hostname);
  if (host === null) return { ok: false, reason: "invalid", message: "The webhook's address has no valid host name." };
  const allowed = policy.allowPrivateHosts.includes(host);
  const literal = canonicalAddress(url.hostname);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: literal, family: ipaddr.parse(literal).kind() === "ipv6" ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.resolve(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) {
      return { ok: false, reason: "unresolved", message: `The host ${host} could not be found; check the address.` };
    }
  }
  if (!allowed && addresses.some((a) => !isPublicAddress(a.address))) {
    return { ok: false, reason: "private", message: `The address ${literal ? "" : `of ${host} `}${privateSentence(policy.allowSetting ?? WEBHOOK_SETTING)}.` };
  }
  return { ok: true, url, pinned: addresses[0]! };
}
