/**
 * Where a connected database or list server may be reached: the same policy
 * as webhooks (see ../outbound-address.ts). A host must resolve only to
 * public addresses, unless an admin named it in WEBHOOK_ALLOW_PRIVATE_HOSTS;
 * the connection then goes to the address that was checked, so a DNS answer
 * that changes in between cannot send it elsewhere.
 */
import ipaddr from "ipaddr.js";
import { isPublicAddress, normalizeHostEntry, type OutboundPolicy, type ResolvedAddress } from "@/lib/http/outbound-address";

export type HostCheck = { ok: true; host: string; pinned: ResolvedAddress } | { ok: false; reason: "invalid" | "unresolved" | "private"; message: string };

export async function checkOutboundHost(raw: string, policy: OutboundPolicy): Promise<HostCheck> {
  const host = normalizeHostEntry(raw);
  if (host === null) return { ok: false, reason: "invalid", message: "The host is not a valid host name or IP address." };
  const literal = ipaddr.isValid(host) ? host : null;
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: literal, family: ipaddr.parse(literal).kind() === "ipv6" ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.resolve(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) return { ok: false, reason: "unresolved", message: `The host ${host} could not be found; check its name.` };
  }
  if (!policy.allowPrivateHosts.includes(host) && addresses.some((a) => !isPublicAddress(a.address))) {
    return {
      ok: false,
      reason: "private",
      message: `The host ${host} leads to a private or internal network address, which Rightsdesk does not connect to. If this system is yours and on your own network, an administrator can allow its host with the setting WEBHOOK_ALLOW_PRIVATE_HOSTS.`,
    };
  }
  return { ok: true, host, pinned: addresses[0]! };
}
