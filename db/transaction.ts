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
  return db.transaction(fn, { behavior: "immediate" });
}

/** The same, for code that runs prepared statements on the raw better-sqlite3 connection (bulk seeding, test set-up). */
export function inRawTransaction<T>(sqlite: Database.Database, fn: () => T): T {
  return sqlite.transaction(fn).immediate();
}
