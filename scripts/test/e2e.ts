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
import { buildIsCurrent, sourceFingerprint } from "../lib/build-fingerprint";
import { describeEnd, partArgs, ROOT, runPlaywright, type E2eRun } from "./e2e-run";

const runs: E2eRun[] = [];
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

const fingerprint = sourceFingerprint(ROOT);

const shared = runPlaywright(partArgs("shared"), "shared");
runs.push(shared);
// The shared run builds first when the build is stale; the other starts once the build is recorded.
let sharedEnded = false;
void shared.done.then(() => {
  sharedEnded = true;
});
while (!buildIsCurrent(ROOT, fingerprint) && !sharedEnded) await new Promise((resolve) => setTimeout(resolve, 1000));

let serial: E2eRun | null = null;
if (buildIsCurrent(ROOT, fingerprint)) {
  serial = runPlaywright(partArgs("serial"), "serial");
  runs.push(serial);
}
const [sharedEnd, serialEnd] = await Promise.all([shared.done, serial?.done ?? null]);
console.log(
  `[e2e] the shared tests ${describeEnd(sharedEnd)}; the tests with a server of their own ` +
    (serialEnd ? describeEnd(serialEnd) : "did not run: the shared run ended before the build was ready"),
);
process.exit(sharedEnd.code === 0 && serialEnd?.code === 0 ? 0 : 1);
