import { sharedDatabase } from "@/db/connection";
import { openRateLimits, type RateLimits } from "@/lib/limits/rate-limits";
import { getSettings } from "./settings";

const shared = globalThis as typeof globalThis & { __rightsdeskRateLimits?: Promise<RateLimits> };

/**
 * The per-address and per-IP counters, opened once per process on the app's
 * own connection. (No "server-only" here: the mail worker, started from
 * instrumentation, uses them too.)
 */
export function getRateLimits(): Promise<RateLimits> {
  if (!shared.__rightsdeskRateLimits) {
    const settings = getSettings();
    shared.__rightsdeskRateLimits = openRateLimits(sharedDatabase(settings.databasePath).$client, settings.limits, settings.authSecret);
    // A failure to open is reported to whoever asked, and the next caller tries again.
    shared.__rightsdeskRateLimits.catch(() => {
      shared.__rightsdeskRateLimits = undefined;
    });
  }
  return shared.__rightsdeskRateLimits;
}
