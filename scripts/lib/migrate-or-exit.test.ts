import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { LegacyLogError } from "@/lib/audit/legacy-events";
import fs from "node:fs";
import { loadOrCreateCredentialsKey } from "@/lib/systems/connectors/credentials";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";
import { migrationProblem } from "./migrate-or-exit";

let dir: string;
let db: Db;
beforeEach(() => {
  dir = makeTempDir();
  db = openDatabase(`${dir}/rightsdesk.db`);
});
afterEach(() => {
  db.$client.close();
  removeTempDir(dir);
});

/** The error migrating throws, or null. */
function failure(): unknown {
  try {
    migrateDatabase(db);
    return null;
  } catch (error) {
    return error;
  }
}

describe("migrationProblem", () => {
  it("names SQLite's reason and the step for a database changed by hand, and the database is left as it was", () => {
    // A table the last migrations make, made by hand first: every migration before it runs, then that one fails.
    db.$client.exec("create table report_time_zone (zone text)");
    const error = failure();
    expect(error).not.toBeNull();
    const sentence = migrationProblem(error);
    expect(sentence).toMatch(/^the database could not be brought up to date: SQLite said "[^"]+"/);
    expect(sentence).toContain("Nothing was changed");
    expect(sentence).not.toMatch(/\n\s+at /);
    // One transaction: not one table of the earlier migrations was left behind, and none is recorded as applied
    // (the migrator's own record of them is made, empty, before it starts).
    const tables = db.$client.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all();
    expect(tables).toEqual(["__drizzle_migrations", "report_time_zone"]);
    expect(db.$client.prepare("select count(*) from __drizzle_migrations").pluck().get()).toBe(0);
  });

  it("names the credentials key file when it holds no usable key and a webhook secret kept in the clear needs sealing", () => {
    migrateDatabase(db);
    db.$client.exec("insert into external_systems (name, kind, url, secret, active, created_at) values ('CRM', 'webhook', 'https://crm.example.org/', 'in-the-clear', 1, 0)");
    fs.writeFileSync(`${dir}/credentials-key`, "not a key\n");
    let error: unknown = null;
    try {
      migrateDatabase(db, { credentialsKey: () => loadOrCreateCredentialsKey(dir) });
    } catch (caught) {
      error = caught;
    }
    expect(migrationProblem(error)).toMatch(/^The file .*credentials-key does not hold a usable key/);
    expect(db.$client.prepare("select secret from external_systems").pluck().get()).toBe("in-the-clear");
  });

  it.each<[string, unknown, RegExp]>([
    ["an old request log that no longer verifies: its own sentence", new LegacyLogError("The request log no longer verifies at event 7."), /^The request log no longer verifies at event 7\.$/],
    ["any other error: its message", new Error("disk I/O error"), /SQLite said "disk I\/O error"\. Nothing was changed/],
    ["something thrown that is not an error", "locked", /SQLite said "locked"/],
  ])("%s", (_what, error, expected) => {
    expect(migrationProblem(error)).toMatch(expected);
  });
});
