import fs from "node:fs";
import path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";
import { KeyError, loadOrCreateSigningKey, publicKeyFromPem, readSigningKey, signText, verifyText } from "./signing-key";

describe("the organisation's signing key", () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it("is created once, readable only by its owner, and is the same key after", () => {
    const file = path.join(dir, "data", "signing-key.pem");
    const first = loadOrCreateSigningKey(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(first.publicKey.id).toMatch(/^[0-9a-f]{16}$/);
    expect(first.publicKey.pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);

    const second = loadOrCreateSigningKey(file);
    expect(second.publicKey.pem).toBe(first.publicKey.pem);
    // Nothing but the key is left behind (no temporary files).
    expect(fs.readdirSync(path.dirname(file))).toEqual(["signing-key.pem"]);
  });

  it("gives different installations different keys", () => {
    const a = loadOrCreateSigningKey(path.join(dir, "a.pem"));
    const b = loadOrCreateSigningKey(path.join(dir, "b.pem"));
    expect(a.publicKey.id).not.toBe(b.publicKey.id);
  });

  it("signs text that its public key, and only its public key, verifies", () => {
    const key = loadOrCreateSigningKey(path.join(dir, "k.pem"));
    const other = loadOrCreateSigningKey(path.join(dir, "other.pem"));
    const signature = signText(key, "Reference: RD-AAAA-AAAA");
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const published = publicKeyFromPem(key.publicKey.pem);
    expect(published.id).toBe(key.publicKey.id);
    expect(verifyText(published, "Reference: RD-AAAA-AAAA", signature)).toBe(true);
    expect(verifyText(published, "Reference: RD-AAAA-AAAB", signature)).toBe(false);
    expect(verifyText(other.publicKey, "Reference: RD-AAAA-AAAA", signature)).toBe(false);
    const flipped = `${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
    expect(verifyText(published, "Reference: RD-AAAA-AAAA", flipped)).toBe(false);
    expect(verifyText(published, "Reference: RD-AAAA-AAAA", "not a signature")).toBe(false);
    // The last character carries spare bits: a different character with the same bytes is still not the signature given.
    const last = signature.at(-1)!;
    for (const other of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") {
      if (other !== last) expect(verifyText(published, "Reference: RD-AAAA-AAAA", `${signature.slice(0, -1)}${other}`)).toBe(false);
    }

  });

  it.each<[string, () => string, RegExp]>([
    ["a missing file", () => path.join(dir, "missing.pem"), /^There is no signing key at .*missing\.pem; set SIGNING_KEY_FILE/],
    ["a file that holds no key", () => write("junk.pem", "hello\n"), /does not hold a private key; restore it from your backup/],
    [
      "a key of another kind",
      () => write("rsa.pem", generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
      /holds a rsa key, not an Ed25519 key/,
    ],
  ])("refuses %s with a sentence naming it", (_, file, message) => {
    expect(() => readSigningKey(file())).toThrow(KeyError);
    expect(() => readSigningKey(file())).toThrow(message);
  });

  it.each([
    ["nothing like a key", "hello", /That is not a public key/],
    ["an RSA public key", generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }).toString(), /not an Ed25519 key/],
  ])("refuses as a published key %s", (_, pem, message) => {
    expect(() => publicKeyFromPem(pem)).toThrow(message);
  });

  function write(name: string, text: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  }
});
