import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir, openTempDatabase, removeTempDir, type TempDatabase } from "@/lib/testing/temp-database";
import { openDatabase, type Db } from "./connection";
import { migrateDatabase } from "./migrate";

const migrations = fileURLToPath(new URL("./migrations", import.meta.url));
type Journal = { entries: Array<{ tag: string; when: number }> };
const journal = JSON.parse(fs.readFileSync(path.join(migrations, "meta", "_journal.json"), "utf8")) as Journal;

/** Every table, index and trigger with its columns: what the code relies on, whatever order the columns came in. */
function shape(db: Db): Record<string, string[]> {
  const sqlite = db.$client;
  const objects = sqlite
    .prepare("select type, name from sqlite_master where name not like 'sqlite_%' and name != '__drizzle_migrations' order by name")
    .all() as Array<{ type: string; name: string }>;
  return Object.fromEntries(
    objects.map(({ type, name }) => [
      `${type} ${name}`,
      type === "table"
        ? (sqlite.prepare(`select name, type, "notnull", dflt_value from pragma_table_info(?)`).all(name) as object[]).map((c) => JSON.stringify(c)).sort()
        : [],
    ]),
  );
}

describe("migrations", () => {
  const cleanUp: Array<() => void> = [];
  afterEach(() => {
    for (const undo of cleanUp.splice(0)) undo();
  });
  function fresh(): TempDatabase {
    const t = openTempDatabase();
    cleanUp.push(() => t.close());
    return t;
  }

  it("bring a database made by the first release (its first migration only) up to date, keeping its rows", () => {
    // The first release shipped 0000 alone; an installation made then must start on today's code.
    const dir = makeTempDir();
    const db = openDatabase(path.join(dir, "old.db"));
    cleanUp.push(() => {
      db.$client.close();
      removeTempDir(dir);
    });
    const firstRelease = path.join(dir, "migrations");
    fs.mkdirSync(path.join(firstRelease, "meta"), { recursive: true });
    fs.copyFileSync(path.join(migrations, "0000_foundation.sql"), path.join(firstRelease, "0000_foundation.sql"));
    fs.writeFileSync(path.join(firstRelease, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "sqlite", entries: [journal.entries[0]] }));
    migrate(db, { migrationsFolder: firstRelease });
    db.$client
      .prepare("insert into mail_outbox (message_id, kind, to_address, subject, text_body, html_body, next_attempt_at, created_at) values ('m1', 'receipt', 'ann@example.org', 'Hello', 't', 'h', 0, 0)")
      .run();

    migrateDatabase(db);

    expect(shape(db)).toEqual(shape(fresh().db));
    expect(db.$client.prepare("select message_id, auto_retry, claim_token from mail_outbox").all()).toEqual([{ message_id: "m1", auto_retry: 1, claim_token: null }]);
  });

  it("leave a database that has every migration as it is", () => {
    const t = fresh();
    const before = shape(t.db);
    migrateDatabase(t.db);
    expect(shape(t.db)).toEqual(before);
    const applied = t.db.$client.prepare("select created_at from __drizzle_migrations order by created_at").pluck().all();
    expect(applied).toEqual(journal.entries.map((e) => e.when));
  });
});
