/**
 * Test helper: a real, migrated SQLite database in a fresh temporary folder.
 * Only tests import this.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { openDatabase, type Db } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";

export type TempDatabase = {
  db: Db;
  /** The temporary folder holding the database file; removed by `close`. */
  dir: string;
  file: string;
  /** Closes the connection and deletes the folder. */
  close(): void;
};

/** A fresh temporary folder; the caller removes it (see `removeTempDir`). */
export function makeTempDir(prefix = "rightsdesk-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function openTempDatabase(): TempDatabase {
  const dir = makeTempDir();
  const file = path.join(dir, "rightsdesk.db");
  const db = openDatabase(file);
  try {
    migrateDatabase(db);
  } catch (error) {
    db.$client.close();
    removeTempDir(dir);
    throw error;
  }
  return {
    db,
    dir,
    file,
    close() {
      if (db.$client.open) db.$client.close();
      removeTempDir(dir);
    },
  };
}

/** How many rows a table holds. */
export function countRows(db: Db, table: SQLiteTable): number {
  return db.select({ n: count() }).from(table).get()?.n ?? 0;
}

/** Every row of every table, by table name: compare two of these to show that something wrote nothing. */
export function tablesOf(db: Db): Record<string, unknown[]> {
  const names = db.$client
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(names.map((name) => [name, db.$client.prepare(`select * from "${name}"`).all()]));
}
