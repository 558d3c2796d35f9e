/**
 * A command run beside other work (the bench's bulk worker, `npm run import`
 * and the shell's sqlite3 beside its server; `npm test`'s build beside the
 * unit tests): started at once, with what it printed kept (the last few
 * kilobytes of each stream, or its output written to a file), and settled
 * when it exits, with how long it ran. `detached` starts it in a process
 * group of its own, which `process.kill(-pid)` then stops whole.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";

export type ChildExit = { code: number | null; seconds: number; stdout: string; stderr: string };

const KEPT_CHARS = 4000;

export function runChild(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdoutTo?: string; detached?: boolean } = {},
): { pid: number; done: Promise<ChildExit> } {
  const start = performance.now();
  const fd = options.stdoutTo === undefined ? "pipe" : fs.openSync(options.stdoutTo, "w");
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", fd, "pipe"], detached: options.detached ?? false });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-KEPT_CHARS)));
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-KEPT_CHARS)));
  const done = new Promise<ChildExit>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      if (typeof fd === "number") fs.closeSync(fd);
      resolve({ code, seconds: (performance.now() - start) / 1000, stdout, stderr });
    });
  });
  return { pid: child.pid ?? -1, done };
}

/** The last few lines a child printed, for a sentence saying why it failed. */
export function lastLines(exit: ChildExit, lines = 5): string {
  return `${exit.stdout}\n${exit.stderr}`.trim().split("\n").slice(-lines).join(" / ");
}
