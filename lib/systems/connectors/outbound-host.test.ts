import { describe, expect, it } from "vitest";
import type { OutboundPolicy, ResolvedAddress } from "@/lib/http/outbound-address";
import { checkOutboundHost } from "./outbound-host";

function policy(allow: string[], answers: Record<string, ResolvedAddress[]> = {}): OutboundPolicy {
  return { allowPrivateHosts: allow, resolve: async (host) => answers[host] ?? [] };
}

describe("where a connected system may be reached", () => {
  const cases: Array<{ host: string; policy: OutboundPolicy; outcome: string }> = [
    { host: "203.0.113.10", policy: policy([]), outcome: "private" },
    { host: "8.8.8.8", policy: policy([]), outcome: "8.8.8.8" },
    { host: "127.0.0.1", policy: policy([]), outcome: "private" },
    { host: "127.0.0.1", policy: policy(["127.0.0.1"]), outcome: "127.0.0.1" },
    { host: "2130706433", policy: policy([]), outcome: "private" },
    { host: "[::ffff:127.0.0.1]", policy: policy([]), outcome: "private" },
    { host: "10.0.0.5", policy: policy(["10.0.0.5"]), outcome: "10.0.0.5" },
    { host: "crm.example.org", policy: policy([], { "crm.example.org": [{ address: "93.184.216.34", family: 4 }] }), outcome: "93.184.216.34" },
    { host: "crm.example.org", policy: policy([], { "crm.example.org": [{ address: "93.184.216.34", family: 4 }, { address: "10.1.1.1", family: 4 }] }), outcome: "private" },
    { host: "crm.internal", policy: policy(["crm.internal"], { "crm.internal": [{ address: "10.1.1.1", family: 4 }] }), outcome: "10.1.1.1" },
    { host: "missing.example.org", policy: policy([]), outcome: "unresolved" },
    { host: "not a host", policy: policy([]), outcome: "invalid" },
  ];
  for (const { host, policy: p, outcome } of cases) {
    it(`${host} with ${p.allowPrivateHosts.length ? `${p.allowPrivateHosts.join(", ")} allowed` : "nothing allowed"}: ${outcome}`, async () => {
      const check = await checkOutboundHost(host, p);
      expect(check.ok ? check.pinned.address : check.reason).toBe(outcome);
      if (!check.ok && check.reason === "private") expect(check.message).toMatch(/WEBHOOK_ALLOW_PRIVATE_HOSTS/);
    });
  }
});
