import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { inTransaction } from "@/db/transaction";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";
import { legacyEventHash, LegacyLogError } from "./legacy-events";
import { removeEventContent } from "./redaction";
import { verifyEventChain } from "./verify-chain";
import { verifyRecord } from "./verify-record";

const migrations = fileURLToPath(new URL("../../db/migrations", import.meta.url));
type Journal = { version: string; dialect: string; entries: Array<{ tag: string; when: number }> };
const journal = JSON.parse(fs.readFileSync(path.join(migrations, "meta", "_journal.json"), "utf8")) as Journal;
/** The last migration of the release before notes could be removed. */
const LAST_LEGACY = "0006_approval_policy_and_mail_by_address";

const START = Date.parse("2026-01-05T10:00:00Z");

describe("converting a log written before notes could be removed", () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(path.join(dir, "old.db"));
    // The database as the previous release left it: every migration up to 0006, none after.
    const old = path.join(dir, "migrations");
    fs.mkdirSync(path.join(old, "meta"), { recursive: true });
    const upTo = journal.entries.findIndex((e) => e.tag === LAST_LEGACY);
    expect(upTo).toBeGreaterThan(0);
    for (const entry of journal.entries.slice(0, upTo + 1)) fs.copyFileSync(path.join(migrations, `${entry.tag}.sql`), path.join(old, `${entry.tag}.sql`));
    fs.writeFileSync(path.join(old, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo + 1) }));
    migrate(db, { migrationsFolder: old });
  });
  afterEach(() => {
    if (db.$client.open) db.$client.close();
    removeTempDir(dir);
  });

  /** What the previous release wrote: two requests, their events hashed the old way, notes inside the chain. */
  function writeOldLog(): string {
    const sqlite = db.$client;
    const request = sqlite.prepare(
      `insert into requests (reference, type, status, subject_email, details, regime, received_at, received_on, due_on, updated_at)
       values (?, 'concern', ?, ?, '{}', 'gdpr', ?, '2026-01-05', '2026-02-05', ?)`,
    );
    request.run("RD-AAAA-AAAA", "completed", "ann@example.org", START, START);
    request.run("RD-BBBB-BBBB", "in_review", "bob@example.org", START, START);
    const insert = sqlite.prepare(
      `insert into request_events (id, request_id, at, actor_type, actor_email, action, from_status, to_status, note, prev_hash, hash)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const events = [
      { requestId: 1, actorType: "supporter", actorEmail: null, action: "filed", fromStatus: null, toStatus: "received", note: null },
      { requestId: 2, actorType: "supporter", actorEmail: null, action: "filed", fromStatus: null, toStatus: "received", note: null },
      { requestId: 1, actorType: "supporter", actorEmail: null, action: "message", fromStatus: null, toStatus: null, note: "I live at 4 Harbour Row." },
      { requestId: 1, actorType: "staff", actorEmail: "lee@example.org", action: "review_started", fromStatus: "received", toStatus: "in_review", note: null },
      { requestId: 2, actorType: "staff", actorEmail: "lee@example.org", action: "review_started", fromStatus: "received", toStatus: "in_review", note: null },
      { requestId: 1, actorType: "staff", actorEmail: "lee@example.org", action: "completed", fromStatus: "in_review", toStatus: "completed", note: "Answered." },
    ] as const;
    let prevHash = "";
    events.forEach((e, i) => {
      const row = { ...e, id: i + 1, prevHash, at: new Date(START + i * 60_000) };
      const hash = legacyEventHash(row);
      insert.run(row.id, e.requestId, row.at.getTime(), e.actorType, e.actorEmail, e.action, e.fromStatus, e.toStatus, e.note, prevHash, hash);
      prevHash = hash;
    });
    return prevHash;
  }

  it("checks the old chain, re-hashes it once, keeps every note, and then verifies", () => {
    const legacyHead = writeOldLog();
    const before = db.$client.prepare("select id, request_id, at, actor_type, actor_email, action, from_status, to_status, note from request_events order by id").all();

    migrateDatabase(db);

    expect(db.$client.prepare("select id, request_id, at, actor_type, actor_email, action, from_status, to_status, note from request_events order by id").all()).toEqual(before);
    expect(db.$client.prepare("select count(*) from request_events where content_hash is null or content_salt is null").pluck().get()).toBe(0);
    const chain = verifyEventChain(db);
    expect(chain).toMatchObject({ events: 6, problem: null });
    expect(chain.headHash).not.toBe(legacyHead);
    expect(db.$client.prepare("select events, legacy_head_hash, head_hash from event_log_conversions").all()).toEqual([
      { events: 6, legacy_head_hash: legacyHead, head_hash: chain.headHash },
    ]);

    const report = verifyRecord(db, { anchors: [], publicKey: null });
    expect(report.problem).toBeNull();
    expect(report.notes).toContainEqual(expect.stringMatching(new RegExp(`^Events 1 to 6 were written before notes could be removed, and were converted on .*; their last hash before that was ${legacyHead}\\.$`)));
    expect(report.notes).toContain("2 requests last changed before the log recorded due dates and assignees were checked for status only.");

    // Converting again changes nothing.
    migrateDatabase(db);
    expect(verifyEventChain(db).headHash).toBe(chain.headHash);
    expect(db.$client.prepare("select count(*) from event_log_conversions").pluck().get()).toBe(1);
  });

  it("lets an old note be removed afterwards without breaking the chain", () => {
    writeOldLog();
    migrateDatabase(db);
    inTransaction(db, (tx) => removeEventContent(tx, { requestId: 1, reason: "erasure", now: new Date(START + 86_400_000) }));
    expect(db.$client.prepare("select count(*) from request_events where note like '%Harbour%'").pluck().get()).toBe(0);
    // Request 1's two notes; its two events without one keep their salts.
    expect(verifyEventChain(db)).toMatchObject({ problem: null, redacted: { count: 2 } });
  });

  it("refuses to launder an old log that was already changed, and leaves it as it was", () => {
    writeOldLog();
    db.$client.prepare("update request_events set note = 'Nothing to see.' where id = 3").run();
    expect(() => migrateDatabase(db)).toThrow(LegacyLogError);
    expect(() => migrateDatabase(db)).toThrow(
      "The request log cannot be converted to the current format: event 3 does not fit the chain as it was written, so the log was changed. Restore the database from a backup made before the change.",
    );
    expect(db.$client.prepare("select count(*) from request_events where content_hash is not null").pluck().get()).toBe(0);
    expect(db.$client.prepare("select count(*) from event_log_conversions").pluck().get()).toBe(0);
  });

  it.each([
    ["deleted in the middle", "delete from request_events where id = 4"],
    ["cut at the start", "delete from request_events where id = 1"],
  ])("refuses an old log with events %s", (_, statement) => {
    writeOldLog();
    db.$client.prepare(statement).run();
    expect(() => migrateDatabase(db)).toThrow(/^The request log cannot be converted to the current format: event \d+ does not fit/);
  });
});
