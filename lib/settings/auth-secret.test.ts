import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";
import { loadOrCreateAuthSecret } from "./auth-secret";

describe("loadOrCreateAuthSecret", () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it("creates the secret file once, readable only by its owner, and returns the same secret after", () => {
    const dataDir = path.join(dir, "data");
    const first = loadOrCreateAuthSecret(dataDir);
    const file = path.join(dataDir, "auth-secret");
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8").trim()).toBe(first);

    const second = loadOrCreateAuthSecret(dataDir);
    expect(second).toBe(first);
    expect(fs.readdirSync(dataDir)).toEqual(["auth-secret"]);
  });

  it("gives different installations different secrets", () => {
    expect(loadOrCreateAuthSecret(path.join(dir, "a"))).not.toBe(loadOrCreateAuthSecret(path.join(dir, "b")));
  });

  it("refuses a file that does not hold a usable secret", () => {
    fs.writeFileSync(path.join(dir, "auth-secret"), "too short\n");
    expect(() => loadOrCreateAuthSecret(dir)).toThrow(/does not hold a usable secret/);
  });
});
