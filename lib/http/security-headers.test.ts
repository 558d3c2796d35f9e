import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, exportPagePolicy, securityHeaders } from "./security-headers";

describe("securityHeaders", () => {
  it("sends HSTS only when the public address is https", () => {
    expect(securityHeaders({ nonce: "n", appUrl: "https://rights.example.org" })["Strict-Transport-Security"]).toBe(
      "max-age=31536000; includeSubDomains",
    );
    expect(securityHeaders({ nonce: "n", appUrl: "http://localhost:3000" })).not.toHaveProperty("Strict-Transport-Security");
  });

  it("forbids framing, sniffing and full referrers", () => {
    expect(securityHeaders({ nonce: "n", appUrl: "http://localhost:3000" })).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      "X-Frame-Options": "DENY",
    });
  });
});

describe("contentSecurityPolicy", () => {
  const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

  it("runs scripts only with the nonce: no inline scripts, no eval in production", () => {
    const policy = directives(contentSecurityPolicy("abc123"));
    expect(policy.get("script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(policy.get("script-src")).not.toContain("'unsafe-inline'");
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
  });

  it("allows eval only for development", () => {
    expect(directives(contentSecurityPolicy("n", { development: true })).get("script-src")).toContain("'unsafe-eval'");
  });
});

// The readable export is a person's data, some of it from outside systems: nothing in it may run, load or post.
describe("the export page's policy", () => {
  const policyAt = (pathname: string) => securityHeaders({ nonce: "abc123", appUrl: "http://localhost:3000", pathname })["Content-Security-Policy"];
  it.each([
    ["/requests/RD-7K3Q-9XWM/export/html", true],
    ["/staff/requests/RD-7K3Q-9XWM/export/preview", true],
    ["/staff/requests/RD-7K3Q-9XWM/export/sent", true],
    ["/requests/RD-7K3Q-9XWM/export/json", false],
    ["/requests/RD-7K3Q-9XWM", false],
    ["/staff/requests/RD-7K3Q-9XWM", false],
    ["/requests/RD-7K3Q-9XWM/export/html/extra", false],
  ])("%s is served as an export page: %s", (pathname, strict) => {
    expect(policyAt(pathname)).toBe(strict ? exportPagePolicy("abc123") : contentSecurityPolicy("abc123"));
  });

  it("lets nothing run, load, post or frame it, and styles it only with the nonce", () => {
    expect(exportPagePolicy("abc123")).toBe("default-src 'none'; style-src 'nonce-abc123'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  });
});
