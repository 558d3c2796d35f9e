import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, closeSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { HEALTH_PATH, killProcessGroupNow, pollHealth } from "../../scripts/lib/processes";
import { assertDatabaseInTmp } from "./safety";

// The process-group helpers live with the bench's in scripts/lib/processes.ts; callers keep importing them from here.
export { HEALTH_PATH, killProcessGroupNow, sleep, stopProcessGroup } from "../../scripts/lib/processes";

/** Everything needed to (re)start the app the same way every time. */
export type AppSpec = {
  projectRoot: string;
  /** Variables layered over process.env for the app and its CLI scripts. */
  env: Record<string, string>;
  logPath: string;
  baseUrl: string;
};

export type LaunchedApp = {
  pid: number;
  /** Resolves with a human-readable reason once the process is gone. */
  exited: Promise<string>;
  hasExited(): boolean;
};

const LOG_TAIL_LINES = 60;

/** The repository root, found relative to this file so it works from any cwd. */
export function projectRoot(): string {
  return fileURLToPath(new URL("../../", import.meta.url));
}

function tsxBin(root: string): string {
  return path.join(root, "node_modules", ".bin", "tsx");
}

/** Builds the child environment; NODE_ENV is pinned so a developer's "development" or "test" never leaks into the build. */
function childEnv(spec: AppSpec): NodeJS.ProcessEnv {
  assertDatabaseInTmp(spec.env.DATABASE_PATH);
  return { ...process.env, ...spec.env, NODE_ENV: "production" };
}

/**
 * Spawns `tsx scripts/start.ts` in its own process group with output appended to the log file,
 * so the server outlives whichever Playwright process started it and can be killed as a group.
 */
export function launchApp(spec: AppSpec): LaunchedApp {
  return launchTsx(spec, ["scripts/start.ts"]);
}

/** Spawns `tsx <args>` like the app: its own process group, output appended to `spec.logPath`. */
export function launchTsx(spec: AppSpec, args: string[]): LaunchedApp {
  const env = childEnv(spec);
  appendFileSync(spec.logPath, `\n[e2e] ${new Date().toISOString()} starting tsx ${args.join(" ")}\n`);
  const fd = openSync(spec.logPath, "a");
  let child: ChildProcess;
  try {
    child = spawn(tsxBin(spec.projectRoot), args, {
      cwd: spec.projectRoot,
      env,
      detached: true,
      stdio: ["ignore", fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  // Output goes straight to the file, so nothing here should keep a Playwright process alive.
  child.unref();

  let gone = false;
  const exited = new Promise<string>((resolve) => {
    child.once("error", (err) => {
      gone = true;
      resolve(`failed to spawn: ${err.message}`);
    });
    child.once("exit", (code, signal) => {
      gone = true;
      resolve(signal ? `killed by ${signal}` : `exited with code ${String(code)}`);
    });
  });
  if (child.pid === undefined) {
    return { pid: -1, exited, hasExited: () => true };
  }
  return { pid: child.pid, exited, hasExited: () => gone };
}

/** Polls the health endpoint until it answers 200 {"ok":true}, failing fast (with the log tail) if the app dies. */
export async function waitUntilHealthy(spec: AppSpec, app: LaunchedApp, timeoutMs: number): Promise<void> {
  const url = new URL(HEALTH_PATH, spec.baseUrl).toString();
  const outcome = await pollHealth(url, { timeoutMs, hasExited: () => app.hasExited() });
  if (outcome.status === "healthy") return;
  if (outcome.status === "exited") {
    throw new Error(`The app server ${await app.exited} before ${url} became healthy.\n${await logTail(spec.logPath)}`);
  }
  throw new Error(
    `The app server was not healthy at ${url} within ${Math.round(timeoutMs / 1000)}s (last: ${outcome.lastProblem}).\n` +
      (await logTail(spec.logPath)),
  );
}

/** Runs `tsx <args>` from the project root with the app's environment, rejecting with its output on failure. */
export function runTsxScript(spec: AppSpec, args: string[], timeoutMs = 120_000): Promise<string> {
  const env = childEnv(spec);
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout also takes down the node process tsx spawns.
    const child = spawn(tsxBin(spec.projectRoot), args, { cwd: spec.projectRoot, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => killProcessGroupNow(child.pid ?? -1), timeoutMs);
    const fail = (reason: string): void =>
      reject(new Error(`\`tsx ${args.join(" ")}\` ${reason}.\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
    child.once("error", (err) => {
      clearTimeout(timer);
      fail(`could not start: ${err.message}`);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else fail(signal ? `was killed by ${signal} (timeout ${timeoutMs}ms?)` : `exited with code ${String(code)}`);
    });
  });
}

/** The last lines of the server log, formatted for an error message. */
export async function logTail(logPath: string, lines = LOG_TAIL_LINES): Promise<string> {
  const text = await readFile(logPath, "utf8").catch(() => "");
  const tail = text.trimEnd().split("\n").slice(-lines).join("\n");
  return `--- last ${lines} lines of ${logPath} ---\n${tail}\n--- end of log ---`;
}
