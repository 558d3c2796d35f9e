/**
 * `npm test`: the machine's preparation; then the unit and server tests, the
 * type check, the production build and the end-to-end tests, overlapping
 * where that keeps the two cores busy; stopping at the first that fails.
 *
 * The suite is bound by the processor, and each part alone leaves some of it
 * idle while it waits (the unit tests on the processes and servers they start,
 * the end-to-end tests that need a server of their own on restarts, leases and
 * outside servers). So the build is made beside the unit tests, and the
 * end-to-end tests that need a server of their own start as soon as it is
 * ready, still beside the unit tests, their output held until the unit tests'
 * is printed; the shared end-to-end tests start when the unit tests are done.
 * The type check runs beside them all at a lower priority (at the tests' own
 * it slowed them by more than it took), and what it finds is printed after
 * the unit tests; if it fails, the end-to-end tests are stopped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { buildIsCurrent, sourceFingerprint } from "../lib/build-fingerprint";
import { runChild, type ChildExit } from "../lib/child";
import { describeEnd, partArgs, ROOT as root, runPlaywright, type E2eRun } from "./e2e-run";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
/** How much lower the type check runs than the tests (a nice value). */
const TYPECHECK_NICENESS = 10;

type Beside = { pid: number; done: Promise<ChildExit>; ended: boolean };
/** What runs beside the tests (the build, the type check): each a process group of its own, so that stopping it stops `next build` and its workers too. */
const beside: Beside[] = [];

/** Starts `command` beside the tests; with a niceness, lower than they run, so it takes what they leave of the two cores. */
function startBeside(command: string, args: string[], options: { stdoutTo?: string; niceness?: number } = {}): Beside {
  const child = runChild(command, args, { cwd: root, detached: true, stdoutTo: options.stdoutTo });
  if (options.niceness !== undefined) {
    try {
      os.setPriority(child.pid, options.niceness);
    } catch {
      // Not allowed to lower it: it then shares the cores evenly, which is slower but no less right.
    }
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
/** The end-to-end runs started so far. */
const runs: E2eRun[] = [];
/** The step running now (`npm run ...`), stopped too when the run ends early. */
let current: ChildProcess | null = null;
/** Set once the run is ending: nothing more is started. */
let stopping = false;

/** Ends `npm test` with `code`, once every end-to-end run started has stopped its servers and deleted its folders. */
async function finish(code: number): Promise<never> {
  stopping = true;
  stopBeside();
  current?.kill("SIGTERM");
  for (const run of runs) run.child.kill("SIGTERM");
  await Promise.all(runs.map((run) => run.done));
  for (const run of runs) run.release();
  process.exit(code);
}

process.on("exit", stopBeside);
// Ctrl-C reaches the runs from the terminal too; either way this waits for them to clean up.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.on(signal, () => void finish(code));
}

/** `npm run script`, waited on without blocking, so what runs beside it keeps being read; settles with its exit code. */
function runStep(script: string): Promise<number> {
  const child = spawn(npm, ["run", script], { cwd: root, stdio: "inherit" });
  current = child;
  return new Promise<number>((resolve) => {
    child.once("exit", (exitCode, signal) => {
      current = null;
      resolve(exitCode ?? (signal ? 1 : 0));
    });
    child.once("error", () => resolve(1));
  });
}

const prepared = await runStep("test:prepare");
if (prepared !== 0) process.exit(prepared);

let build: Beside | null = null;
if (buildIsCurrent(root, sourceFingerprint(root))) {
  console.log("[test] the production build is current");
} else {
  build = startBeside(process.execPath, ["--import", "tsx", "scripts/build.ts"]);
  console.log("[test] building the production server beside the unit tests");
}

// The end-to-end tests with a server of their own, as soon as there is a build; held until the unit tests are done.
let serial = null as E2eRun | null;
let unitsDone = false;
const startSerial = () => {
  if (stopping) return;
  serial = runPlaywright(partArgs("serial"), "serial", { hold: !unitsDone });
  runs.push(serial);
  if (!unitsDone) console.log("[test] the end-to-end tests with a server of their own started beside the unit tests (their output follows theirs)");
};
if (build === null) startSerial();
else void build.done.then((exit) => exit.code === 0 && startSerial());

// What the type check finds is kept in a file and printed after the unit tests, not in the middle of theirs.
const typecheckFolder = fs.mkdtempSync(path.join(os.tmpdir(), "rightsdesk-typecheck-"));
process.on("exit", () => fs.rmSync(typecheckFolder, { recursive: true, force: true }));
const typecheckOutput = path.join(typecheckFolder, "output.txt");
const typecheck = startBeside(npm, ["run", "--silent", "typecheck"], { stdoutTo: typecheckOutput, niceness: TYPECHECK_NICENESS });
console.log("[test] type-checking beside the unit tests");

const units = await runStep("test:unit");
unitsDone = true;
if (units !== 0) await finish(units);

const checked = await typecheck.done;
const findings = fs.existsSync(typecheckOutput) ? fs.readFileSync(typecheckOutput, "utf8") : "";
if (checked.code !== 0) {
  process.stderr.write(`${findings}\n${checked.stderr}\n`);
  console.error("[test] the type check failed (what it found is above), so the end-to-end tests are stopped.");
  await finish(1);
}
console.log(`[test] type-checked in ${Math.round(checked.seconds)} s, beside the unit tests`);

if (build !== null) {
  const exit = await build.done;
  if (exit.code !== 0) {
    // The end of what it printed, where the build's own error is.
    process.stderr.write(`${exit.stdout}\n${exit.stderr}\n`);
    console.error("[test] the production build failed (the end of its output is above), so the end-to-end tests cannot run.");
    await finish(1);
  }
  console.log(`[test] built in ${Math.round(exit.seconds)} s, beside the unit tests`);
}

serial?.release();
const shared = runPlaywright(partArgs("shared"), "shared");
runs.push(shared);
const [sharedEnd, serialEnd] = await Promise.all([shared.done, serial?.done]);
console.log(`[e2e] the shared tests ${describeEnd(sharedEnd)}; the tests with a server of their own ${serialEnd ? describeEnd(serialEnd) : "did not run"}`);
process.exit(sharedEnd.code === 0 && serialEnd?.code === 0 ? 0 : 1);
