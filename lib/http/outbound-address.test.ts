import { describe, expect, it } from "vitest";
import { checkWebhookTarget, isPublicAddress, normalizeHostEntry, type OutboundPolicy, type ResolvedAddress } from "./outbound-address";

const DNS: Record<string, string[]> = {
  "crm.example.org": ["93.184.215.14"],
  "v6.example.org": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
  "inside.example.org": ["10.1.2.3"],
  "metadata.example.org": ["169.254.169.254"],
  // One public answer does not excuse a private one beside it.
  "mixed.example.org": ["93.184.215.14", "192.168.1.20"],
  "mapped.example.org": ["::ffff:127.0.0.1"],
  localhost: ["127.0.0.1", "::1"],
  "crm.internal": ["10.0.0.5"],
};

const resolve: OutboundPolicy["resolve"] = async (host) => {
  const answers = DNS[host];
  if (!answers) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
  return answers.map((address): ResolvedAddress => ({ address, family: address.includes(":") ? 6 : 4 }));
};

const policy = (allowPrivateHosts: string[] = []): OutboundPolicy => ({ allowPrivateHosts, resolve });

describe("checkWebhookTarget", () => {
  it.each([
    "http://127.0.0.1/hook",
    "http://127.1/hook",
    "http://2130706433/hook",
    "http://0x7f.1/hook",
    "http://017700000001/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:7f00:1]/hook",
    "http://[::ffff:10.0.0.1]:8080/hook",
    "http://10.0.0.1/hook",
    "http://172.16.5.4/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://[::]/hook",
    "http://224.0.0.1/hook",
    "http://[ff02::1]/hook",
    "http://[fe80::1]/hook",
    "http://[fc00::1]/hook",
    "http://[fd12:3456::1]/hook",
    "http://[::127.0.0.1]/hook",
    "http://[::a9fe:a9fe]/latest/meta-data/",
    "http://[::1:7f00:1]/hook",
    "http://255.255.255.255/hook",
    "http://localhost:3000/hook",
    "http://LOCALHOST./hook",
    "https://inside.example.org/hook",
    "https://metadata.example.org/hook",
    "https://mixed.example.org/hook",
    "https://mapped.example.org/hook",
  ])("refuses %s, which leads to an internal address", async (url) => {
    const check = await checkWebhookTarget(url, policy());
    expect(check).toMatchObject({ ok: false, reason: "private", message: expect.stringContaining("WEBHOOK_ALLOW_PRIVATE_HOSTS") });
  });

  it.each([
    ["https://crm.example.org/hook", { address: "93.184.215.14", family: 4 }],
    ["https://v6.example.org/hook", { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 }],
    ["https://93.184.215.14/hook", { address: "93.184.215.14", family: 4 }],
  ])("allows %s and pins the address it checked", async (url, pinned) => {
    expect(await checkWebhookTarget(url, policy())).toMatchObject({ ok: true, pinned });
  });

  it.each([
    // An allowed host may be private; every spelling of an allowed address is that address.
    ["http://crm.internal:8080/hook", ["crm.internal"], "10.0.0.5"],
    ["http://localhost:3000/hook", ["localhost"], "127.0.0.1"],
    ["http://0x7f.1:3000/hook", ["127.0.0.1"], "127.0.0.1"],
    ["http://2130706433:3000/hook", ["127.0.0.1"], "127.0.0.1"],
    ["http://[::ffff:127.0.0.1]:3000/hook", ["127.0.0.1"], "127.0.0.1"],
  ])("calls %s when %j is allowed", async (url, allowed, address) => {
    const hosts = allowed.map((h) => normalizeHostEntry(h)!);
    expect(await checkWebhookTarget(url, policy(hosts))).toMatchObject({ ok: true, pinned: { address } });
  });

  it("allows only the hosts named: another host at the same kind of address is still refused", async () => {
    expect(await checkWebhookTarget("http://localhost:3000/hook", policy(["127.0.0.1"]))).toMatchObject({ ok: false, reason: "private" });
    expect(await checkWebhookTarget("http://10.0.0.5/hook", policy(["crm.internal"]))).toMatchObject({ ok: false, reason: "private" });
  });

  it.each([
    ["https://nowhere.example.org/hook", "unresolved", "could not be found"],
    ["ftp://crm.example.org/hook", "invalid", "https://"],
    ["not a url", "invalid", "not a valid URL"],
  ])("refuses %s (%s)", async (url, reason, words) => {
    expect(await checkWebhookTarget(url, policy())).toMatchObject({ ok: false, reason, message: expect.stringContaining(words) });
  });
});

describe("isPublicAddress", () => {
  it.each([
    ["8.8.8.8", true],
    ["2001:4860:4860::8888", true],
    ["127.0.0.1", false],
    ["::ffff:8.8.8.8", true],
    ["::ffff:192.168.0.1", false],
    ["64:ff9b::7f00:1", false],
    ["2002:7f00:1::", false],
    // ::/8 apart from the mapped form: IPv4-compatible addresses and the rest of it, never handed out publicly.
    ["::127.0.0.1", false],
    ["::a9fe:a9fe", false],
    ["::1:7f00:1", false],
    ["::7f00:1", false],
    ["::808:808", false],
    ["4000::1", false],
    ["3fff:ffff::1", true],
    ["198.18.0.1", false],
    ["not an address", false],
  ])("%s: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
