/**
 * Loading millions of rows is several times faster into bare tables, with
 * the indexes and triggers built once at the end, than row by row through
 * them. The schema that results is exactly the migrated one: what is dropped
 * is put back from SQLite's own record of it.
 */
import type Database from "better-sqlite3";

type SchemaItem = { type: "index" | "trigger"; name: string; sql: string };

export function withoutIndexesAndTriggers(sqlite: Database.Database, tables: string[], load: () => void): void {
  const marks = tables.map(() => "?").join(", ");
  const items = sqlite
    .prepare(`select type, name, sql from sqlite_master where type in ('index', 'trigger') and sql is not null and tbl_name in (${marks})`)
    .all(...tables) as SchemaItem[];
  for (const item of items) sqlite.exec(`drop ${item.type} "${item.name}"`);
  load();
  // Indexes first: a trigger is only ever fired by later writes.
  for (const item of items.filter((i) => i.type === "index")) sqlite.exec(item.sql);
  for (const item of items.filter((i) => i.type === "trigger")) sqlite.exec(item.sql);
}

/** The pragmas for a one-off load into a throwaway file: nothing is worth an fsync. */
export function loadingPragmas(sqlite: Database.Database): void {
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -262144");
  sqlite.pragma("temp_store = MEMORY");
  sqlite.pragma("foreign_keys = OFF");
  // The journal in memory while loading: a failed load is thrown away whole. SQLite leaves WAL only for
  // DELETE, and MEMORY is reached from there; loadedPragmas puts WAL back.
  sqlite.pragma("journal_mode = DELETE");
  sqlite.pragma("journal_mode = MEMORY");
}

/** Back to how the server runs it (db/connection.ts), once the load is done. */
export function loadedPragmas(sqlite: Database.Database): void {
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
}
