import { describe, expect, it } from "vitest";
import { clientAddress, limitKeyForAddress, PEER_ADDRESS_HEADER } from "./client-ip";

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
  const peer = { [PEER_ADDRESS_HEADER]: "203.0.113.5" };

  it("ignores X-Forwarded-For unless told proxies write it: a client can send anything there", () => {
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "10.9.9.9" }), 0)).toBe("203.0.113.5");
  });

  it("with one trusted proxy takes the address that proxy appended, not what the client put before it", () => {
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "10.9.9.9, 198.51.100.4" }), 1)).toBe("198.51.100.4");
  });

  it("with two trusted proxies takes the second from the right", () => {
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "10.9.9.9, 198.51.100.4, 10.0.0.2" }), 2)).toBe("198.51.100.4");
  });

  it("falls back to the connection's address when the header is missing, short or not an address", () => {
    expect(clientAddress(headers(peer), 1)).toBe("203.0.113.5");
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "198.51.100.4" }), 2)).toBe("203.0.113.5");
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "not-an-ip" }), 1)).toBe("203.0.113.5");
  });

  it("without the portal's own server in front, everyone is one unknown network", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "10.9.9.9" }), 0)).toBe("unknown");
  });
});
