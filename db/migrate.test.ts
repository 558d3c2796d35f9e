import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir, openTempDatabase, removeTempDir, type TempDatabase } from "@/lib/testing/temp-database";
import { openDatabase, type Db } from "./connection";
import { migrateDatabase } from "./migrate";
import { MigrationHistoryError } from "./migration-history";

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

  /** A database as a version of the first day left it: today's first migrations less what that version lacked, recorded by its own row. */
  function firstDayDatabase(through: string[], lacking: string[], row: { when: number; hash: string }): Db {
    const dir = makeTempDir();
    const db = openDatabase(path.join(dir, "early.db"));
    cleanUp.push(() => {
      db.$client.close();
      removeTempDir(dir);
    });
    const folder = path.join(dir, "migrations");
    fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
    const entries = journal.entries.filter((e) => through.includes(e.tag));
    for (const e of entries) fs.copyFileSync(path.join(migrations, `${e.tag}.sql`), path.join(folder, `${e.tag}.sql`));
    fs.writeFileSync(path.join(folder, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "sqlite", entries }));
    migrate(db, { migrationsFolder: folder });
    for (const name of lacking) {
      const [kind, object] = name.split(" ");
      db.$client.exec(kind === "column" ? `alter table ${object!.split(".")[0]} drop column ${object!.split(".")[1]}` : `drop ${kind} ${object}`);
    }
    db.$client.exec("delete from __drizzle_migrations");
    db.$client.prepare("insert into __drizzle_migrations (hash, created_at) values (?, ?)").run(row.hash, row.when);
    return db;
  }

  // What the supporter records (the last change to 0000 before the first release) added: the versions before lacked all of it.
  const supporterRecords = [
    "table access_exports", "table correction_decisions", "table correspondence", "table donations", "table external_systems", "table memberships",
    "table org_statement", "table petition_signatures", "table request_tasks", "table subscriptions", "table supporters", "table suppressions", "table web_visits",
  ];
  it.each<[string, string[], string[], { when: number; hash: string }]>([
    ["the chained log (22 November 2026, 07:32)", ["0000_foundation"], ["index requests_status_closed_idx", ...supporterRecords], { when: 1795332619795, hash: "eb405a5d83335f2e69bee4f1b99d607e613ad03eca7c98c805eb0a791f58f901" }],
    ["the monthly report's index (07:55)", ["0000_foundation"], supporterRecords, { when: 1795334134908, hash: "6e6202857ede3e7fa9b3eb0263d87a57bf236a28b4352af0c44fbf4418b50e0d" }],
    ["mail delivery in the first migration (08:36)", ["0000_foundation", "0001_mail_and_sign_in"], ["table used_sign_in_links"], { when: 1795336427367, hash: "78171022e9d12d219939451e4bd2f5d6bd0cf4f93c11faa7b8919d76830e9804" }],
  ])("bring a database made on the first day, after %s, up to date, keeping its rows", (_what, through, lacking, row) => {
    const db = firstDayDatabase(through, lacking, row);
    db.$client.prepare("insert into staff (email, role, added_at) values ('lead@example.org', 'admin', 0)").run();

    migrateDatabase(db);

    expect(shape(db)).toEqual(shape(fresh().db));
    expect(db.$client.prepare("select email, role from staff").all()).toEqual([{ email: "lead@example.org", role: "admin" }]);
    const applied = db.$client.prepare("select created_at from __drizzle_migrations order by created_at").pluck().all();
    expect(applied).toEqual(journal.entries.map((e) => e.when));
  });

  const latest = Math.max(...journal.entries.map((e) => e.when));
  it.each<[string, (db: Db) => void, RegExp]>([
    ["a newer version migrated", (db) => db.$client.prepare("insert into __drizzle_migrations (hash, created_at) values ('later', ?)").run(latest + 60_000), /^the database was brought up to date by a newer version of Rightsdesk than this one/],
    ["an unknown version migrated", (db) => db.$client.prepare("update __drizzle_migrations set created_at = created_at + 1 where created_at = ?").run(journal.entries[5]!.when), /^the database records a migration this version of Rightsdesk does not know/],
    [
      "the first day's version from before the chained log made",
      (db) => {
        db.$client.exec("delete from __drizzle_migrations");
        db.$client.prepare("insert into __drizzle_migrations (hash, created_at) values ('b312d4c4f59845150d7ab261b38766c2a7ec8d42726dace19db6326d23fbf0ca', 1795331119070)").run();
      },
      /^the database was made by a development version of Rightsdesk from before its request log was chained/,
    ],
  ])("refuse a database %s with one sentence, changing nothing", (_what, change, sentence) => {
    const t = fresh();
    change(t.db);
    const before = { shape: shape(t.db), applied: t.db.$client.prepare("select * from __drizzle_migrations order by id").all() };
    let error: unknown = null;
    try {
      migrateDatabase(t.db);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MigrationHistoryError);
    expect((error as Error).message).toMatch(sentence);
    expect({ shape: shape(t.db), applied: t.db.$client.prepare("select * from __drizzle_migrations order by id").all() }).toEqual(before);
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
