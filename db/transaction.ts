/**
 * The one way to open a transaction. Every transaction here writes, and
 * nearly all read first, so each opens IMMEDIATE: it takes the write lock
 * before its first read, waiting up to the busy timeout while another
 * process (the separate mail worker, a command-line import) holds it. A
 * deferred transaction would read first and ask for the lock only at its
 * first write; SQLite then answers SQLITE_BUSY at once, without waiting, if
 * another process is writing or has written since that read.
 */
import type Database from "better-sqlite3";
import type { Db, Tx } from "./connection";

export function inTransaction<T>(db: Db, fn: (tx: Tx) => T): T {
  const kept = keptFor(db);
  return kept.immediate(fn, kept.tx) as T;
}

/**
 * What drizzle's `db.transaction` makes anew for every transaction, made
 * once per connection and kept: its handle (whose constructor builds a
 * relational query builder for each of the schema's sixty-odd tables, about
 * a twentieth of a filing's transaction) and better-sqlite3's wrapper that
 * begins, commits, or rolls back (or, inside a transaction already open,
 * takes a savepoint). Neither holds state of its own between transactions:
 * the handle runs its queries on the connection, and a nested
 * `tx.transaction` still makes its own savepoint handle, as before.
 */
type Kept = { tx: Tx; immediate: (fn: (tx: Tx) => unknown, tx: Tx) => unknown };
const keptByConnection = new WeakMap<Db, Kept>();

function keptFor(db: Db): Kept {
  let found = keptByConnection.get(db);
  if (!found) {
    // drizzle's own handle, taken from an empty transaction the once (a BEGIN and a COMMIT with nothing between).
    const tx = db.transaction((handle) => handle);
    const run = db.$client.transaction((body: (tx: Tx) => unknown, handle: Tx) => body(handle));
    found = { tx, immediate: run.immediate };
    keptByConnection.set(db, found);
  }
  return found;
}

/** The same, for code that runs prepared statements on the raw better-sqlite3 connection (bulk seeding, test set-up). */
export function inRawTransaction<T>(sqlite: Database.Database, fn: () => T): T {
  return sqlite.transaction(fn).immediate();
}

/** How long a connection waits for another's write lock (db/connection.ts sets it on every connection). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * A write worth making only if the database is free this moment (a note
 * that a session was used): run with no wait for the write lock, so a long
 * write by another process (an import of a million rows) never holds the
 * page that makes it. False when the database was busy and nothing was
 * written; the next request tries again.
 */
export function unlessBusy(db: Db, write: () => void): boolean {
  const sqlite = db.$client;
  sqlite.pragma("busy_timeout = 0");
  try {
    write();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") return false;
    throw error;
  } finally {
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}
