import { sharedDatabase } from "@/db/connection";
import { createMailTransport } from "@/lib/mail/transport";
import { unsubscribeHeaders } from "@/lib/mail/unsubscribe-link";
import { startWorker, type Worker } from "@/lib/mail/worker";
import { runFulfilmentChores } from "@/lib/fulfilment/chores";
import { getPortalContext, getSettings } from "./settings";

const shared = globalThis as typeof globalThis & { __rightsdeskWorker?: Worker };

/** Starts the background worker once per process; later calls return it. */
export function ensureWorker(): Worker {
  if (!shared.__rightsdeskWorker) {
    const settings = getSettings();
    const transport = createMailTransport({
      ...settings,
      // Computed when sent, from the recipient: every message carries its own one-click unsubscribe link.
      headersFor: (to) => unsubscribeHeaders(to, { appUrl: settings.appUrl, secret: settings.authSecret }),
    });
    console.log(`[mail] delivering to ${transport.describe}`);
    const db = sharedDatabase(settings.databasePath);
    shared.__rightsdeskWorker = startWorker({ db, transport, chores: (now) => runFulfilmentChores(db, now, getPortalContext()) });
  }
  return shared.__rightsdeskWorker;
}

/** Asks the worker to deliver now, after something was queued. */
export function kickWorker(): void {
  ensureWorker().kick();
}
