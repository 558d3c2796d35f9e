/**
 * `npm run test:e2e`: the end-to-end suite as two Playwright runs side by
 * side, each with a server, a database and an SMTP server of its own (each
 * run's global setup makes its own):
 *
 * - the shared tests, two at a time against one server;
 * - the tests that must have a server to themselves (switching outside
 *   systems on, the connected databases and list servers, taking the SMTP
 *   server down or restarting the app, the real limits), one after another
 *   against the other.
 *
 * One after the other on one server, the second part left a core mostly idle
 * for its four minutes (it waits on restarts, leases and outside servers).
 * The second run starts once the build is current, so the two never build at
 * once. Arguments (`npm run test:e2e -- e2e/queue.spec.ts`) run Playwright
 * once, as `npx playwright test` would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildIsCurrent, sourceFingerprint } from "../lib/build-fingerprint";
import { E2E_PARTS, type E2ePart } from "./e2e-parts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const playwright = createRequire(path.join(root, "package.json")).resolve("@playwright/test/cli");

type Run = { part: E2ePart | null; child: ChildProcess; done: Promise<{ code: number; seconds: number }> };

const started = performance.now();

/** Playwright with `args`, its output line by line marked with `part` (when given), resolving to its exit code and when it ended. */
function runPlaywright(args: string[], part: E2ePart | null): Run {
  const child = spawn(process.execPath, [playwright, "test", ...args], {
    cwd: root,
    env: part === null ? process.env : { ...process.env, E2E_PART: part },
    stdio: part === null ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  if (part !== null) {
    for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
      let pending = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (text: string) => {
        pending += text;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) out.write(`(${part}) ${line}\n`);
      });
      stream?.on("end", () => {
        if (pending !== "") out.write(`(${part}) ${pending}\n`);
      });
    }
  }
  const done = new Promise<{ code: number; seconds: number }>((resolve) => {
    const end = (code: number) => resolve({ code, seconds: Math.round((performance.now() - started) / 1000) });
    child.once("exit", (code, signal) => end(code ?? (signal ? 1 : 0)));
    child.once("error", () => end(1));
  });
  return { part, child, done };
}

const runs: Run[] = [];
// Ctrl-C reaches the runs from the terminal as it reaches this process, which then waits for them to stop their
// servers and delete their folders; a stop sent to this process alone is passed on to them.
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => {
  for (const run of runs) run.child.kill("SIGTERM");
});

const args = process.argv.slice(2);
if (args.length > 0) {
  const run = runPlaywright(args, null);
  runs.push(run);
  process.exit((await run.done).code);
}

const fingerprint = sourceFingerprint(root);

const shared = runPlaywright(E2E_PARTS.shared.map((p) => `--project=${p}`), "shared");
runs.push(shared);
// The shared run builds first when the build is stale; the other starts once the build is recorded.
let sharedEnded = false;
void shared.done.then(() => {
  sharedEnded = true;
});
while (!buildIsCurrent(root, fingerprint) && !sharedEnded) await new Promise((resolve) => setTimeout(resolve, 1000));

let serial: Run | null = null;
if (buildIsCurrent(root, fingerprint)) {
  serial = runPlaywright(E2E_PARTS.serial.map((p) => `--project=${p}`), "serial");
  runs.push(serial);
}
const [sharedEnd, serialEnd] = await Promise.all([shared.done, serial?.done ?? null]);
const said = (end: { code: number; seconds: number }) => `${end.code === 0 ? "passed" : "FAILED"} (${end.seconds} s)`;
console.log(
  `[e2e] the shared tests ${said(sharedEnd)}; the tests with a server of their own ` +
    (serialEnd ? said(serialEnd) : "did not run: the shared run ended before the build was ready"),
);
process.exit(sharedEnd.code === 0 && serialEnd?.code === 0 ? 0 : 1);
