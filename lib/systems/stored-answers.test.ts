import fs from "node:fs";
import path from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, expect, it } from "vitest";
import { openDatabase } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";

const migrations = path.resolve(import.meta.dirname, "..", "..", "db", "migrations");
type Journal = { version: string; dialect: string; entries: Array<{ tag: string }> };
const journal = JSON.parse(fs.readFileSync(path.join(migrations, "meta", "_journal.json"), "utf8")) as Journal;

let dir: string;
afterEach(() => removeTempDir(dir));

it("an upgrade keeps only the status code of the webhook answers stored before, never what the systems wrote back", () => {
  dir = makeTempDir();
  const db = openDatabase(path.join(dir, "old.db"));
  try {
    // A database as the release before this change left it: every migration up to the one that scrubs the answers.
    const before = path.join(dir, "migrations");
    fs.mkdirSync(path.join(before, "meta"), { recursive: true });
    const entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag.endsWith("_import_jobs_and_corrections")));
    for (const e of entries) fs.copyFileSync(path.join(migrations, `${e.tag}.sql`), path.join(before, `${e.tag}.sql`));
    fs.writeFileSync(path.join(before, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
    migrate(db, { migrationsFolder: before });
    const sqlite = db.$client;
    sqlite.exec(`
      insert into external_systems (id, name, kind, url, secret, active, created_at) values (1, 'CRM', 'webhook', 'http://10.0.0.7/', 's', 1, 0), (2, 'Paper', 'manual', null, null, 1, 0);
      insert into requests (id, reference, type, status, subject_email, details, regime, received_at, received_on, due_on, updated_at)
        values (1, 'RD-AAAA-AAAA', 'access', 'approved', 'ann@example.org', '{}', 'gdpr', 0, '2026-01-01', '2026-02-01', 0);
      insert into request_tasks (request_id, system_id, status, attempts, last_response, completed_by) values
        (1, 1, 'done', 1, 'HTTP 200: {"admin_token":"hunter2"}', 'system');
    `);
    sqlite.exec(`
      insert into requests (id, reference, type, status, subject_email, details, regime, received_at, received_on, due_on, updated_at)
        values (2, 'RD-BBBB-BBBB', 'access', 'approved', 'bo@example.org', '{}', 'gdpr', 0, '2026-01-01', '2026-02-01', 0);
      insert into request_tasks (request_id, system_id, status, attempts, last_response, completed_by) values
        (2, 1, 'open', 3, 'No answer: connect ECONNREFUSED 10.0.0.7:80', null),
        (2, 2, 'done', 0, 'Shredded the paper file', 'lead@example.org');
    `);

    migrateDatabase(db);

    expect(sqlite.prepare("select last_response from request_tasks order by id").all()).toEqual([
      { last_response: "HTTP 200: the system's answer is no longer shown." },
      { last_response: "No answer: the connection failed." },
      // A staff member's note on a manual task stays as written.
      { last_response: "Shredded the paper file" },
    ]);
  } finally {
    db.$client.close();
  }
});
