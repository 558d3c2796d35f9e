/**
 * `npm run mail:worker`: the mail worker on its own, for installations that
 * send from a separate process (set MAIL_WORKER=separate on the web server so
 * it only queues). It is safe to run next to the server's own worker, or
 * several at once: they never send the same message twice (lib/mail/deliver.ts).
 */
import { startBackgroundWork } from "@/lib/jobs/start";
import { migrateOrExit } from "./lib/migrate-or-exit";
import { mailGate } from "@/lib/limits/mail-gate";
import { openRateLimits } from "@/lib/limits/rate-limits";
import { mailingSettingsOrExit, openDatabaseOrExit } from "./lib/settings-or-exit";
import { keepNewFilesPrivate } from "./lib/private-files";

keepNewFilesPrivate();

// With the secret: it signs every message's unsubscribe link.
const settings = mailingSettingsOrExit();
const db = openDatabaseOrExit(settings.databasePath);
// Whichever starts first, server or worker, brings the database up to date.
migrateOrExit(db, settings.dataDir);
// The same daily limit on mail to one address as the server's own worker, counted in the same table.
const limits = openRateLimits(db.$client, settings.limits, settings.authSecret);
// The same jobs as the server's own worker: the outbox, alerts, the digest, drafts, webhooks and the tidying after erasures.
const { worker, deliveringTo } = startBackgroundWork({ settings, db, gate: mailGate(() => limits) });
console.log(`[mail] worker started for ${settings.databasePath}, delivering to ${deliveringTo}`);

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
