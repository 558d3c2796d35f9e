import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Staging, sweepLeftScratch } from "./staging";

/** The id of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("the import's scratch folder", () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "staging-test-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([
    ["a killed import's folder (its process is gone): deleted", () => `rightsdesk-import-${deadPid()}-abc123`, false],
    ["a running import's folder (this process): kept", () => `rightsdesk-import-${process.pid}-abc123`, true],
    ["a folder of something else: kept", () => "rightsdesk-import-notes", true],
    ["another program's folder: kept", () => "other-1-abc", true],
  ])("%s", (_what, name, kept) => {
    const folder = path.join(root, name());
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "staging.db"), "x");
    sweepLeftScratch(root);
    expect(fs.existsSync(folder)).toBe(kept);
  });

  it("is made beside what it sweeps, and gone once closed", () => {
    const left = path.join(root, `rightsdesk-import-${deadPid()}-left`);
    fs.mkdirSync(left);
    const staging = new Staging(root);
    expect(fs.existsSync(left)).toBe(false);
    const mine = fs.readdirSync(root);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(new RegExp(`^rightsdesk-import-${process.pid}-`));
    staging.close();
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
