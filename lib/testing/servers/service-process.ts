/**
 * Running a server for a test: its own temporary folder, its own process
 * group, the server's own unprivileged user when the tests run as root, and a
 * watchdog that stops the server and deletes the folder if the test process
 * dies without doing it (a crash, Ctrl-C, a killed worker). Only tests import this.
 */
import { execFileSync, spawn } from "node:child_process";
import { chownSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, sleep, stopProcessGroup } from "@/scripts/lib/processes";

/** Who a server runs as: a named system user when the tests run as root, else whoever runs the tests. */
export type ServiceUser = { name: string; uid: number; gid: number } | null;

/** The server's user when running as root (servers such as PostgreSQL refuse to run as root), else null. */
export function serviceUser(name: string): ServiceUser {
  if (process.getuid?.() !== 0) return null;
  let entry: string;
  try {
    entry = execFileSync("getent", ["passwd", name], { encoding: "utf8" });
  } catch {
    throw new Error(`The system user ${name} does not exist; it comes with the server's Debian package, which npm test installs.`);
  }
  const [, , uid, gid] = entry.trim().split(":");
  return { name, uid: Number(uid), gid: Number(gid) };
}

/** A server's temporary folder, watched from the moment it exists. */
export type ServerDir = {
  path: string;
  /** The signal that shuts the server down quickly and cleanly. */
  stopSignal: NodeJS.Signals;
  /** Dismisses the watchdog and deletes the folder (once the server has stopped). */
  remove(): void;
};

/**
 * A fresh folder in the temp directory that the server's user owns, with a
 * watchdog that deletes it (stopping the server first, with `stopSignal`) if
 * the test process dies before `remove`.
 */
export function makeServerDir(prefix: string, user: ServiceUser, stopSignal: NodeJS.Signals): ServerDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  if (user) chownSync(dir, user.uid, user.gid);
  const dismissWatchdog = startWatchdog(dir, stopSignal);
  return {
    path: dir,
    stopSignal,
    remove() {
      dismissWatchdog();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a file only the server's user (and root) may read, such as a password file. */
export function writePrivateFile(file: string, text: string, user: ServiceUser): void {
  writeFileSync(file, text, { mode: 0o600 });
  if (user) chownSync(file, user.uid, user.gid);
}

/**
 * The command line that runs `argv` as `user` (as is when null). setpriv
 * becomes the program rather than staying its parent as runuser does:
 * runuser answers a SIGTERM by SIGKILLing its child two seconds later, which
 * cut PostgreSQL's shutdown short and left Mailman's master lock behind.
 */
export function asUser(user: ServiceUser, argv: string[]): string[] {
  return user ? ["setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--init-groups", "--", ...argv] : argv;
}

/** Runs a one-off command (initdb, say) to its end, rejecting with its output when it fails. */
export function runToEnd(argv: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  const [command, ...args] = argv;
  if (!command) throw new Error("runToEnd: empty command");
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => killGroup(child.pid), options.timeoutMs ?? 120_000);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`${argv.join(" ")} could not start: ${err.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${argv.join(" ")} ${signal ? `was killed by ${signal}` : `exited with code ${String(code)}`}:\n${output}`));
    });
  });
}

export type ServiceProcess = {
  pid: number;
  /** Resolves with a readable reason once the process is gone. */
  exited: Promise<string>;
  hasExited(): boolean;
};

/**
 * Starts a long-running server in its own process group with its output
 * appended to `logPath`, and records the group in `dir` for the watchdog.
 */
export function launch(argv: string[], options: { dir: string; logPath: string; env?: NodeJS.ProcessEnv }): ServiceProcess {
  const [command, ...args] = argv;
  if (!command) throw new Error("launch: empty command");
  const fd = openSync(options.logPath, "a");
  let gone = false;
  let child;
  try {
    child = spawn(command, args, { env: options.env ?? process.env, detached: true, stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
  child.unref();
  const exited = new Promise<string>((resolve) => {
    child.once("error", (err) => {
      gone = true;
      resolve(`could not start: ${err.message}`);
    });
    child.once("exit", (code, signal) => {
      gone = true;
      resolve(signal ? `was killed by ${signal}` : `exited with code ${String(code)}`);
    });
  });
  const pid = child.pid ?? -1;
  if (pid > 0) writeFileSync(path.join(options.dir, GROUP_FILE), String(pid));
  return { pid, exited, hasExited: () => gone };
}

/**
 * Polls `check` until it answers true, the process exits, or `timeoutMs`
 * passes; the error then says why, with the end of the server's log.
 */
export async function waitUntilReady(
  what: string,
  server: ServiceProcess,
  check: () => Promise<void>,
  options: { timeoutMs: number; logPaths: string[] },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastProblem = "no attempt yet";
  while (Date.now() < deadline) {
    if (server.hasExited()) throw new StartFailure(`${what} ${await server.exited} before it answered.\n${logTails(options.logPaths)}`);
    try {
      await check();
      return;
    } catch (err) {
      lastProblem = err instanceof Error ? err.message : String(err);
    }
    await sleep(200);
  }
  throw new StartFailure(
    `${what} did not answer within ${Math.round(options.timeoutMs / 1000)} s (last: ${lastProblem}).\n${logTails(options.logPaths)}`,
  );
}

/** A server that did not come up; `portTaken` when another process took its port first (then a new port is worth a try). */
export class StartFailure extends Error {
  get portTaken(): boolean {
    return /address already in use|could not bind|Can't start server: Bind|EADDRINUSE/i.test(this.message);
  }
}

/** The last lines of each log, for an error message. */
export function logTails(logPaths: string[], lines = 40): string {
  return logPaths
    .map((file) => {
      let text = "";
      try {
        text = readFileSync(file, "utf8");
      } catch {
        return `--- ${file}: not written ---`;
      }
      return `--- last lines of ${file} ---\n${text.trimEnd().split("\n").slice(-lines).join("\n")}`;
    })
    .join("\n");
}

/** The file in a server's folder that names the process group the watchdog stops. */
const GROUP_FILE = "harness.pgid";

/** A clean shutdown (PostgreSQL's checkpoint, Mailman's runners) on a busy machine; SIGKILL after that. */
const STOP_GRACE_MS = 15_000;

/**
 * Watches the test process: once it is gone, stops the process group named in
 * `dir`'s group file with `signal` (SIGKILL after STOP_GRACE_MS) and deletes
 * `dir`. Returns a function that dismisses the watchdog (after a normal stop).
 */
function startWatchdog(dir: string, signal: NodeJS.Signals): () => void {
  const script = [
    'parent="$1"; dir="$2"; sig="$3"',
    'while kill -0 "$parent" 2>/dev/null; do sleep 1; done',
    `if [ -f "$dir/${GROUP_FILE}" ]; then`,
    `  group="$(cat "$dir/${GROUP_FILE}")"`,
    '  kill -s "$sig" -- "-$group" 2>/dev/null',
    `  n=0; while [ "$n" -lt ${STOP_GRACE_MS / 100} ] && kill -0 -- "-$group" 2>/dev/null; do sleep 0.1; n=$((n + 1)); done`,
    '  kill -s KILL -- "-$group" 2>/dev/null',
    "fi",
    'rm -rf -- "$dir"',
  ].join("\n");
  const watchdog = spawn("sh", ["-c", script, "watchdog", String(process.pid), dir, signal.replace(/^SIG/, "")], {
    detached: true,
    stdio: "ignore",
  });
  watchdog.unref();
  return () => {
    killGroup(watchdog.pid);
  };
}


/** SIGKILLs a process group we started, if it is still there. */
function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** How to run one kind of server, for `startServerProcess`. */
export type ServerRecipe = {
  /** How a person names it, for messages. */
  what: string;
  dir: ServerDir;
  logPath: string;
  /** Every log worth showing when it fails to start. */
  logPaths: string[];
  /** The command line for a start on `port` (may write the configuration that names the port). */
  commandLine(port: number): string[];
  env?: NodeJS.ProcessEnv;
  /** Resolves once the server on `port` answers as it should; rejects (with why) until then. */
  ready(port: number): Promise<void>;
  readyTimeoutMs?: number;
};

/** A running server process that can be taken down and brought back on the same port, keeping its data. */
export type ServerProcess = {
  port: number;
  /** Stops the process, keeping its folder: connections are refused until `resume`. */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same data, and waits until it answers. */
  resume(): Promise<void>;
  /** Stops the process and deletes its folder; safe to call more than once. */
  stop(): Promise<void>;
};

const PORT_ATTEMPTS = 3;

/**
 * Starts a server on a free port of 127.0.0.1 (another port when a racing
 * process took the one chosen) and waits until it answers. On failure
 * nothing is left running and the folder is gone.
 */
export async function startServerProcess(recipe: ServerRecipe): Promise<ServerProcess> {
  const { dir } = recipe;
  let current: ServiceProcess | null = null;
  let stopped = false;
  const timeoutMs = recipe.readyTimeoutMs ?? 60_000;

  const startOn = async (port: number): Promise<void> => {
    const server = launch(recipe.commandLine(port), { dir: dir.path, logPath: recipe.logPath, env: recipe.env });
    current = server;
    try {
      await waitUntilReady(recipe.what, server, () => recipe.ready(port), { timeoutMs, logPaths: recipe.logPaths });
    } catch (err) {
      await stopProcessGroup(server.pid, STOP_GRACE_MS, dir.stopSignal);
      current = null;
      throw err;
    }
  };
  const halt = async (): Promise<void> => {
    const running = current;
    current = null;
    if (running) await stopProcessGroup(running.pid, STOP_GRACE_MS, dir.stopSignal);
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await halt();
    dir.remove();
  };

  let port = 0;
  for (let attempt = 1; ; attempt += 1) {
    port = await freePort();
    try {
      await startOn(port);
      break;
    } catch (err) {
      if (err instanceof StartFailure && err.portTaken && attempt < PORT_ATTEMPTS) continue;
      await stop();
      throw err;
    }
  }
  const chosen = port;
  return {
    port: chosen,
    halt,
    async resume() {
      if (stopped) throw new Error(`${recipe.what} was stopped for good; start a new one.`);
      if (!current) await startOn(chosen);
    },
    stop,
  };
}
