import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { staffDigests } from "./schema";
import { BUSY_TIMEOUT_MS, inRawTransaction, inTransaction, unlessBusy } from "./transaction";

const ROOT = path.resolve(import.meta.dirname, "..");
/** Not the project's code: dependencies, the build, data, and this folder (where the one helper lives). */
const SKIPPED = new Set(["node_modules", ".next", ".git", "data", "test-results", "db"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name) && dir === ROOT) return [];
    if (entry.name === "node_modules" || entry.name.startsWith(".")) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mjs|cjs|js)$/.test(entry.name) ? [full] : [];
  });
}

/** A transaction opened any other way: drizzle's or better-sqlite3's `.transaction(`, or SQL that begins one. */
const OWN_TRANSACTION = [/\.transaction\s*\(/, /\b(exec|prepare|run)\s*\(\s*["'`]\s*BEGIN\b/i];

describe("opening a transaction", () => {
  it("happens only through db/transaction.ts: no code outside db/ opens one itself", () => {
    const files = sourceFiles(ROOT);
    // The walk really reaches every part of the code.
    for (const part of ["lib", "server", "app", "scripts", "e2e"]) {
      expect(files.some((f) => f.startsWith(path.join(ROOT, part, path.sep))), part).toBe(true);
    }
    const offenders = files.flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) => (OWN_TRANSACTION.some((pattern) => pattern.test(line)) ? [`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  let t: TempDatabase;
  let other: Database.Database;
  beforeEach(() => {
    t = openTempDatabase();
    other = new Database(t.file);
    // The other connection does not wait: a lock it cannot take is an error at once.
    other.pragma("busy_timeout = 0");
  });
  afterEach(() => {
    other.close();
    t.close();
  });

  const otherCanWrite = () => {
    try {
      other.exec("BEGIN IMMEDIATE; ROLLBACK");
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_BUSY") return false;
      throw error;
    }
  };

  it.each([
    ["inTransaction", (fn: () => void) => inTransaction(t.db, fn)],
    ["inRawTransaction", (fn: () => void) => inRawTransaction(t.db.$client, fn)],
  ])("%s holds the write lock from its start, before it has read or written anything", (_name, open) => {
    expect(otherCanWrite()).toBe(true);
    let during: unknown;
    open(() => {
      during = otherCanWrite();
    });
    expect(during).toBe(false);
    expect(otherCanWrite()).toBe(true);
  });

  it("commits what the function wrote, and nothing of a function that throws", () => {
    inTransaction(t.db, (tx) => tx.insert(staffDigests).values({ day: "2026-11-22", sentAt: new Date(), recipients: 1, requests: 2 }).run());
    expect(() =>
      inTransaction(t.db, (tx) => {
        tx.insert(staffDigests).values({ day: "2026-11-23", sentAt: new Date(), recipients: 1, requests: 2 }).run();
        throw new Error("changed my mind");
      }),
    ).toThrow("changed my mind");
    expect(t.db.select({ day: staffDigests.day }).from(staffDigests).all()).toEqual([{ day: "2026-11-22" }]);
  });

  it("hands every transaction on a connection the same handle, kept from the first, and still nests by savepoints", () => {
    const digest = (day: string) => ({ day, sentAt: new Date(), recipients: 1, requests: 2 });
    const handles: unknown[] = [];
    inTransaction(t.db, (tx) => handles.push(tx));
    inTransaction(t.db, (tx) => handles.push(tx));
    expect(handles[1]).toBe(handles[0]);
    // Another connection has its own.
    const second = openTempDatabase();
    try {
      inTransaction(second.db, (tx) => handles.push(tx));
      expect(handles[2]).not.toBe(handles[0]);
    } finally {
      second.close();
    }
    // Inside an open transaction, another is a savepoint: undone alone when it throws, the outer one kept.
    inTransaction(t.db, (tx) => {
      tx.insert(staffDigests).values(digest("2026-11-25")).run();
      expect(() =>
        inTransaction(t.db, (inner) => {
          inner.insert(staffDigests).values(digest("2026-11-26")).run();
          throw new Error("inner changed its mind");
        }),
      ).toThrow("inner changed its mind");
      expect(() =>
        tx.transaction((nested) => {
          nested.insert(staffDigests).values(digest("2026-11-27")).run();
          nested.rollback();
        }),
      ).toThrow();
      tx.transaction((nested) => nested.insert(staffDigests).values(digest("2026-11-28")).run());
    });
    expect(t.db.select({ day: staffDigests.day }).from(staffDigests).all().map((r) => r.day)).toEqual(["2026-11-25", "2026-11-28"]);
    expect(t.db.$client.inTransaction).toBe(false);
  });

  it.each([
    ["the database is free: written", false, true, 1],
    ["another connection holds the write lock: skipped at once, nothing written", true, false, 0],
  ])("unlessBusy: %s", (_what, locked, expected, rows) => {
    const write = () => t.db.insert(staffDigests).values({ day: "2026-11-24", sentAt: new Date(), recipients: 1, requests: 2 }).run();
    if (locked) other.exec("BEGIN IMMEDIATE");
    const start = performance.now();
    const result = unlessBusy(t.db, write);
    const waited = performance.now() - start;
    if (locked) other.exec("ROLLBACK");
    expect(result).toBe(expected);
    // Without waiting for the lock: far less than the busy timeout every other write waits.
    expect(waited).toBeLessThan(BUSY_TIMEOUT_MS / 10);
    expect(t.db.select().from(staffDigests).all()).toHaveLength(rows);
    // The connection waits again, as before, for every other write.
    expect(t.db.$client.pragma("busy_timeout", { simple: true })).toBe(BUSY_TIMEOUT_MS);
  });
});
