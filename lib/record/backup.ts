/**
 * Backups: a consistent copy of the database taken while the portal runs,
 * through SQLite's online backup API (better-sqlite3's `backup`), then
 * checked by SQLite itself (every page and table) and verified like the
 * live record before it is kept. The last
 * BACKUP_KEEP copies in BACKUP_DIR are kept; older ones are deleted.
 *
 * The copy is taken in one step, inside one read transaction of its own
 * connection: writers (in WAL mode) carry on meanwhile, and the copy is the
 * database as it stood at one moment, never half of a transaction.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { openDatabaseReadOnly } from "@/db/connection";
import { readAnchorFile, type AnchorSource } from "@/lib/audit/anchors";
import { verifyRecordAsync } from "@/lib/audit/verify-record";
import { whyNotWritable } from "@/lib/process/file-problem";
import type { PublicKey } from "@/lib/settings/signing-key";
import { databaseDamage, type DatabaseDamage } from "./database-damage";

/** Backups are named by when they were taken, and a second one in the same second by its number ("-2"). */
const BACKUP_NAME = /^rightsdesk-(\d{4}-\d{2}-\d{2}T\d{6}Z)(?:-(\d+))?\.db$/;

export function backupName(at: Date): string {
  // 2026-03-02T09:05:07.123Z becomes rightsdesk-2026-03-02T090507Z.db: no colons, which some file systems refuse.
  return `rightsdesk-${at.toISOString().slice(0, 19).replace(/:/g, "")}Z.db`;
}

/** The backups in a folder, each with when it was taken and its number in that second (1 for the first). */
function backupsIn(dir: string): Array<{ name: string; taken: string; number: number }> {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).flatMap((name) => {
    const match = BACKUP_NAME.exec(name);
    return match ? [{ name, taken: match[1]!, number: Number(match[2] ?? 1) }] : [];
  });
}

/** The backups in a folder, oldest first (only files this module names; nothing else there is touched). */
export function listBackups(dir: string): string[] {
  // By time, then number: sorted as text, "…Z-2.db" would come before "…Z.db", the first of that second.
  return backupsIn(dir)
    .sort((a, b) => (a.taken < b.taken ? -1 : a.taken > b.taken ? 1 : a.number - b.number))
    .map((b) => path.join(dir, b.name));
}

export type BackupOutcome =
  | { ok: true; file: string; events: number; bytes: number; removed: string[] }
  | { ok: false; problem: string };

export type BackupInput = {
  databasePath: string;
  backupDir: string;
  keep: number;
  now: Date;
  /** Anchors to check the copy against (those signed before the copy began are used). */
  anchors: readonly AnchorSource[];
  publicKey: PublicKey | null;
  /**
   * SQLite's quick check of the copy; in this process unless given. The
   * server's daily backup runs it in a process of its own (databaseDamageApart).
   */
  checkDamage?: (file: string) => Promise<DatabaseDamage | null>;
};

const checkedHere = async (file: string) => databaseDamage(file, "quick");

function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } catch {
    // Some file systems cannot sync a folder; the rename itself is still atomic.
  } finally {
    fs.closeSync(fd);
  }
}

/** Copies the live database in one step of the backup API. */
async function copyDatabase(source: string, destination: string): Promise<void> {
  const sqlite = new Database(source, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    // Every page in the next step: the copy is made inside one read transaction, so writers never make it start over.
    await sqlite.backup(destination, { progress: () => 0x7fffffff });
  } finally {
    sqlite.close();
  }
}

/** A backup is one file: out of WAL mode, so it needs no -wal or -shm beside it, and reading it leaves none behind. */
function standAlone(file: string): void {
  const sqlite = new Database(file);
  try {
    sqlite.pragma("journal_mode = DELETE");
  } finally {
    sqlite.close();
  }
}

/** Takes, verifies and keeps a backup; prunes the oldest beyond `keep`. */
/**
 * The anchors to check a backup against. An anchor file that cannot be read
 * does not stop the backup (the daily anchor alerts the admins about it);
 * the copy is then checked without anchors.
 */
export function anchorsForBackup(anchorFile: string): AnchorSource[] {
  try {
    return readAnchorFile(anchorFile).sources;
  } catch {
    return [];
  }
}

export async function backupDatabase(input: BackupInput): Promise<BackupOutcome> {
  if (!fs.existsSync(input.databasePath)) return { ok: false, problem: `There is no database at ${input.databasePath} to back up.` };
  // A folder that cannot be made (a disk not mounted, a read-only share, a file in the way) is said, not thrown:
  // thrown, the daily job would neither finish its day nor tell the admins.
  try {
    fs.mkdirSync(input.backupDir, { recursive: true });
    fs.accessSync(input.backupDir, fs.constants.W_OK);
  } catch (error) {
    return { ok: false, problem: notWritten(input.backupDir, error) };
  }
  // Another taken in the same second gets the next number after any of that second still kept, so it sorts as the newest.
  const base = backupName(input.now);
  const taken = base.slice("rightsdesk-".length, -".db".length);
  const numbers = backupsIn(input.backupDir).filter((b) => b.taken === taken).map((b) => b.number);
  const name = numbers.length === 0 ? base : base.replace(/\.db$/, `-${Math.max(...numbers) + 1}.db`);
  const file = path.join(input.backupDir, name);
  const partial = `${file}.partial`;
  const started = Date.now();
  try {
    await copyDatabase(input.databasePath, partial);
    standAlone(partial);
    // The backup API copies pages as they are: a damaged page of the database is a damaged page of the copy.
    const damage = await (input.checkDamage ?? checkedHere)(partial);
    if (damage) {
      fs.rmSync(partial, { force: true });
      const detail = damage.notDatabase ? "it is not a database" : `SQLite reports: ${damage.detail}`;
      return { ok: false, problem: `The backup was not kept, because the database is damaged (${detail}); restore the last good backup.` };
    }
    const copy = openDatabaseReadOnly(partial);
    let report;
    try {
      // Anchors signed after the copy began may name events it does not hold.
      const anchors = input.anchors.filter((a) => a.anchor.signedAt.getTime() < started);
      report = await verifyRecordAsync(copy, { anchors, publicKey: input.publicKey });
    } finally {
      copy.$client.close();
    }
    const problem = report.problem ?? report.cannotCheck;
    if (problem || !report.chain) {
      fs.rmSync(partial, { force: true });
      return { ok: false, problem: `The backup was not kept, because its record does not verify: ${problem ?? "it could not be checked."}` };
    }
    fs.renameSync(partial, file);
    fsyncDirectory(input.backupDir);
    const all = listBackups(input.backupDir);
    const removed = all.slice(0, Math.max(0, all.length - input.keep));
    for (const old of removed) fs.rmSync(old, { force: true });
    return { ok: true, file, events: report.chain.events, bytes: fs.statSync(file).size, removed };
  } catch (error) {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(`${partial}${suffix}`, { force: true });
    return { ok: false, problem: notWritten(input.backupDir, error) };
  }
}

function notWritten(backupDir: string, error: unknown): string {
  return `The backup could not be written to ${backupDir}: ${whyNotWritable(backupDir, error, { folder: true })}. Nothing was kept; make the folder writable, or set BACKUP_DIR to one that is.`;
}
