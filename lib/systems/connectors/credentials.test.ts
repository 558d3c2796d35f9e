import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";
import { CredentialsError, loadOrCreateCredentialsKey, openSecret, sealSecret } from "./credentials";

describe("the credentials key", () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it("is created once in its own file beside the auth secret, readable only by its owner", () => {
    const first = loadOrCreateCredentialsKey(dir);
    const file = path.join(dir, "credentials-key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.key.length).toBe(32);
    expect(loadOrCreateCredentialsKey(dir).key.equals(first.key)).toBe(true);
  });

  it("refuses a file that does not hold a key", () => {
    fs.writeFileSync(path.join(dir, "credentials-key"), "not a key\n");
    expect(() => loadOrCreateCredentialsKey(dir)).toThrow(/does not hold a usable key/);
  });
});

describe("sealing a password", () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  const passwords = ["s3cret", "", "pässwörd with spaces and 📧", "x".repeat(500)];
  for (const password of passwords) {
    it(`opens again to exactly what was sealed (${JSON.stringify(password.slice(0, 20))})`, () => {
      const key = loadOrCreateCredentialsKey(dir);
      const sealed = sealSecret(key, 7, password);
      if (password.length > 3) expect(sealed).not.toContain(password);
      expect(openSecret(key, 7, sealed)).toBe(password);
    });
  }

  it("never seals the same password the same way twice (a fresh nonce each time)", () => {
    const key = loadOrCreateCredentialsKey(dir);
    expect(sealSecret(key, 1, "same")).not.toBe(sealSecret(key, 1, "same"));
  });

  const tampering: Array<{ name: string; open: (sealed: string, dir: string) => string }> = [
    { name: "another installation's key", open: (s, d) => openSecret(loadOrCreateCredentialsKey(path.join(d, "other")), 7, s) },
    { name: "moved onto another system's row", open: (s, d) => openSecret(loadOrCreateCredentialsKey(d), 8, s) },
    {
      name: "a changed byte",
      open: (s, d) => {
        const parts = s.split(".");
        const body = Buffer.from(parts[3]!, "base64url");
        body[0] = body[0]! ^ 1;
        parts[3] = body.toString("base64url");
        return openSecret(loadOrCreateCredentialsKey(d), 7, parts.join("."));
      },
    },
    { name: "a value in another form", open: (_s, d) => openSecret(loadOrCreateCredentialsKey(d), 7, "plain-text-password") },
  ];
  for (const { name, open } of tampering) {
    it(`refuses to open with ${name}, with a sentence for staff`, () => {
      const sealed = sealSecret(loadOrCreateCredentialsKey(dir), 7, "s3cret-password");
      expect(() => open(sealed, dir)).toThrow(CredentialsError);
      expect(() => open(sealed, dir)).toThrow(/enter (it|the password) again/);
    });
  }
});
