import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { keepCompiledStatements, STATEMENT_CACHE_SIZE } from "./statement-cache";

let open: Database.Database[] = [];
afterEach(() => {
  for (const sqlite of open) sqlite.close();
  open = [];
});

function connection(): Database.Database {
  const sqlite = new Database(":memory:");
  keepCompiledStatements(sqlite);
  sqlite.exec("create table t (id integer primary key, name text not null)");
  sqlite.exec("insert into t (name) values ('a'), ('b'), ('c')");
  open.push(sqlite);
  return sqlite;
}

describe("keepCompiledStatements", () => {
  it("compiles each SQL text once and hands the same statement out again", () => {
    const sqlite = connection();
    const first = sqlite.prepare("select name from t where id = ?");
    expect(sqlite.prepare("select name from t where id = ?")).toBe(first);
    expect(sqlite.prepare("select name from t where id = ? ")).not.toBe(first);
    expect(first.get(2)).toEqual({ name: "b" });
  });

  it.each([
    ["raw", (s: Database.Statement) => s.raw(), [1, "a"]],
    ["pluck", (s: Database.Statement) => s.pluck(), 1],
    ["expand", (s: Database.Statement) => s.expand(), { t: { id: 1, name: "a" } }],
  ] as const)("resets a statement a caller switched to %s before handing it out again", (_mode, switchOn, switched) => {
    const sqlite = connection();
    const sql = "select id, name from t order by id";
    expect(switchOn(sqlite.prepare(sql)).get()).toEqual(switched);
    expect(sqlite.prepare(sql).get()).toEqual({ id: 1, name: "a" });
  });

  it("gives a fresh statement while the kept one is still being iterated", () => {
    const sqlite = connection();
    const sql = "select name from t order by id";
    const outer = sqlite.prepare(sql);
    const names: string[] = [];
    for (const row of outer.iterate() as IterableIterator<{ name: string }>) {
      const inner = sqlite.prepare(sql);
      expect(inner).not.toBe(outer);
      names.push(`${row.name}${(inner.all() as Array<{ name: string }>).length}`);
    }
    expect(names).toEqual(["a3", "b3", "c3"]);
    expect(sqlite.prepare(sql)).toBe(outer);
  });

  it(`keeps at most ${STATEMENT_CACHE_SIZE}, dropping the one used longest ago`, () => {
    const sqlite = connection();
    const kept = Array.from({ length: STATEMENT_CACHE_SIZE }, (_, i) => sqlite.prepare(`select ${i}`));
    // Used again, "select 0" is now the most recent, and "select 1" the one used longest ago.
    expect(sqlite.prepare("select 0")).toBe(kept[0]);
    sqlite.prepare(`select ${STATEMENT_CACHE_SIZE}`);
    expect(sqlite.prepare("select 0")).toBe(kept[0]);
    expect(sqlite.prepare("select 2")).toBe(kept[2]);
    expect(sqlite.prepare("select 1")).not.toBe(kept[1]);
  });

  it("leaves transactions and pragmas working", () => {
    const sqlite = connection();
    const insert = sqlite.prepare("insert into t (name) values (?)");
    const failing = sqlite.transaction(() => {
      insert.run("d");
      throw new Error("undo");
    });
    expect(() => failing()).toThrow("undo");
    sqlite.transaction(() => insert.run("e"))();
    expect(sqlite.prepare("select name from t order by id").pluck().all()).toEqual(["a", "b", "c", "e"]);
    expect(sqlite.pragma("user_version", { simple: true })).toBe(0);
  });
});
