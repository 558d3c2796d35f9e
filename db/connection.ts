import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema";
import { keepCompiledStatements } from "./statement-cache";
import { BUSY_TIMEOUT_MS } from "./transaction";
import { StorageError, whyNotWritable, writeBlocker } from "@/lib/process/file-problem";

/** Pages the write-ahead log holds before it is checkpointed (see openDatabase). */
export const WAL_CHECKPOINT_PAGES = 10_000;

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction handle; domain functions accept either this or `Db`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Executor = Db | Tx;

/**
 * Opens (creating it and its folder if needed) the SQLite file with the
 * pragmas every connection needs: WAL so readers never wait for the writer,
 * enforced foreign keys, and a busy timeout instead of immediate lock errors.
 *
 * The write-ahead log is copied back into the database file once it holds
 * WAL_CHECKPOINT_PAGES pages rather than SQLite's 1,000: a filing dirties the
 * same few pages of the requests' indexes as the filing before it, and a
 * checkpoint copies each page once however often it was written since, so
 * checkpointing a tenth as often copies far fewer pages in all (filing a
 * request measured 1.25 ms against 1.46 in-process on the bench's million
 * requests). The log grows to about 40 MB between checkpoints.
 */
export function openDatabase(file: string): Db {
  let sqlite: Database.Database | null = null;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new Database(file);
    // SQLite opens a file it may not write read-only, without a word: the first write would fail, deep in some command.
    sqlite.pragma("journal_mode = WAL");
    const blocked = writeBlocker(file, false);
    if (blocked) throw Object.assign(new Error(blocked), { code: "EACCES" });
  } catch (error) {
    sqlite?.close();
    // A read-only data folder, another user's folder, a full disk: one sentence instead of SQLite's "unable to open database file".
    throw new StorageError(`the database ${file} cannot be opened for writing: ${whyNotWritable(file, error)}. Make its folder writable by the user that runs Rightsdesk, or set DATABASE_PATH to a file in one that is.`);
  }
  keepCompiledStatements(sqlite);
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return drizzle(sqlite, { schema });
}

const shared = globalThis as typeof globalThis & { __rightsdeskDatabases?: Map<string, Db> };

/**
 * One connection per file for the whole process: the server's pages, actions
 * and background worker are bundled separately but share this.
 */
export function sharedDatabase(file: string): Db {
  shared.__rightsdeskDatabases ??= new Map();
  let db = shared.__rightsdeskDatabases.get(file);
  if (!db) {
    db = openDatabase(file);
    shared.__rightsdeskDatabases.set(file, db);
  }
  return db;
}

/**
 * Opens an existing SQLite file for reading only, for commands that inspect
 * the record: they must never create, migrate or change what they check.
 * Throws (SQLITE_CANTOPEN) when the file does not exist.
 */
export function openDatabaseReadOnly(file: string): Db {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");
  return drizzle(sqlite, { schema });
}
