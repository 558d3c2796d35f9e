/**
 * Counts the SQL statements SQLite is asked to run, through a second
 * connection to the same file that reports each one (better-sqlite3's
 * `verbose`). Used by the queue's unit test and by `npm run bench`.
 */
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import type { Db } from "@/db/connection";
import * as schema from "@/db/schema";

export type CountingDb = {
  db: Db;
  /** Runs `work` and returns what it returned and the statements it ran, in order. */
  count<T>(work: (db: Db) => T): { result: T; statements: string[] };
  close(): void;
};

export function countingConnection(file: string): CountingDb {
  let seen: string[] | null = null;
  const sqlite = new Database(file, {
    fileMustExist: true,
    verbose: (message) => seen?.push(String(message)),
  });
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema }) as Db;
  return {
    db,
    count(work) {
      seen = [];
      try {
        const result = work(db);
        return { result, statements: seen };
      } finally {
        seen = null;
      }
    },
    close: () => sqlite.close(),
  };
}
