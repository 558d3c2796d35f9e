/**
 * `npm test`: the machine's preparation, the type check, the unit and server
 * tests, and the end-to-end tests, in that order, stopping at the first that
 * fails. The production build the end-to-end tests need is made meanwhile,
 * beside the type check and the unit tests, at a lower priority than they
 * have (it takes what they leave of the two cores), so the end-to-end tests
 * start on a build that is ready instead of waiting minutes for it.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
/** How much lower the build runs than the tests (a nice value). */
const BUILD_NICENESS = 10;

function step(script: string): void {
  const result = spawnSync(npm, ["run", script], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    stopBuild();
    process.exit(result.status ?? 1);
  }
}

step("test:prepare");

const logPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rightsdesk-test-build-")), "build.log");
const log = fs.openSync(logPath, "w");
const started = performance.now();
// A process group of its own, so that stopping it stops `next build` and its workers too.
const build = spawn(process.execPath, ["--import", "tsx", "scripts/build.ts"], { cwd: root, stdio: ["ignore", log, log], detached: true });
try {
  if (build.pid !== undefined) os.setPriority(build.pid, BUILD_NICENESS);
} catch {
  // Not allowed to lower it: it then shares the cores evenly, which is slower but no less right.
}
const built = new Promise<{ code: number; seconds: number }>((resolve) => {
  const end = (code: number) => resolve({ code, seconds: Math.round((performance.now() - started) / 1000) });
  build.once("exit", (code, signal) => end(code ?? (signal ? 1 : 0)));
  build.once("error", () => end(1));
});
console.log(`[test] building the production server beside the unit tests (log: ${logPath})`);

function stopBuild(): void {
  if (build.exitCode !== null || build.signalCode !== null || build.pid === undefined) return;
  try {
    process.kill(-build.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}
// Its log is shown when it fails; either way the folder goes when this process ends.
process.on("exit", () => {
  stopBuild();
  fs.rmSync(path.dirname(logPath), { recursive: true, force: true });
});
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.on(signal, () => process.exit(code));
}

step("typecheck");
step("test:unit");

const { code, seconds } = await built;
const text = fs.readFileSync(logPath, "utf8");
if (code !== 0) {
  process.stderr.write(text);
  console.error("[test] the production build failed (its output is above), so the end-to-end tests cannot run.");
  process.exit(1);
}
console.log(`[test] ${text.includes("Built.") ? `built in ${seconds} s` : "the build was current"}, beside the unit tests`);
step("test:e2e");
