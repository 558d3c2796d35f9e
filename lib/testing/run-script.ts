/**
 * Test helper: runs one of the project's commands (scripts/….ts) as a
 * separate process, as npm runs it in production but from its bundle
 * (./script-bundles.ts), and hands back its exit status and output. Only
 * tests import this.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { nodeArgs, ROOT } from "./script-bundles";
import { makeTempDir, removeTempDir } from "./temp-database";

export type ScriptRun = { status: number | null; stdout: string; stderr: string };

/**
 * `node <script> <args>` from the project root (the script's bundle when the test run made one, else the source
 * through tsx: ./script-bundles.ts) with NODE_ENV=production, only
 * PATH and HOME taken from this process's environment, and `env` over that.
 */
export function runScript(script: string, args: string[] = [], env: Record<string, string> = {}): ScriptRun {
  const result = spawnSync(process.execPath, [...nodeArgs(script), ...args], {
    cwd: ROOT,
    env: { NODE_ENV: "production", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export type ScriptSandbox = {
  /** A fresh temporary folder, deleted by `remove`. */
  dir: string;
  /** DATABASE_PATH for every `run`: rightsdesk.db in `dir`, created by the first command that opens it. */
  databasePath: string;
  /** `runScript` with DATABASE_PATH, a valid AUTH_SECRET, and the signing key and anchor file in `dir`; `env` can override each. */
  run(script: string, args?: string[], env?: Record<string, string>): ScriptRun;
  /** Writes `text` to `name` in `dir` and returns the file's path. */
  write(name: string, text: string): string;
  remove(): void;
};

/** A temporary folder with its own database for a command test. */
export function scriptSandbox(prefix = "rightsdesk-script-"): ScriptSandbox {
  const dir = makeTempDir(prefix);
  const databasePath = path.join(dir, "rightsdesk.db");
  return {
    dir,
    databasePath,
    run: (script, args = [], env = {}) =>
      runScript(script, args, {
        DATABASE_PATH: databasePath,
        AUTH_SECRET: "s".repeat(64),
        SIGNING_KEY_FILE: path.join(dir, "signing-key.pem"),
        ANCHOR_FILE: path.join(dir, "anchors.jsonl"),
        ...env,
      }),
    write(name, text) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
    remove: () => removeTempDir(dir),
  };
}
