/**
 * Test helper, run as its own process by cleanup.servers.test.ts: starts one
 * server, says where it is on stdout, then waits to be killed (or, with
 * "crash", fails with an uncaught error), so the test can check that nothing
 * of the server outlives the process that started it.
 */
import { startMailman } from "./mailman";
import { startMariaDb } from "./mariadb";
import { startPostgres } from "./postgres";

const [kind, ending] = process.argv.slice(2);
const start = async (): Promise<{ dir: string; port: number }> => {
  if (kind === "postgres") return startPostgres().then((s) => ({ dir: s.dir, port: s.connection.port }));
  if (kind === "mariadb") return startMariaDb().then((s) => ({ dir: s.dir, port: s.connection.port }));
  if (kind === "mailman") return startMailman().then((s) => ({ dir: s.dir, port: Number(new URL(s.restUrl).port) }));
  throw new Error("usage: start-in-child.ts postgres|mariadb|mailman [crash]");
};
const where = await start();
process.stdout.write(`${JSON.stringify(where)}\n`);
if (ending === "crash") setTimeout(() => {
  throw new Error("a crash in the test process, as planned");
}, 100);
else setInterval(() => {}, 60_000);
