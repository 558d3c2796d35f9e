/**
 * Whether the database may have changed since a moment: a version that moves
 * whenever anything is written to the database file, by this connection
 * (SQLite's count of rows this connection changed) or by any other one (the
 * mail worker, an import, a command run beside the server: SQLite's
 * `data_version`, which moves when another connection commits).
 *
 * An answer worked out from the database may be kept and given again while
 * the version is the same. Rolled-back writes move it too, which only costs a
 * kept answer. Bookkeeping that no such answer reads (the record of an API
 * call) is written through `withoutVersionChange`, so that the call log of
 * one poll does not throw away the answer the next poll would get.
 */
import type Database from "better-sqlite3";
import type { Db } from "./connection";

type Counters = { dataVersion: Database.Statement<[], number>; totalChanges: Database.Statement<[], number>; excluded: number };

const counters = new WeakMap<Database.Database, Counters>();

function countersOf(client: Database.Database): Counters {
  let found = counters.get(client);
  if (!found) {
    found = {
      dataVersion: client.prepare<[], number>("pragma data_version").pluck(),
      totalChanges: client.prepare<[], number>("select total_changes()").pluck(),
      excluded: 0,
    };
    counters.set(client, found);
  }
  return found;
}

function clientOf(db: Db | Database.Database): Database.Database {
  return "$client" in db ? db.$client : db;
}

/** The database's version as this connection sees it; equal versions mean nothing was written in between. */
export function changeVersion(db: Db | Database.Database): string {
  const c = countersOf(clientOf(db));
  return `${c.dataVersion.get()}:${c.totalChanges.get()! - c.excluded}`;
}

/**
 * Runs `write`, which must write only what no kept answer reads, without
 * moving the version. It runs synchronously, so nothing else can write on
 * this connection meanwhile.
 */
export function withoutVersionChange<T>(db: Db | Database.Database, write: () => T): T {
  const c = countersOf(clientOf(db));
  const before = c.totalChanges.get()!;
  try {
    return write();
  } finally {
    c.excluded += c.totalChanges.get()! - before;
  }
}

/** How many answers each connection keeps (see keptWhileUnchanged); the least recently given goes first. */
export const KEPT_ANSWERS = 64;

const keptByConnection = new WeakMap<Database.Database, Map<string, { version: string; value: unknown }>>();

/**
 * `work()`'s answer for `key`, worked out again only when the database has
 * changed since it was kept (or it was pushed out by KEPT_ANSWERS others).
 * `key` must name everything besides the database that the answer depends
 * on (the day, the options asked for). The answer is shared between callers,
 * so none may change it. A `work` that throws keeps nothing.
 */
export function keptWhileUnchanged<T>(db: Db, key: string, work: () => T): T {
  const version = changeVersion(db);
  let kept = keptByConnection.get(db.$client);
  if (!kept) {
    kept = new Map();
    keptByConnection.set(db.$client, kept);
  }
  const found = kept.get(key);
  kept.delete(key);
  if (found && found.version === version) {
    kept.set(key, found);
    return found.value as T;
  }
  const value = work();
  kept.set(key, { version, value });
  if (kept.size > KEPT_ANSWERS) kept.delete(kept.keys().next().value!);
  return value;
}
