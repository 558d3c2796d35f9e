import { describe, expect, it } from "vitest";
import { clientAddress, limitKeyForAddress, trustedPeerHeader, untrustedPeerHeaders } from "./client-ip";

function headers(values: Record<string, string>) {
  return (name: string) => values[name.toLowerCase()] ?? null;
}

describe("limitKeyForAddress", () => {
  it.each([
    ["192.0.2.7", "192.0.2.7"],
    [" 192.0.2.7 ", "192.0.2.7"],
    ["::ffff:192.0.2.7", "192.0.2.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:DB8:1:2::99", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["[2001:db8:aa:bb::1]", "2001:db8:aa:bb::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("%s counts as %s", (address, key) => {
    expect(limitKeyForAddress(address)).toBe(key);
  });

  it.each(["", "unknown", "999.1.1.1", "192.0.2.7:8080", "<script>"])("%j is not an address", (address) => {
    expect(limitKeyForAddress(address)).toBeNull();
  });

  it("puts two addresses of one /64 together and keeps other /64s apart", () => {
    expect(limitKeyForAddress("2001:db8:1:2::a")).toBe(limitKeyForAddress("2001:db8:1:2:ffff::b"));
    expect(limitKeyForAddress("2001:db8:1:2::a")).not.toBe(limitKeyForAddress("2001:db8:1:3::a"));
  });
});

describe("clientAddress", () => {
  const PEER = `x-rightsdesk-peer-${"ab12".repeat(8)}`;
  const peer = { [PEER]: "203.0.113.5" };

  it("ignores X-Forwarded-For unless told proxies write it: a client can send anything there", () => {
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "10.9.9.9" }), 0, PEER)).toBe("203.0.113.5");
  });

  it("with one trusted proxy takes the address that proxy appended, not what the client put before it", () => {
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "10.9.9.9, 198.51.100.4" }), 1, PEER)).toBe("198.51.100.4");
  });

  it("with two trusted proxies takes the second from the right", () => {
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "10.9.9.9, 198.51.100.4, 10.0.0.2" }), 2, PEER)).toBe("198.51.100.4");
  });

  it("falls back to the connection's address when the header is missing, short or not an address", () => {
    expect(clientAddress(headers(peer), 1, PEER)).toBe("203.0.113.5");
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "198.51.100.4" }), 2, PEER)).toBe("203.0.113.5");
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "not-an-ip" }), 1, PEER)).toBe("203.0.113.5");
  });

  it("without the portal's own server in front, everyone is one unknown network", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "10.9.9.9" }), 0, null)).toBe("unknown");
  });

  it.each([
    ["the header's old fixed name, with no server in front", { "x-rightsdesk-peer": "198.51.100.9" }, null],
    ["a name like the server's, with no server in front", { [PEER]: "198.51.100.9" }, null],
    ["the header's old fixed name, beside the server's", { ...peer, "x-rightsdesk-peer": "198.51.100.9" }, PEER],
    ["a made-up name like the server's, beside it", { ...peer, [`x-rightsdesk-peer-${"0".repeat(32)}`]: "198.51.100.9" }, PEER],
  ])("a client cannot choose its network by sending %s", (_what, sent, trusted) => {
    expect(clientAddress(headers(sent), 0, trusted)).toBe(trusted ? "203.0.113.5" : "unknown");
  });
});

describe("the peer header", () => {
  it.each([
    [{ RIGHTSDESK_PEER_HEADER: `x-rightsdesk-peer-${"0f".repeat(16)}` }, `x-rightsdesk-peer-${"0f".repeat(16)}`],
    [{}, null],
    [{ RIGHTSDESK_PEER_HEADER: "" }, null],
    // Only a name of the form the server draws: never one that could name an ordinary header.
    [{ RIGHTSDESK_PEER_HEADER: "x-forwarded-for" }, null],
    [{ RIGHTSDESK_PEER_HEADER: "x-rightsdesk-peer" }, null],
    [{ RIGHTSDESK_PEER_HEADER: `x-rightsdesk-peer-${"0F".repeat(16)}` }, null],
  ])("is trusted under the name the server handed over: %j", (env, name) => {
    expect(trustedPeerHeader(env)).toBe(name);
  });

  it("is removed from a request under every name but the trusted one", () => {
    const trusted = `x-rightsdesk-peer-${"12".repeat(16)}`;
    const names = ["host", "X-Rightsdesk-Peer", "x-rightsdesk-peer-", trusted, `x-rightsdesk-peer-${"34".repeat(16)}`, "x-forwarded-for"];
    expect(untrustedPeerHeaders(names, trusted)).toEqual(["X-Rightsdesk-Peer", "x-rightsdesk-peer-", `x-rightsdesk-peer-${"34".repeat(16)}`]);
    expect(untrustedPeerHeaders(names, null)).toEqual(["X-Rightsdesk-Peer", "x-rightsdesk-peer-", trusted, `x-rightsdesk-peer-${"34".repeat(16)}`]);
  });
});
