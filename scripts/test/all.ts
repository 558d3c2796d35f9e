/**
 * `npm test`: the machine's preparation, the type check and the unit and
 * server tests (side by side), and the end-to-end tests, in that order,
 * stopping at the first that fails. The type check runs beside the unit
 * tests, at a lower priority than they have, because they leave part of the
 * two cores idle while they wait on the processes and servers they start;
 * its findings are printed once the unit tests are done. The production
 * build the end-to-end tests need is made meanwhile too, also at the lower
 * priority, so the end-to-end tests start on a build that is ready instead of
 * waiting minutes for it. At the tests' own priority the type check slowed
 * them by more than it took.
 */
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { buildIsCurrent, sourceFingerprint } from "../lib/build-fingerprint";
import { runChild, type ChildExit } from "../lib/child";

const root = fileURLToPath(new URL("../../", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
/** How much lower what runs beside the tests (the build, the type check) runs than they do (a nice value). */
const BESIDE_NICENESS = 10;

type Beside = { pid: number; done: Promise<ChildExit>; ended: boolean };
/** What runs beside the tests (the build, the type check): each a process group of its own, so that stopping it stops `next build` and its workers too. */
const beside: Beside[] = [];

/** Starts `command` beside the tests, lower than they run: it takes what they leave of the two cores. */
function startBeside(command: string, args: string[], options: { stdoutTo?: string } = {}): Beside {
  const child = runChild(command, args, { cwd: root, detached: true, ...options });
  try {
    os.setPriority(child.pid, BESIDE_NICENESS);
  } catch {
    // Not allowed to lower it: it then shares the cores evenly, which is slower but no less right.
  }
  // Settles with an exit code even when the command could not be started, so each waiter reads one outcome.
  const done = child.done.catch((error: unknown): ChildExit => ({ code: 1, seconds: 0, stdout: "", stderr: String(error) }));
  const started: Beside = { pid: child.pid, done, ended: false };
  const ended = () => {
    started.ended = true;
  };
  void done.then(ended);
  beside.push(started);
  return started;
}

function stopBeside(): void {
  for (const child of beside) {
    if (child.ended) continue;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
}
process.on("exit", stopBeside);
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.on(signal, () => process.exit(code));
}

/** One step, `npm run script`, ending the run if it fails; waited on without blocking, so what runs beside it keeps being read. */
async function step(script: string): Promise<void> {
  const child = spawn(npm, ["run", script], { cwd: root, stdio: "inherit" });
  const code = await new Promise<number>((resolve) => {
    child.once("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    child.once("error", () => resolve(1));
  });
  if (code !== 0) process.exit(code);
}

await step("test:prepare");

let build: Beside | null = null;
if (buildIsCurrent(root, sourceFingerprint(root))) {
  console.log("[test] the production build is current");
} else {
  build = startBeside(process.execPath, ["--import", "tsx", "scripts/build.ts"]);
  console.log("[test] building the production server beside the unit tests");
}

// What the type check finds is kept in a file and printed after the unit tests, not in the middle of theirs.
const typecheckFolder = fs.mkdtempSync(path.join(os.tmpdir(), "rightsdesk-typecheck-"));
process.on("exit", () => fs.rmSync(typecheckFolder, { recursive: true, force: true }));
const typecheckOutput = path.join(typecheckFolder, "output.txt");
const typecheck = startBeside(npm, ["run", "--silent", "typecheck"], { stdoutTo: typecheckOutput });
console.log("[test] type-checking beside the unit tests");
await step("test:unit");
const checked = await typecheck.done;
const findings = fs.existsSync(typecheckOutput) ? fs.readFileSync(typecheckOutput, "utf8") : "";
if (checked.code !== 0) {
  process.stderr.write(`${findings}\n${checked.stderr}\n`);
  console.error("[test] the type check failed (what it found is above), so the end-to-end tests do not run.");
  process.exit(1);
}
console.log(`[test] type-checked in ${Math.round(checked.seconds)} s, beside the unit tests`);

if (build !== null) {
  const exit = await build.done;
  if (exit.code !== 0) {
    // The end of what it printed, where the build's own error is.
    process.stderr.write(`${exit.stdout}\n${exit.stderr}\n`);
    console.error("[test] the production build failed (the end of its output is above), so the end-to-end tests cannot run.");
    process.exit(1);
  }
  console.log(`[test] built in ${Math.round(exit.seconds)} s, beside the unit tests`);
}
await step("test:e2e");
