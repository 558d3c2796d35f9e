/**
 * What the database's own list of applied migrations (`__drizzle_migrations`)
 * says, checked before the migrator reads it.
 *
 * Drizzle's migrator looks only at the newest row's time and applies every
 * migration whose journal time is later. Two histories therefore go wrong
 * without it: a database migrated by a newer version (its newest row is later
 * than every migration here) is taken as up to date and served by code that
 * does not know its tables; and a database made by one of the versions of the
 * first day, whose first migration was rewritten in place before it was split
 * into 0000 and 0001 (see the history of db/migrations/0000_foundation.sql),
 * has a row older than today's 0000, so the migrator runs 0000 again and stops
 * at "table `accounts` already exists" (or, after 0001, at "duplicate column
 * name"), on every start, for ever.
 *
 * The first is refused with one sentence. The second is brought to where
 * today's history starts: the objects the same migrations make today that it
 * lacks are made (those versions only added whole tables, indexes and columns
 * to the ones they share), and the rows are rewritten to today's, in the same
 * transaction as the migrations that follow.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { inRawTransaction } from "./transaction";

type Journal = { entries: Array<{ tag: string; when: number }> };

/** Thrown when the list of applied migrations is one this version cannot go on from; the message is the sentence to show. */
export class MigrationHistoryError extends Error {
  override name = "MigrationHistoryError";
}

/**
 * The first migration's row as written by the versions of the first day, by
 * its time: which of today's migrations that database holds in full once
 * the objects it lacks are made, or null when it cannot be completed.
 */
const EARLY_FIRST_MIGRATIONS: ReadonlyMap<number, readonly string[] | null> = new Map([
  // Before the request log was chained: its requests and events lack columns (NOT NULL, no default) whose values
  // would have to be worked out, not merely added.
  [1795331119070, null],
  // The chained log, deadlines and assignment; then an index for the monthly report.
  [1795332619795, ["0000_foundation"]],
  [1795334134908, ["0000_foundation"]],
  // The supporter records, and the mail delivery that is today's 0001 without its table of used sign-in links.
  [1795336427367, ["0000_foundation", "0001_mail_and_sign_in"]],
]);

function journalOf(folder: string): Journal {
  return JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as Journal;
}

function sqlOf(folder: string, tag: string): string {
  return fs.readFileSync(path.join(folder, `${tag}.sql`), "utf8");
}

function appliedRows(sqlite: Database.Database): Array<{ rowid: number; hash: string; created_at: number }> {
  const table = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  if (!table) return [];
  return sqlite.prepare("select rowid, hash, created_at from __drizzle_migrations order by created_at").all() as Array<{ rowid: number; hash: string; created_at: number }>;
}

function exists(sqlite: Database.Database, name: string): boolean {
  return sqlite.prepare("select 1 from sqlite_master where name = ?").get(name) !== undefined;
}

function hasColumn(sqlite: Database.Database, table: string, column: string): boolean {
  return sqlite.prepare("select 1 from pragma_table_info(?) where name = ?").get(table, column) !== undefined;
}

/** Runs each statement of a migration whose table, index or column is not there yet. */
function completeMigration(sqlite: Database.Database, sql: string): void {
  for (const raw of sql.split("--> statement-breakpoint")) {
    const statement = raw.replace(/^\s*--.*$/gm, "").trim();
    if (!statement) continue;
    const created = /^CREATE (?:UNIQUE )?(?:TABLE|INDEX) `([^`]+)`/.exec(statement);
    const added = /^ALTER TABLE `([^`]+)` ADD `([^`]+)`/.exec(statement);
    if (created) {
      if (!exists(sqlite, created[1]!)) sqlite.exec(statement);
    } else if (added) {
      if (!hasColumn(sqlite, added[1]!, added[2]!)) sqlite.exec(statement);
    } else {
      throw new Error(`A migration of the first day holds a step that cannot be completed: ${statement.slice(0, 80)}`);
    }
  }
}

/**
 * Checks the applied migrations against this version's journal before the
 * migrator runs: refuses (MigrationHistoryError) a database a newer or an
 * unknown version migrated, and brings one made on the first day to today's
 * 0000 (and 0001), in one transaction.
 */
export function reconcileMigrationHistory(sqlite: Database.Database, migrationsFolder: string): void {
  inRawTransaction(sqlite, () => reconcile(sqlite, migrationsFolder));
}

function reconcile(sqlite: Database.Database, migrationsFolder: string): void {
  const rows = appliedRows(sqlite);
  if (rows.length === 0) return;
  const journal = journalOf(migrationsFolder);
  const known = new Set(journal.entries.map((e) => e.when));
  const latest = Math.max(...known);
  const newer = rows.filter((r) => r.created_at > latest);
  if (newer.length > 0) {
    throw new MigrationHistoryError(
      `the database was brought up to date by a newer version of Rightsdesk than this one (${newer.length === 1 ? "a migration" : `${newer.length} migrations`} this version does not know), ` +
        "so this version would not understand all of it. Nothing was changed. Start the version that last ran on it, or, to go back to this version, restore the backup made before the upgrade (see Upgrading in the README).",
    );
  }
  const unknown = rows.filter((r) => !known.has(r.created_at));
  if (unknown.length === 0) return;
  const early = unknown.length === 1 && rows.length === 1 ? EARLY_FIRST_MIGRATIONS.get(unknown[0]!.created_at) : undefined;
  if (!early) {
    throw new MigrationHistoryError(
      early === null
        ? "the database was made by a development version of Rightsdesk from before its request log was chained, which no later version can bring up to date. Nothing was changed. Keep running that version on it, or start this version on a new database (set DATABASE_PATH)."
        : "the database records a migration this version of Rightsdesk does not know (it was made or changed by another version, or by hand). Nothing was changed. Start the version that last ran on it, or restore a backup made by this version (see Upgrading in the README).",
    );
  }
  const record = sqlite.prepare("insert into __drizzle_migrations (hash, created_at) values (?, ?)");
  // By rowid: the migrator's own id column is declared SERIAL, which SQLite leaves empty.
  sqlite.prepare("delete from __drizzle_migrations where rowid = ?").run(unknown[0]!.rowid);
  for (const tag of early) {
    const entry = journal.entries.find((e) => e.tag === tag);
    if (!entry) throw new Error(`The journal has no migration ${tag}.`);
    const sql = sqlOf(migrationsFolder, tag);
    completeMigration(sqlite, sql);
    record.run(createHash("sha256").update(sql).digest("hex"), entry.when);
  }
}
