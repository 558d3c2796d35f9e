import os from "node:os";
import { describe, expect, it } from "vitest";
import { ownerIsGone, ownerToken, processIsAlive } from "./owner";

const HOST = os.hostname();
const DEAD = 999_999_999;
const isAlive = (pid: number) => pid !== DEAD;

describe("ownerIsGone", () => {
  it.each<[string, string, boolean]>([
    ["a process on this machine that is no longer running", ownerToken(HOST, DEAD), true],
    ["a process on this machine that is running", ownerToken(HOST, 4242), false],
    ["this process itself", ownerToken(HOST, process.pid), false],
    ["a process on another machine", ownerToken("another-machine", DEAD), false],
    ["a token of the old shape (a bare id)", "8a4f1c2e-0d7b-4d62-9c1e-3f5a6b7c8d9e", false],
    ["a token with a made-up tail", `${HOST}/${DEAD}/not-an-id`, false],
    ["nothing", "", false],
  ])("%s: %s", (_what, token, gone) => {
    expect(ownerIsGone(token, { host: HOST, isAlive })).toBe(gone);
  });

  it("asks the system by default: a process id no process has is gone, this test's parent is not", () => {
    expect(ownerIsGone(ownerToken(HOST, DEAD))).toBe(true);
    expect(ownerIsGone(ownerToken(HOST, process.ppid))).toBe(false);
    expect(processIsAlive(process.pid)).toBe(true);
  });

  it("names the machine and the process, and keeps two claims of one process apart", () => {
    expect(ownerToken("box", 12)).toMatch(/^box\/12\/[0-9a-f-]{36}$/);
    expect(ownerToken()).not.toBe(ownerToken());
  });
});
