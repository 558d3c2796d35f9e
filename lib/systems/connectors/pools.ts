/**
 * One pool per connected database in each process (the web server's for
 * previews and dry runs, the worker's for the work itself), reused from
 * call to call and replaced when the system is edited. Each pool is small
 * and bounded (driver.ts), so a hung database holds at most a few
 * connections and nothing of the portal.
 */
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import { openDatabase } from "./database-connector";
import type { DatabaseKind, DatabaseSettings } from "./connection-settings";
import { DEFAULT_TIMEOUTS, type DatabaseDriver } from "./driver";

type Pooled = { version: string; driver: Promise<DatabaseDriver> };

const pools = globalThis as typeof globalThis & { __rightsdeskConnectorPools?: Map<number, Pooled> };

function registry(): Map<number, Pooled> {
  pools.__rightsdeskConnectorPools ??= new Map();
  return pools.__rightsdeskConnectorPools;
}

/**
 * The pool for this system as it is now. `version` changes whenever the
 * system is edited (its updatedAt), which closes the old pool. The host is
 * checked against the outbound policy whenever a pool is opened.
 */
export function driverFor(
  system: { id: number; kind: DatabaseKind; settings: DatabaseSettings; password: string; updatedAt: number },
  policy: OutboundPolicy,
): Promise<DatabaseDriver> {
  const version = `${system.updatedAt}:${policy.allowPrivateHosts.join(",")}`;
  const known = registry().get(system.id);
  if (known && known.version === version) return known.driver;
  if (known) void known.driver.then((d) => d.close()).catch(() => {});
  const driver = openDatabase({ kind: system.kind, settings: system.settings, password: system.password }, policy, DEFAULT_TIMEOUTS);
  registry().set(system.id, { version, driver });
  // A refused opening is not kept: the next call checks again.
  driver.catch(() => {
    if (registry().get(system.id)?.driver === driver) registry().delete(system.id);
  });
  return driver;
}

/** Closes the system's pool (after an edit or when it is switched off). */
export function forgetDriver(systemId: number): void {
  const known = registry().get(systemId);
  if (!known) return;
  registry().delete(systemId);
  void known.driver.then((d) => d.close()).catch(() => {});
}

/** Closes every pool (a worker that stops). */
export async function closeAllDrivers(): Promise<void> {
  const all = [...registry().values()];
  registry().clear();
  await Promise.all(all.map((p) => p.driver.then((d) => d.close()).catch(() => {})));
}
