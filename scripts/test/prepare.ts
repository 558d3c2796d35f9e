/**
 * `npm test` runs this before anything else: it makes sure the machine has a
 * browser for the end-to-end tests and the PostgreSQL, MariaDB and Mailman 3
 * the server tests start, installing what is missing where it can (root on
 * Debian), or stops with one sentence saying what to install.
 */
import { fileURLToPath } from "node:url";
import { realMachine } from "./machine";
import { prepareMachine } from "./preparation";

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
const outcome = await prepareMachine(realMachine(projectRoot));
if (!outcome.ok) {
  console.error(outcome.sentence);
  process.exit(1);
}
const browser = outcome.browser.kind === "executable" ? outcome.browser.path : "Playwright's own Chromium";
console.log(`[prepare] browser: ${browser}; servers: ${outcome.servers.map((s) => s.name).join(", ")} installed.`);
