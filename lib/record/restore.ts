/**
 * Restoring a backup: the backup is checked by SQLite itself (every page,
 * table and index), copied beside the database, brought up to the current
 * version and verified (its chain, its requests against their events, and
 * every anchor up to its last event) before anything is replaced. The
 * database it replaces is kept, renamed, and the restore is signed into the
 * anchor file: later checks then expect the restored log, and say which
 * anchored events the restore gave up.
 *
 * The caller makes sure nothing has the database open (./database-in-use.ts).
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { openDatabase, type Db } from "@/db/connection";
import { eventLogAnchors } from "@/db/schema";
import { migrateDatabase } from "@/db/migrate";
import { MigrationHistoryError } from "@/db/migration-history";
import { appendAnchor, readAnchorFile, signAnchor, type AnchorRecord } from "@/lib/audit/anchors";
import { chainHead } from "@/lib/audit/event-log";
import { LegacyLogError } from "@/lib/audit/legacy-events";
import { verifyRecord } from "@/lib/audit/verify-record";
import type { SigningKey } from "@/lib/settings/signing-key";
import { databaseDamage } from "./database-damage";

export type RestoreOutcome =
  | {
      ok: true;
      events: number;
      /** Where the database that was replaced now is; null when there was none. */
      replacedBy: string | null;
      restoreRecord: AnchorRecord;
      /** The furthest event any anchor named, when beyond what the backup holds: those events were given up. */
      anchoredUpTo: number | null;
    }
  | { ok: false; problem: string };

function stamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace(/:/g, "");
}

function isRightsdeskDatabase(file: string): boolean {
  try {
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'request_events'").get() !== undefined;
    } finally {
      sqlite.close();
    }
  } catch {
    return false;
  }
}

/**
 * Folds the database's WAL into its file, where it can: the replaced copy is
 * then one file. A database too damaged to open or checkpoint (often why it
 * is being replaced) is left as it is, its WAL moved with it below.
 */
function checkpointIfPossible(databasePath: string): void {
  if (!fs.existsSync(databasePath)) return;
  try {
    const sqlite = new Database(databasePath, { fileMustExist: true });
    try {
      sqlite.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      sqlite.close();
    }
  } catch {
    // Damaged: kept as it is, beside the restored one, for whoever looks into it.
  }
}

/** Moves the database (and any WAL left) aside; returns where it went. */
function setAside(databasePath: string, now: Date): string | null {
  if (!fs.existsSync(databasePath)) return null;
  const aside = `${databasePath}.replaced-${stamp(now)}Z`;
  fs.renameSync(databasePath, aside);
  for (const suffix of ["-wal", "-shm"]) {
    if (fs.existsSync(`${databasePath}${suffix}`)) fs.renameSync(`${databasePath}${suffix}`, `${aside}${suffix}`);
  }
  return aside;
}

export function restoreBackup(input: { backup: string; databasePath: string; anchorFile: string; key: SigningKey; now: Date }): RestoreOutcome {
  if (!fs.existsSync(input.backup)) return { ok: false, problem: `There is no backup at ${input.backup}.` };
  if (path.resolve(input.backup) === path.resolve(input.databasePath)) return { ok: false, problem: "That is the database itself, not a backup of it: nothing was replaced." };
  // SQLite's own check of every page first: the record's check reads only the log and the requests.
  const damage = databaseDamage(input.backup, "full");
  if (damage?.notDatabase) return { ok: false, problem: `${input.backup} is not a Rightsdesk database: nothing was replaced.` };
  if (damage) {
    return {
      ok: false,
      problem: `${input.backup} is damaged, so it cannot be restored (SQLite reports: ${damage.detail}). Nothing was replaced: restore an earlier backup.`,
    };
  }
  if (!isRightsdeskDatabase(input.backup)) return { ok: false, problem: `${input.backup} is not a Rightsdesk database: nothing was replaced.` };

  // Worked on as a copy beside the database, so the backup itself stays as it was and the final move is a rename.
  fs.mkdirSync(path.dirname(input.databasePath), { recursive: true });
  const candidate = `${input.databasePath}.restoring-${stamp(input.now)}Z`;
  fs.copyFileSync(input.backup, candidate);
  let db: Db | null = null;
  try {
    db = openDatabase(candidate);
    try {
      migrateDatabase(db);
    } catch (error) {
      if (error instanceof LegacyLogError) return fail(`The backup's record does not verify: ${error.message} Nothing was replaced.`);
      if (error instanceof MigrationHistoryError) return fail(`The backup cannot be restored by this version: ${error.message.replace(/ Nothing was changed\./, "")} Nothing was replaced.`);
      throw error;
    }
    const head = chainHead(db);
    const { sources, unreadable } = readAnchorFile(input.anchorFile);
    // Anchors beyond the backup's last event name events it never held: those the restore gives up, not a sign of tampering.
    const within = sources.filter((s) => s.anchor.position <= head.position);
    const report = verifyRecord(db, { anchors: within, unreadableAnchors: unreadable, publicKey: input.key.publicKey });
    const problem = report.problem ?? report.cannotCheck;
    if (problem) return fail(`The backup's record does not verify: ${problem} Nothing was replaced.`);
    const record = signAnchor(input.key, { kind: "restored", position: head.position, hash: head.hash, signedAt: input.now });
    db.insert(eventLogAnchors).values({ ...record, reason: "restore" }).run();
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    db.$client.close();
    db = null;

    // The one step on the database being replaced that can fail, before anything is signed.
    checkpointIfPossible(input.databasePath);
    // Signed into the anchor file next: if that cannot be written, nothing is replaced.
    appendAnchor(input.anchorFile, record);
    const replacedBy = setAside(input.databasePath, input.now);
    fs.renameSync(candidate, input.databasePath);
    for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${candidate}${suffix}`, { force: true });
    const furthest = Math.max(0, ...sources.filter((s) => s.anchor.kind === "anchor").map((s) => s.anchor.position));
    return { ok: true, events: head.position, replacedBy, restoreRecord: record, anchoredUpTo: furthest > head.position ? furthest : null };
  } catch (error) {
    return fail(`The backup could not be restored: ${error instanceof Error ? error.message : String(error)}. Nothing was replaced.`);
  }

  function fail(problem: string): RestoreOutcome {
    if (db?.$client.open) db.$client.close();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${candidate}${suffix}`, { force: true });
    return { ok: false, problem };
  }
}
