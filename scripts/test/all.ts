/**
 * `npm test`: the machine's preparation, the type check, the unit and server
 * tests, and the end-to-end tests, in that order, stopping at the first that
 * fails. The production build the end-to-end tests need is made meanwhile,
 * beside the type check and the unit tests, at a lower priority than they
 * have (it takes what they leave of the two cores), so the end-to-end tests
 * start on a build that is ready instead of waiting minutes for it.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { buildIsCurrent, sourceFingerprint } from "../lib/build-fingerprint";
import { runChild, type ChildExit } from "../lib/child";

const root = fileURLToPath(new URL("../../", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
/** How much lower the build runs than the tests (a nice value). */
const BUILD_NICENESS = 10;

/** The build running beside the tests: a process group of its own, so that stopping it stops `next build` and its workers too. */
let build: { pid: number; done: Promise<ChildExit> } | null = null;
let buildEnded = false;

function stopBuild(): void {
  if (build === null || buildEnded) return;
  try {
    process.kill(-build.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}
process.on("exit", stopBuild);
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.on(signal, () => process.exit(code));
}

function step(script: string): void {
  const result = spawnSync(npm, ["run", script], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step("test:prepare");

if (buildIsCurrent(root, sourceFingerprint(root))) {
  console.log("[test] the production build is current");
} else {
  build = runChild(process.execPath, ["--import", "tsx", "scripts/build.ts"], { cwd: root, detached: true });
  const ended = () => {
    buildEnded = true;
  };
  build.done.then(ended, ended);
  try {
    os.setPriority(build.pid, BUILD_NICENESS);
  } catch {
    // Not allowed to lower it: it then shares the cores evenly, which is slower but no less right.
  }
  console.log("[test] building the production server beside the unit tests");
}

step("typecheck");
step("test:unit");

if (build !== null) {
  const exit = await build.done.catch((error: unknown) => ({ code: 1, seconds: 0, stdout: "", stderr: String(error) }));
  if (exit.code !== 0) {
    // The end of what it printed, where the build's own error is.
    process.stderr.write(`${exit.stdout}\n${exit.stderr}\n`);
    console.error("[test] the production build failed (the end of its output is above), so the end-to-end tests cannot run.");
    process.exit(1);
  }
  console.log(`[test] built in ${Math.round(exit.seconds)} s, beside the unit tests`);
}
step("test:e2e");
