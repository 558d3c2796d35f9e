/**
 * The bench's stand-in for the background worker (`npm run mail:worker`)
 * carrying out one bulk action: the same job, beat after beat, with the same
 * budget and hand-backs as lib/jobs/definitions/bulk-actions.ts, in a
 * process of its own beside the server. Prints one line of JSON when done.
 *
 *   tsx scripts/bench/bulk-worker.ts DATABASE_PATH APP_URL
 */
import path from "node:path";
import { openDatabase } from "@/db/connection";
import { BULK_BEAT_MS, BULK_SLICE_MS } from "@/lib/jobs/definitions/bulk-actions";
import { processBulkWork } from "@/lib/queue/bulk-actions";
import { loadOrCreateSigningKey } from "@/lib/settings/signing-key";

const [databasePath, appUrl] = process.argv.slice(2);
if (!databasePath || !appUrl) {
  console.error("Usage: tsx scripts/bench/bulk-worker.ts DATABASE_PATH APP_URL");
  process.exit(2);
}
const db = openDatabase(databasePath);
// The server's own key (scripts/bench/server.ts keeps it beside the database): each completion's receipt is signed as the server would sign it.
const signingKey = loadOrCreateSigningKey(path.join(path.dirname(databasePath), "signing-key.pem"));
const ctx = { orgName: "Bench Trust", appUrl, timeZone: "UTC", regime: "gdpr" as const, authSecret: "bench-secret-".repeat(4), signingKey, requestRetentionMonths: 36 };
const start = performance.now();
let beats = 0;
while (await processBulkWork(db, { ctx, now: () => new Date(), budgetMs: BULK_BEAT_MS, sliceMs: BULK_SLICE_MS, pause: () => new Promise((r) => setImmediate(r)) })) beats++;
console.log(JSON.stringify({ elapsedMs: Math.round(performance.now() - start), beats: beats + 1 }));
db.$client.close();
