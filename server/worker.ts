import { sharedDatabase } from "@/db/connection";
import { createMailTransport } from "@/lib/mail/transport";
import { startWorker, type Worker } from "@/lib/mail/worker";
import { getRateLimits } from "./rate-limits";
import { getSettings } from "./settings";

const shared = globalThis as typeof globalThis & { __rightsdeskWorker?: Worker };

/** Starts the background worker once per process; later calls return it. */
export function ensureWorker(): Worker {
  if (!shared.__rightsdeskWorker) {
    const settings = getSettings();
    const transport = createMailTransport(settings);
    console.log(`[mail] delivering to ${transport.describe}`);
    shared.__rightsdeskWorker = startWorker({
      db: sharedDatabase(settings.databasePath),
      transport,
      // Any mail to one address is limited per day at the point it would leave; held mail goes out later.
      gate: async (mail) => {
        const admitted = await (await getRateLimits()).admitMail(mail.toAddress);
        return admitted.ok
          ? { ok: true }
          : { ok: false, until: new Date(Date.now() + admitted.retryAfterSeconds * 1000), reason: admitted.message };
      },
    });
  }
  return shared.__rightsdeskWorker;
}

/** Asks the worker to deliver now, after something was queued. */
export function kickWorker(): void {
  ensureWorker().kick();
}
