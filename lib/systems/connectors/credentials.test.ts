import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";
import { CredentialsError, CredentialsKeyError, loadOrCreateCredentialsKey, looksSealed, openSecret, sealSecret, type SealedFor } from "./credentials";

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
    expect(() => loadOrCreateCredentialsKey(dir)).toThrow(CredentialsKeyError);
    expect(() => loadOrCreateCredentialsKey(dir)).toThrow(/does not hold a usable key/);
  });
});

const PASSWORD_7: SealedFor = { purpose: "password", systemId: 7 };
const WEBHOOK_7: SealedFor = { purpose: "webhook-secret", systemId: 7 };

describe("sealing a password", () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  const passwords = ["s3cret", "", "pässwörd with spaces and 📧", "x".repeat(500)];
  for (const sealedFor of [PASSWORD_7, WEBHOOK_7]) {
    for (const password of passwords) {
      it(`opens again to exactly what was sealed (${sealedFor.purpose}, ${JSON.stringify(password.slice(0, 20))})`, () => {
        const key = loadOrCreateCredentialsKey(dir);
        const sealed = sealSecret(key, sealedFor, password);
        expect(looksSealed(sealed)).toBe(true);
        if (password.length > 3) expect(sealed).not.toContain(password);
        expect(openSecret(key, sealedFor, sealed)).toBe(password);
      });
    }
  }

  it("never seals the same password the same way twice (a fresh nonce each time)", () => {
    const key = loadOrCreateCredentialsKey(dir);
    expect(sealSecret(key, PASSWORD_7, "same")).not.toBe(sealSecret(key, PASSWORD_7, "same"));
  });

  it("still opens a password sealed before webhook secrets were sealed too", () => {
    // Sealed by the previous version of this module (system 7, associated data "rightsdesk:system-credentials:v1:7"), with this key.
    fs.writeFileSync(path.join(dir, "credentials-key"), "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
    const sealedBefore = "v1.m777iDTGn5TcaNgI.GxLU108JLS9rFANBMEDofg.bCmyg641q0XZYZBJIPQ3";
    const key = loadOrCreateCredentialsKey(dir);
    expect(openSecret(key, PASSWORD_7, sealedBefore)).toBe("s3cret-password");
    expect(() => openSecret(key, WEBHOOK_7, sealedBefore)).toThrow(CredentialsError);
  });

  it("tells a sealed value from one in the clear", () => {
    const key = loadOrCreateCredentialsKey(dir);
    expect(looksSealed(sealSecret(key, WEBHOOK_7, "x"))).toBe(true);
    for (const clear of ["plain-text-password", "v1.", "v1.a.b", "v2.a.b.c", "Zm9vYmFy-_abc"]) expect(looksSealed(clear)).toBe(false);
  });

  const tampering: Array<{ name: string; sealedFor: SealedFor; open: (sealed: string, dir: string) => string; remedy: RegExp }> = [
    { name: "another installation's key", sealedFor: PASSWORD_7, open: (s, d) => openSecret(loadOrCreateCredentialsKey(path.join(d, "other")), PASSWORD_7, s), remedy: /enter the password again/ },
    { name: "moved onto another system's row", sealedFor: PASSWORD_7, open: (s, d) => openSecret(loadOrCreateCredentialsKey(d), { purpose: "password", systemId: 8 }, s), remedy: /enter the password again/ },
    {
      name: "a changed byte",
      sealedFor: PASSWORD_7,
      open: (s, d) => {
        const parts = s.split(".");
        const body = Buffer.from(parts[3]!, "base64url");
        body[0] = body[0]! ^ 1;
        parts[3] = body.toString("base64url");
        return openSecret(loadOrCreateCredentialsKey(d), PASSWORD_7, parts.join("."));
      },
      remedy: /enter the password again/,
    },
    { name: "a value in another form", sealedFor: PASSWORD_7, open: (_s, d) => openSecret(loadOrCreateCredentialsKey(d), PASSWORD_7, "plain-text-password"), remedy: /enter the password again/ },
    { name: "a password opened as a webhook secret", sealedFor: PASSWORD_7, open: (s, d) => openSecret(loadOrCreateCredentialsKey(d), WEBHOOK_7, s), remedy: /give the system a new secret/ },
    { name: "a webhook secret opened as a password", sealedFor: WEBHOOK_7, open: (s, d) => openSecret(loadOrCreateCredentialsKey(d), PASSWORD_7, s), remedy: /enter the password again/ },
    {
      name: "a webhook secret moved onto another system's row",
      sealedFor: WEBHOOK_7,
      open: (s, d) => openSecret(loadOrCreateCredentialsKey(d), { purpose: "webhook-secret", systemId: 8 }, s),
      remedy: /webhook secret cannot be read .*; give the system a new secret/,
    },
    {
      name: "a webhook secret and another installation's key",
      sealedFor: WEBHOOK_7,
      open: (s, d) => openSecret(loadOrCreateCredentialsKey(path.join(d, "other")), WEBHOOK_7, s),
      remedy: /give the system a new secret/,
    },
  ];
  for (const { name, sealedFor, open, remedy } of tampering) {
    it(`refuses to open with ${name}, with a sentence for staff`, () => {
      const sealed = sealSecret(loadOrCreateCredentialsKey(dir), sealedFor, "s3cret-password");
      expect(() => open(sealed, dir)).toThrow(CredentialsError);
      expect(() => open(sealed, dir)).toThrow(remedy);
    });
  }
});
