import { sharedDatabase } from "@/db/connection";
import { createMailTransport } from "@/lib/mail/transport";
import { startWorker, type Worker } from "@/lib/mail/worker";
import { getSettings } from "./settings";

const shared = globalThis as typeof globalThis & { __rightsdeskWorker?: Worker };

/** Starts the background worker once per process; later calls return it. */
export function ensureWorker(): Worker {
  if (!shared.__rightsdeskWorker) {
    const settings = getSettings();
    const transport = createMailTransport(settings);
    console.log(`[mail] delivering to ${transport.describe}`);
    shared.__rightsdeskWorker = startWorker({ db: sharedDatabase(settings.databasePath), transport });
  }
  return shared.__rightsdeskWorker;
}

/** Asks the worker to deliver now, after something was queued. */
export function kickWorker(): void {
  ensureWorker().kick();
}
