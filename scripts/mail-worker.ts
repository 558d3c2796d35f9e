/**
 * `npm run mail:worker`: the mail worker on its own, for installations that
 * send from a separate process (set MAIL_WORKER=separate on the web server so
 * it only queues). It is safe to run next to the server's own worker, or
 * several at once: they never send the same message twice (lib/mail/deliver.ts).
 */
import { openDatabase } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { apiChoresOf } from "@/lib/api/worker-chores";
import { runFulfilmentChores } from "@/lib/fulfilment/chores";
import { mailGate } from "@/lib/limits/mail-gate";
import { openRateLimits } from "@/lib/limits/rate-limits";
import { createMailTransport } from "@/lib/mail/transport";
import { startWorker, workerConfig } from "@/lib/mail/worker";
import { portalContextOf } from "@/lib/portal/context";
import { outboundPolicyOf } from "@/lib/systems/outbound-address";
import { mailingSettingsOrExit } from "./lib/settings-or-exit";

// With the secret: it signs every message's unsubscribe link.
const settings = mailingSettingsOrExit();
const db = openDatabase(settings.databasePath);
// Whichever starts first, server or worker, brings the database up to date.
migrateDatabase(db);
const transport = createMailTransport({ ...settings, replyTo: settings.orgContactEmail });
// The same daily limit on mail to one address as the server's own worker, counted in the same table.
const limits = openRateLimits(db.$client, settings.limits, settings.authSecret);
const api = apiChoresOf(db, settings);
const worker = startWorker({
  db,
  transport,
  config: workerConfig(settings),
  // The outside systems' webhooks, the tidying after erasures, event deliveries and agents' callbacks, as the server's own worker does.
  chores: async (now) => {
    await runFulfilmentChores(db, now, portalContextOf(settings), { outbound: outboundPolicyOf(settings) });
    await api.run(now);
  },
  gate: mailGate(() => limits),
});
console.log(`[mail] worker started for ${settings.databasePath}, delivering to ${transport.describe}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("[mail] worker stopping after the message in hand");
    void worker.stop().then(() => {
      db.$client.close();
      process.exit(0);
    });
  });
}
