import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { browserExecutable } from "./scripts/test/browser";

/** CHROMIUM_PATH, else Debian's headless shell of Chromium, else Debian's Chromium, else Playwright's own: the browser `npm test`'s preparation made sure of. */
const executablePath = browserExecutable(process.env.CHROMIUM_PATH || undefined, existsSync);

/**
 * `npm run test:e2e` runs the shared tests and the others as two runs side by
 * side (scripts/test/e2e.ts), each with its own server: then the others wait
 * for no shared test, and each run keeps its results in a folder of its own.
 * Run as one (`npx playwright test`), every project shares one server, and
 * the others come after the shared tests.
 */
const part = process.env.E2E_PART === "shared" || process.env.E2E_PART === "serial" ? process.env.E2E_PART : null;

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  // Starts the SMTP sink and the app, and returns the teardown; see e2e/support/global-setup.ts.
  globalSetup: "./e2e/support/global-setup.ts",
  workers: 2,
  // Retries would hide flakiness, which we want to see and fix.
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: "list",
  projects: [
    // Everything that shares the one server and SMTP sink, two at a time.
    { name: "shared", testIgnore: ["**/*.alone.spec.ts", "limits/**", "outside-systems.spec.ts", "connected-systems.spec.ts"] },
    // Switching an outside system on gives every approved request a task, so this runs after the shared tests (or on a server of its own).
    { name: "outside-systems", testMatch: "outside-systems.spec.ts", dependencies: part === "serial" ? [] : ["shared"], workers: 1 },
    // Connected databases and list servers likewise, each test in turn, with the real servers it starts itself.
    { name: "connected-systems", testMatch: "connected-systems.spec.ts", dependencies: ["outside-systems"], workers: 1 },
    // Tests that take the SMTP sink down or restart the app: after all the others, one at a time.
    // (Run as one, these are skipped if a shared test fails; run them with --project=alone --no-deps.)
    { name: "alone", testMatch: "**/*.alone.spec.ts", dependencies: ["connected-systems"], workers: 1 },
    // Restarts the one server with the real limits, so it runs last, alone, one test at a time.
    { name: "limits", testMatch: "limits/**/*.spec.ts", dependencies: ["alone"], workers: 1 },
  ],
  outputDir: part === null ? "test-results" : `test-results/${part}`,
  forbidOnly: Boolean(process.env.CI),
  use: {
    browserName: "chromium",
    headless: true,
    // Set by global setup before workers start, and workers re-read this file.
    baseURL: process.env.E2E_BASE_URL,
    // No trace: recording one for every test (its screenshots and page snapshots, kept only for a failure) took a
    // seventh of the suite's processor time, and the suite is bound by the two cores. To look into a failure, run
    // its spec again with `--trace retain-on-failure` (or `on`) and open the trace with `npx playwright show-trace`.
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        // Without these Chromium keeps dialling Google services, which this closed network refuses.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
