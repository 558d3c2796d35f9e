/**
 * Test helper, run as its own process by lib/record/backup.test.ts: files
 * requests through the real filing path from `connections` threads, each
 * with its own connection to the database, as fast as they can, until the
 * stop file appears. Each request is printed (its reference, one line) once
 * its transaction has committed. It says "ready" once every thread has its
 * connection, and starts only when the go file exists.
 */
import fs from "node:fs";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { openDatabase } from "@/db/connection";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { TEST_CONTEXT } from "./portal-context";

type Job = { databasePath: string; goFile: string; stopFile: string; thread: number };
/** Whether this process runs a bundle of this file rather than the file itself. */
const BUNDLED = /\.mjs$/.test(process.argv[1] ?? "");

if (isMainThread) {
  const [databasePath, connections, goFile, stopFile] = process.argv.slice(2);
  if (!databasePath || !connections || !goFile || !stopFile) throw new Error("usage: file-requests-in-child.ts DATABASE_PATH CONNECTIONS GO_FILE STOP_FILE");
  let ready = 0;
  let finished = 0;
  const count = Number(connections);
  for (let thread = 0; thread < count; thread++) {
    const job = { databasePath, goFile, stopFile, thread } satisfies Job;
    // Started from its bundle (lib/testing/script-bundles.ts), each thread runs the same bundle. Started from source,
    // a thread goes through a small entry that loads TypeScript: it does not inherit the loader this process has.
    const worker = BUNDLED
      ? new Worker(process.argv[1]!, { workerData: job })
      : new Worker(new URL("./typescript-thread.mjs", import.meta.url), { workerData: { ...job, entry: import.meta.url } });
    worker.on("message", (message: string) => {
      if (message === "ready") {
        if (++ready === count) process.stderr.write("ready\n");
      } else {
        process.stdout.write(`${message}\n`);
      }
    });
    worker.on("error", (error) => {
      process.stderr.write(`thread ${thread}: ${error.stack ?? String(error)}\n`);
      process.exitCode = 1;
    });
    worker.on("exit", () => {
      if (++finished === count) process.stderr.write("done\n");
    });
  }
} else {
  const job = workerData as Job;
  const db = openDatabase(job.databasePath);
  parentPort!.postMessage("ready");
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!fs.existsSync(job.goFile)) Atomics.wait(pause, 0, 0, 5);
  for (let n = 1; !fs.existsSync(job.stopFile); n++) {
    const email = `thread${job.thread}-${n}@example.org`;
    const result = fileVerifiedRequest(db, { submission: { type: "access", email, details: { type: "access" } }, now: new Date(), ctx: TEST_CONTEXT });
    if (!result.ok) throw new Error(`Not filed: ${JSON.stringify(result)}`);
    parentPort!.postMessage(result.reference);
  }
  db.$client.close();
}
