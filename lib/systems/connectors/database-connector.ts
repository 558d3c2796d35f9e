/**
 * One connected database, as the rest of Rightsdesk uses it: opened only
 * at an address the outbound policy allows, its map checked against its
 * live catalogue before any work, and each piece of work in a transaction
 * of its own there (read-only for looking, committed whole for changing).
 */
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import { checkMapAgainstCatalogue, type CheckedMap } from "./catalogue";
import type { DatabaseKind, DatabaseSettings } from "./connection-settings";
import {
  carryOutCorrection,
  carryOutErasure,
  carryOutUnsubscribe,
  countErasure,
  exportedTables,
  gatherRows,
  type ColumnsWritten,
  type CorrectionChanges,
  type ExportedTable,
  type TableErasureCount,
  type UnsubscribeCount,
} from "./database-work";
import { parseDatasetMap, type MapProblem } from "./dataset-map";
import { DEFAULT_TIMEOUTS, type DatabaseDriver, type Timeouts } from "./driver";
import { SystemAnswer } from "./failures";
import { mysqlDriver } from "./mysql";
import { checkOutboundHost } from "./outbound-host";
import { postgresDriver } from "./postgres";

export type DatabaseTarget = { kind: DatabaseKind; settings: DatabaseSettings; password: string };

/** Opens a pool to the database, after checking its host against the outbound policy. Throws a SystemAnswer when refused. */
export async function openDatabase(target: DatabaseTarget, policy: OutboundPolicy, timeouts: Timeouts = DEFAULT_TIMEOUTS): Promise<DatabaseDriver> {
  const host = await checkOutboundHost(target.settings.host, policy);
  if (!host.ok) throw new SystemAnswer(host.message, host.reason !== "private");
  const options = { settings: target.settings, password: target.password, hostName: host.host, pinned: host.pinned, timeouts };
  return target.kind === "postgres" ? postgresDriver(options) : mysqlDriver(options);
}

export type LiveMapCheck = { ok: true; checked: CheckedMap } | { ok: false; problems: MapProblem[] };

/** Reads the map and checks it against the database's catalogue as it is now. */
export async function checkMapLive(driver: DatabaseDriver, mapText: string): Promise<LiveMapCheck> {
  const parsed = parseDatasetMap(mapText);
  if (!parsed.ok) return parsed;
  return checkMapAgainstCatalogue(parsed.map, await driver.catalogue(), parsed.positions);
}

/** How long a map checked against a pool's catalogue is taken as still checked: a changed schema shows within this. */
const CHECK_FRESH_MS = 60_000;
const recentChecks = new WeakMap<DatabaseDriver, { at: number; mapText: string; checked: CheckedMap }>();

/** The checked map, or a SystemAnswer saying the map no longer fits the database (which staff must fix; retried meanwhile). */
async function checkedOrRefuse(driver: DatabaseDriver, mapText: string): Promise<CheckedMap> {
  const recent = recentChecks.get(driver);
  if (recent && recent.mapText === mapText && Date.now() - recent.at < CHECK_FRESH_MS) return recent.checked;
  const check = await checkMapLive(driver, mapText);
  if (check.ok) {
    recentChecks.set(driver, { at: Date.now(), mapText, checked: check.checked });
    return check.checked;
  }
  const first = check.problems[0];
  throw new SystemAnswer(
    `the dataset map no longer fits the database${first ? ` (${first.line !== null ? `line ${first.line}: ` : ""}${first.message.replace(/\.$/, "")})` : ""}; an administrator can check it at Connected systems`,
    true,
  );
}

/**
 * Work done against a checked map: if it fails, the check is forgotten, so
 * the next try reads the catalogue afresh. A failure can come of a schema
 * the check no longer describes (a column made longer to hold a corrected
 * value), and staff who put it right and try again at once must not meet
 * the old catalogue.
 */
async function withChecked<T>(driver: DatabaseDriver, mapText: string, work: (checked: CheckedMap) => Promise<T>): Promise<T> {
  const checked = await checkedOrRefuse(driver, mapText);
  try {
    return await work(checked);
  } catch (error) {
    recentChecks.delete(driver);
    throw error;
  }
}

export type ConnectionTest = { version: string; tables: number; map: LiveMapCheck | null };

/** Connects, names the server, and checks the map (when there is one) against the catalogue. */
export async function testDatabase(driver: DatabaseDriver, mapText: string | null): Promise<ConnectionTest> {
  const version = await driver.serverVersion();
  const catalogue = await driver.catalogue();
  let map: LiveMapCheck | null = null;
  if (mapText !== null) {
    const parsed = parseDatasetMap(mapText);
    map = parsed.ok ? checkMapAgainstCatalogue(parsed.map, catalogue, parsed.positions) : parsed;
  }
  return { version, tables: catalogue.tables.size, map };
}

/** Every mapped row for the address, read-only: what an access export holds. */
export async function gatherForExport(driver: DatabaseDriver, mapText: string, email: string): Promise<ExportedTable[]> {
  const checked = await checkedOrRefuse(driver, mapText);
  return driver.readOnly(async (session) => exportedTables(checked, await gatherRows(session, driver.dialect, checked, email, { lock: false })));
}

/** What an erasure would do now, read-only (the dry run staff see before approving). */
export async function dryRunErasure(driver: DatabaseDriver, mapText: string, input: { email: string; now: Date; timeZone: string }): Promise<TableErasureCount[]> {
  const checked = await checkedOrRefuse(driver, mapText);
  return driver.readOnly((session) => countErasure(session, driver.dialect, checked, input));
}

/** The erasure, in one transaction there: all of it, or (on any failure) none of it. */
export async function eraseInDatabase(
  driver: DatabaseDriver,
  mapText: string,
  input: { email: string; now: Date; timeZone: string; hashValue: (value: string) => string },
): Promise<TableErasureCount[]> {
  return withChecked(driver, mapText, (checked) => driver.allOrNothing((session) => carryOutErasure(session, driver.dialect, checked, input)));
}

/** The accepted corrections, in one transaction there. */
export async function correctInDatabase(driver: DatabaseDriver, mapText: string, input: { email: string; changes: CorrectionChanges }): Promise<ColumnsWritten[]> {
  return withChecked(driver, mapText, (checked) => driver.allOrNothing((session) => carryOutCorrection(session, driver.dialect, checked, input)));
}

/** Ends the address's mapped subscriptions, in one transaction there. */
export async function unsubscribeInDatabase(driver: DatabaseDriver, mapText: string, email: string): Promise<UnsubscribeCount[]> {
  return withChecked(driver, mapText, (checked) => driver.allOrNothing((session) => carryOutUnsubscribe(session, driver.dialect, checked, email)));
}
