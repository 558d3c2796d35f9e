import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, openDatabaseReadOnly } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { verifyRequestStates } from "@/lib/audit/request-state";
import { verifyEventChain } from "@/lib/audit/verify-chain";
import { seedBenchDatabase, type SeedSize } from "./seed-database";

/**
 * The bench's database is made fast, but it must stay the same database:
 * the same rows (counts per table, per status, per type, per action, events
 * per request, and their contents, digested), at a fixed `now`, as the
 * seeding gave before it was made faster; and a record the product's own
 * checks accept. The pinned figures were taken from the seeding as it was
 * before (its salts are random, so what they feed is left out of the
 * digests: the check of the chain covers it).
 */
const NOW = Date.UTC(2026, 5, 1, 12);

type Expected = {
  rows: { requests: number; events: number; supporters: number; supporterRecords: number };
  tables: Record<string, number>;
  statuses: Record<string, number>;
  types: Record<string, number>;
  actions: Record<string, number>;
  eventsPerRequest: Record<number, number>;
  digests: { requests: string; events: string; supporters: string };
};

const CASES: Array<[string, SeedSize, Expected]> = [
  [
    "2,000 requests and 200 supporters",
    { requests: 2000, supporters: 200, drafts: 3 },
    {
      rows: { requests: 2000, events: 8141, supporters: 201, supporterRecords: 3784 },
      tables: {
        requests: 2000, request_events: 8141, supporters: 201, donations: 1250, memberships: 84, subscriptions: 444, petition_signatures: 1012,
        correspondence: 287, web_visits: 707, request_drafts: 3, sessions: 5, users: 5, staff: 8, api_keys: 1, report_months: 61, report_close_times: 4761,
      },
      statuses: { approved: 3, awaiting_supporter: 3, canceled: 151, completed: 1693, denied: 135, in_review: 12, received: 3 },
      types: { access: 716, concern: 150, correction: 218, erasure: 545, unsubscribe: 371 },
      actions: { approved: 1696, canceled: 151, completed: 1693, denied: 135, extended: 103, filed: 2000, question: 260, reply: 229, review_started: 1874 },
      eventsPerRequest: { 1: 3, 2: 134, 3: 118, 4: 1440, 5: 95, 6: 189, 7: 21 },
      digests: { requests: "b54e7d98645186d9", events: "325755699a572439", supporters: "1ab807b2338dacf0" },
    },
  ],
  [
    "500 requests and more supporters than requests",
    { requests: 500, supporters: 1000, drafts: 0 },
    {
      rows: { requests: 500, events: 2020, supporters: 1001, supporterRecords: 10539 },
      tables: {
        requests: 500, request_events: 2020, supporters: 1001, donations: 3262, memberships: 338, subscriptions: 2016, petition_signatures: 2593,
        correspondence: 445, web_visits: 1885, request_drafts: 0, sessions: 2, users: 2, staff: 8, api_keys: 1, report_months: 60, report_close_times: 1290,
      },
      statuses: { approved: 1, awaiting_supporter: 1, canceled: 45, completed: 419, denied: 30, in_review: 3, received: 1 },
      types: { access: 188, concern: 41, correction: 51, erasure: 140, unsubscribe: 80 },
      actions: { approved: 420, canceled: 45, completed: 419, denied: 30, extended: 33, filed: 500, question: 60, reply: 52, review_started: 461 },
      eventsPerRequest: { 1: 1, 2: 40, 3: 22, 4: 363, 5: 31, 6: 35, 7: 8 },
      digests: { requests: "7312f93f61655fae", events: "39b7f12305a1455a", supporters: "02e6100d62c7015f" },
    },
  ],
];

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function grouped(sqlite: Database.Database, sql: string): Record<string, number> {
  return Object.fromEntries(sqlite.prepare(sql).raw().all() as Array<[string, number]>);
}

function digest(sqlite: Database.Database, sql: string): string {
  const hash = createHash("sha256");
  for (const row of sqlite.prepare(sql).raw().iterate()) hash.update(JSON.stringify(row));
  return hash.digest("hex").slice(0, 16);
}

const SCHEMA_SQL = "select type, name, tbl_name, sql from sqlite_master where type in ('table', 'index', 'trigger') order by type, name";

function schemaOf(sqlite: Database.Database): unknown[] {
  return sqlite.prepare(SCHEMA_SQL).all();
}

/** The schema of a fresh install, migrated and empty. */
function migratedSchema(): unknown[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-seed-empty-"));
  dirs.push(dir);
  const db = openDatabase(path.join(dir, "empty.db"));
  try {
    migrateDatabase(db);
    return schemaOf(db.$client);
  } finally {
    db.$client.close();
  }
}

describe("the bench's seeded database", () => {
  it.each(CASES)("%s: the same rows as ever, and a record that verifies", (_what, size, expected) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-seed-"));
    dirs.push(dir);
    const file = path.join(dir, "bench.db");
    const world = seedBenchDatabase(file, size, NOW);
    expect(world.rows).toEqual(expected.rows);
    expect(world.drafts).toHaveLength(size.drafts);
    expect(world.bigSupporterId).toBe(size.supporters + 1);

    const db = openDatabaseReadOnly(file);
    try {
      const sqlite = db.$client;
      const tables = Object.fromEntries(
        Object.keys(expected.tables).map((table) => [table, (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n]),
      );
      expect(tables).toEqual(expected.tables);
      expect(grouped(sqlite, "select status, count(*) from requests group by 1")).toEqual(expected.statuses);
      // The counts the triggers keep (off while loading) start from the rows as loaded.
      expect(grouped(sqlite, "select status, count from request_status_counts where count > 0")).toEqual(expected.statuses);
      expect(grouped(sqlite, "select type, count(*) from requests group by 1")).toEqual(expected.types);
      expect(grouped(sqlite, "select action, count(*) from request_events group by 1")).toEqual(expected.actions);
      expect(grouped(sqlite, "select n, count(*) from (select count(*) as n from request_events group by request_id) group by n")).toEqual(
        Object.fromEntries(Object.entries(expected.eventsPerRequest)),
      );
      expect({
        requests: digest(sqlite, `select id, reference, type, status, subject_email, subject_name, details, received_at, due_on, extended_at,
          clock_stopped_on, days_clock_stopped, assignee_email, closed_at, version, updated_at from requests order by id`),
        events: digest(sqlite, `select id, request_id, at, actor_email, action, from_status, to_status, note, status_after, due_on_after,
          assignee_after, identity_hash is not null from request_events order by id`),
        supporters: digest(sqlite, `select s.id, s.email, s.postal_address, s.created_at,
          (select group_concat(amount_minor || donated_on) from donations d where d.supporter_id = s.id),
          (select group_concat(list || coalesce(unsubscribed_at, '')) from subscriptions l where l.supporter_id = s.id) from supporters s order by s.id`),
      }).toEqual(expected.digests);
      // The indexes and triggers dropped for the load are all back, as the migration made them.
      expect(schemaOf(sqlite)).toEqual(migratedSchema());
      expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(sqlite.prepare("pragma integrity_check").pluck().all()).toEqual(["ok"]);

      // The product's own checks: the chain links and hashes, and every request is what its events say.
      const chain = verifyEventChain(db);
      expect(chain.problem).toBeNull();
      expect(chain.events).toBe(expected.rows.events);
      const states = verifyRequestStates(db);
      expect(states.problem).toBeNull();
      expect(states.disagreeing).toBe(0);
      expect(states.identityUnrecorded).toBe(0);
    } finally {
      db.$client.close();
    }
  });
});
