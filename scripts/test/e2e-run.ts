/**
 * One Playwright run of the end-to-end tests, as `npm run test:e2e` and
 * `npm test` start them: the shared tests or the tests with a server of their
 * own (`E2E_PART`, which gives each its own results folder), each line of its
 * output marked with its part. A run started with `hold` keeps its lines until
 * `release()`, so that they come after the output of what runs beside it (the
 * unit tests, in `npm test`) instead of in the middle of it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { E2E_PARTS, type E2ePart } from "./e2e-parts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const playwright = createRequire(path.join(ROOT, "package.json")).resolve("@playwright/test/cli");

export type RunEnd = { code: number; seconds: number };

export type E2eRun = {
  part: E2ePart | null;
  child: ChildProcess;
  /** Settles once the run has ended (its servers stopped, its folders deleted), with how long it ran. */
  done: Promise<RunEnd>;
  /** Prints what a held run has printed so far, and from then on prints as it goes. */
  release(): void;
};

/** The Playwright arguments of one part: its projects. */
export function partArgs(part: E2ePart): string[] {
  return E2E_PARTS[part].map((project) => `--project=${project}`);
}

/** Starts `playwright test ARGS`; with a part, its output is marked and it keeps its results apart. */
export function runPlaywright(args: readonly string[], part: E2ePart | null, options: { hold?: boolean } = {}): E2eRun {
  const started = performance.now();
  const child = spawn(process.execPath, [playwright, "test", ...args], {
    cwd: ROOT,
    env: part === null ? process.env : { ...process.env, E2E_PART: part },
    stdio: part === null ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  const printer = partPrinter(part ?? "", { hold: part !== null && options.hold === true });
  if (part !== null) {
    for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
      stream?.setEncoding("utf8");
      stream?.on("data", (text: string) => printer.feed(out, text));
      stream?.on("end", () => printer.end(out));
    }
  }
  const done = new Promise<RunEnd>((resolve) => {
    const end = (code: number) => resolve({ code, seconds: Math.round((performance.now() - started) / 1000) });
    child.once("close", (code, signal) => end(code ?? (signal ? 1 : 0)));
    child.once("error", () => end(1));
  });
  return { part, child, done, release: printer.release };
}

type Out = { write(text: string): unknown };

/**
 * Prints a run's output line by line, each line marked `(part)`, the last
 * unfinished line of each stream when it ends. Held, it keeps the lines, in
 * the order they came, until `release()`.
 */
export function partPrinter(part: string, options: { hold: boolean }) {
  let held: Array<[Out, string]> | null = options.hold ? [] : null;
  const pending = new Map<Out, string>();
  const write = (out: Out, line: string) => {
    if (held) held.push([out, line]);
    else out.write(line);
  };
  return {
    feed(out: Out, text: string) {
      const lines = ((pending.get(out) ?? "") + text).split("\n");
      pending.set(out, lines.pop() ?? "");
      for (const line of lines) write(out, `(${part}) ${line}\n`);
    },
    end(out: Out) {
      const rest = pending.get(out) ?? "";
      pending.delete(out);
      if (rest !== "") write(out, `(${part}) ${rest}\n`);
    },
    release() {
      const lines = held ?? [];
      held = null;
      for (const [out, line] of lines) out.write(line);
    },
  };
}

/** "passed (N s)" or "FAILED (N s)". */
export function describeEnd(end: RunEnd): string {
  return `${end.code === 0 ? "passed" : "FAILED"} (${end.seconds} s)`;
}
