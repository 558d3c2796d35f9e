/**
 * Test helper, run as its own process by second-writer.test.ts: another
 * process writing to the same database file, as the separate mail worker or
 * a command-line import does. For each line "hold MS" on stdin it opens a
 * write transaction, writes a row, says "holding", keeps the write lock for
 * MS milliseconds, says when it lets go ("releasing T"), commits and says
 * "released".
 */
import { createInterface } from "node:readline";
import { openDatabase } from "@/db/connection";
import { staffDigests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";

const [databasePath] = process.argv.slice(2);
if (!databasePath) throw new Error("usage: hold-write-lock.ts DATABASE_PATH");

const db = openDatabase(databasePath);
/** Blocks this process, and so the transaction it holds, without giving the event loop a turn. */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

let round = 0;
process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  const ms = Number(/^hold (\d+)$/.exec(line.trim())?.[1] ?? NaN);
  if (!Number.isFinite(ms)) break;
  round++;
  inTransaction(db, (tx) => {
    tx.insert(staffDigests).values({ day: `hold-${process.pid}-${round}`, sentAt: new Date(), recipients: 0, requests: 0 }).run();
    // Writes to a pipe are synchronous on Linux, so the parent can hear this while the lock is held.
    process.stdout.write("holding\n");
    pause(ms);
    // The moment the lock is let go, as the commit below does; the parent compares it with when its step began.
    process.stdout.write(`releasing ${Date.now()}\n`);
  });
  process.stdout.write("released\n");
}
db.$client.close();
