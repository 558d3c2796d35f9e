import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// Everything that changes what `next build` produces.
const INPUTS = [
  "app",
  "db",
  "lib",
  "server",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];

function* filesUnder(root: string, entry: string): Generator<string> {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return;
  const stat = fs.statSync(full);
  if (stat.isFile()) {
    yield entry;
    return;
  }
  for (const child of fs.readdirSync(full).sort()) {
    if (child === "node_modules" || child.endsWith(".test.ts")) continue;
    yield* filesUnder(root, path.join(entry, child));
  }
}

/** A hash of every build input's path and content. */
export function sourceFingerprint(root: string): string {
  const hash = createHash("sha256");
  for (const entry of INPUTS) {
    for (const file of filesUnder(root, entry)) {
      hash.update(file).update("\0").update(fs.readFileSync(path.join(root, file))).update("\0");
    }
  }
  return hash.digest("hex");
}

const STAMP = path.join(".next", "rightsdesk-source-fingerprint");

/** True when .next holds a finished build of exactly these sources. */
export function buildIsCurrent(root: string, fingerprint: string): boolean {
  const stamp = path.join(root, STAMP);
  return (
    fs.existsSync(path.join(root, ".next", "BUILD_ID")) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, "utf8").trim() === fingerprint
  );
}

export function recordBuild(root: string, fingerprint: string): void {
  fs.writeFileSync(path.join(root, STAMP), fingerprint + "\n");
}

export type BuildOutcome = { ok: true; built: boolean } | { ok: false; status: number };

/**
 * Runs `next build` (NODE_ENV=production, over `env`) when .next holds no
 * build of the current sources, printing `announce` first, and records the
 * build when it succeeds. The caller decides what a failure means; the
 * build's own output has gone to the terminal.
 */
export function buildIfStale(root: string, env: Record<string, string | undefined>, announce: string): BuildOutcome {
  const fingerprint = sourceFingerprint(root);
  if (buildIsCurrent(root, fingerprint)) return { ok: true, built: false };
  console.log(announce);
  const nextBin = createRequire(path.join(root, "package.json")).resolve("next/dist/bin/next");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
  if (build.status !== 0) return { ok: false, status: build.status ?? 1 };
  recordBuild(root, fingerprint);
  return { ok: true, built: true };
}
