/**
 * The bench's database: a fresh file, migrated like any install, then
 * loaded with a million requests and 100,000 supporters, and the people the
 * bench signs in as.
 */
import type Database from "better-sqlite3";
import { openDatabase } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { REPORT_BACKFILL } from "@/lib/reports/report-tables";
import { loadedPragmas, loadingPragmas, withoutIndexesAndTriggers } from "./bulk-load";
import { seedRequests } from "./seed-requests";
import { seedSupporters } from "./seed-supporters";
import { seedApiKey, seedPendingDrafts, seedStaff, seedSupporterViewer, type OwnRequest, type PendingDraft, type SignedIn } from "./seed-viewers";

const LOADED_TABLES = ["requests", "request_events", "supporters", "donations", "memberships", "subscriptions", "petition_signatures", "correspondence", "web_visits"];

export type SeedSize = { requests: number; supporters: number; drafts: number };

export type BenchWorld = {
  staff: SignedIn;
  supporter: OwnRequest;
  drafts: PendingDraft[];
  /** An API key with the read_requests scope. */
  apiKey: string;
  bigSupporterId: number;
  rows: { requests: number; events: number; supporters: number; supporterRecords: number };
};

/** The triggers were off while loading, so the counts they keep start from the rows as loaded. */
function recountStatuses(sqlite: Database.Database): void {
  sqlite.exec("delete from request_status_counts");
  sqlite.exec("insert into request_status_counts (status, count) select status, count(*) from requests group by status");
}

/** The same for the reports' tables: the migration's own backfill, in the time zone it left them in (UTC, the bench server's). */
function refillReportTables(sqlite: Database.Database): void {
  for (const statement of REPORT_BACKFILL) sqlite.exec(statement);
}

export function seedBenchDatabase(file: string, size: SeedSize, now: number): BenchWorld {
  const db = openDatabase(file);
  try {
    migrateDatabase(db);
    const sqlite = db.$client;
    loadingPragmas(sqlite);
    let loaded: Pick<BenchWorld, "rows" | "bigSupporterId"> | undefined;
    withoutIndexesAndTriggers(sqlite, LOADED_TABLES, () => {
      const requests = seedRequests(sqlite, { count: size.requests, now, supporters: size.supporters });
      const supporters = seedSupporters(sqlite, { count: size.supporters, now });
      refillReportTables(sqlite);
      loaded = {
        rows: { requests: requests.requests, events: requests.events, supporters: supporters.supporters, supporterRecords: supporters.records },
        bigSupporterId: supporters.bigSupporterId,
      };
    });
    // Once the indexes are back: counted from the status index, not by reading every row.
    recountStatuses(sqlite);
    loadedPragmas(sqlite);
    const world: BenchWorld = {
      ...loaded!,
      staff: seedStaff(sqlite, now),
      supporter: seedSupporterViewer(sqlite, now),
      drafts: seedPendingDrafts(sqlite, { count: size.drafts, now }),
      apiKey: seedApiKey(sqlite, now),
    };
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    return world;
  } finally {
    db.$client.close();
  }
}
