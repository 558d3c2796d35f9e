import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";
import { loadOrCreateSigningKey, newSecretSalt, subscriptionSecret } from "./signing-key";

describe("the subscriptions' signing key", () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it("is made once in a file readable only by its owner, beside the database rather than in it", () => {
    const key = loadOrCreateSigningKey(dir);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(path.join(dir, "api-signing-key")).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSigningKey(dir)).toBe(key);
  });

  it("refuses a file that holds no usable key", () => {
    fs.writeFileSync(path.join(dir, "api-signing-key"), "short\n");
    expect(() => loadOrCreateSigningKey(dir)).toThrow("does not hold a usable key");
  });

  it("makes each subscription its own secret from its salt", () => {
    const key = "k".repeat(64);
    const [a, b] = [newSecretSalt(), newSecretSalt()];
    expect(a).not.toBe(b);
    expect(subscriptionSecret(key, a)).toBe(subscriptionSecret(key, a));
    expect(subscriptionSecret(key, a)).not.toBe(subscriptionSecret(key, b));
    expect(subscriptionSecret("other".repeat(10), a)).not.toBe(subscriptionSecret(key, a));
  });
});
