/**
 * Where an import keeps what it has checked, between checking a file and
 * writing it: a scratch SQLite file of its own, in the system's temporary
 * folder, deleted when the import ends. It holds each row's kind, external
 * id and supporter reference, and its record once checked (so an id used
 * twice, or a supporter named by no row, is found however large the file),
 * so no part of a large file has to stay in memory. It is not the portal's
 * database: nothing in it is a record until the import writes it there.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { inRawTransaction } from "@/db/transaction";
import { processIsAlive } from "@/lib/process/owner";
import type { RecordKind } from "./layout";
import type { ImportRecord } from "./parse-rows";

/**
 * Each kind's fields in a fixed order: a record is kept as a JSON array of
 * its values, times as milliseconds, which costs less to write and to read
 * back than an object naming every field (a large file keeps a million).
 */
const FIELDS: Record<RecordKind, readonly string[]> = {
  supporter: ["externalId", "email", "name", "postalAddress", "phone"],
  donation: ["externalId", "supporterExternalId", "amountMinor", "currency", "donatedOn", "method", "cardLast4"],
  membership: ["externalId", "supporterExternalId", "plan", "startedOn", "endsOn", "status"],
  subscription: ["externalId", "supporterExternalId", "list", "subscribedAt", "unsubscribedAt"],
  petition_signature: ["externalId", "supporterExternalId", "petition", "signedAt", "comment"],
  correspondence: ["externalId", "supporterExternalId", "at", "direction", "channel", "subject", "body"],
  web_visit: ["externalId", "supporterExternalId", "at", "ipAddress", "userAgent", "page", "referrer"],
};

/** The fields of each kind that are times. */
const TIME_FIELDS: Partial<Record<RecordKind, ReadonlySet<string>>> = {
  subscription: new Set(["subscribedAt", "unsubscribedAt"]),
  petition_signature: new Set(["signedAt"]),
  correspondence: new Set(["at"]),
  web_visit: new Set(["at"]),
};

/** A record as the text kept for it. */
export function keptText(record: ImportRecord): string {
  const values = record as unknown as Record<string, unknown>;
  return JSON.stringify(FIELDS[record.kind].map((field) => {
    const value = values[field];
    return value instanceof Date ? value.getTime() : value;
  }));
}

/** The record kept as `text`. */
export function revive(kind: RecordKind, text: string): ImportRecord {
  const values = JSON.parse(text) as unknown[];
  const times = TIME_FIELDS[kind];
  const record: Record<string, unknown> = { kind };
  const fields = FIELDS[kind];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const value = values[i];
    record[field] = times?.has(field) && value !== null ? new Date(value as number) : value;
  }
  return record as unknown as ImportRecord;
}

export type StagedEntry = { line: number; record: ImportRecord };

/** The scratch folders' names: the import process's id, so a folder left by one that was killed can be told apart. */
const PREFIX = "rightsdesk-import-";
const OWNED = new RegExp(`^${PREFIX}(\\d+)-`);


/** Deletes the scratch folders under `root` of import processes that are gone (killed before they could delete their own). */
export function sweepLeftScratch(root: string): number {
  let swept = 0;
  for (const name of fs.readdirSync(root)) {
    const pid = Number(OWNED.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || processIsAlive(pid)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
    swept++;
  }
  return swept;
}

export class Staging {
  private readonly dir: string;
  private readonly sqlite: Database.Database;
  private readonly statements: { addRow: Database.Statement; addSupporter: Database.Statement };
  /** Checked records kept, ready to write. */
  records = 0;

  /** A new scratch file in `root` (the system's temporary folder), after deleting any a killed import left there. */
  constructor(root = os.tmpdir()) {
    sweepLeftScratch(root);
    this.dir = fs.mkdtempSync(path.join(root, `${PREFIX}${process.pid}-`));
    this.sqlite = new Database(path.join(this.dir, "staging.db"));
    // A scratch file thrown away when the import ends: nothing here is worth an fsync or a journal.
    this.sqlite.pragma("journal_mode = OFF");
    this.sqlite.pragma("synchronous = OFF");
    this.sqlite.pragma("cache_size = -16000");
    // Each row is one insert, in the file's order (its line is the key, so each goes at the end of its table); the
    // indexes that find an id used twice, and supporters by id, are built once every row is in (see findKeys), which
    // costs far less than keeping them up to date a row at a time.
    this.sqlite.exec(`
      create table supporter_rows (line integer primary key, external_id text, record text);
      create table rows (line integer primary key, kind text not null, external_id text, ref text, record text);
    `);
    this.statements = {
      addRow: this.sqlite.prepare("insert into rows (line, kind, external_id, ref, record) values (?, ?, ?, ?, ?)"),
      // Supporters' rows apart, so writing them first reads only them.
      addSupporter: this.sqlite.prepare("insert into supporter_rows (line, external_id, record) values (?, ?, ?)"),
    };
  }

  /** Runs `fn` in one transaction of the scratch file (a batch of rows at a time). */
  batch<T>(fn: () => T): T {
    return inRawTransaction(this.sqlite, fn);
  }

  /**
   * Keeps a row: its kind and external id (when it has one), its supporter
   * reference (for rows a supporter owns) and, when it passed every check,
   * its record. `kind` is as the file has it, trimmed and in lower case,
   * known or not: an id used twice is found among the rows of the same kind.
   */
  addRow(line: number, kind: string, externalId: string | null, ref: string | null, record: ImportRecord | null): void {
    const kept = record === null ? null : keptText(record);
    if (kind === "supporter") this.statements.addSupporter.run(line, externalId, kept);
    else this.statements.addRow.run(line, kind, externalId, ref, kept);
    if (record !== null) this.records++;
  }

  private keysFound = false;

  /** Builds the indexes of external ids, once every row is kept. */
  private findKeys(): void {
    if (this.keysFound) return;
    this.sqlite.exec(`
      create index supporter_ids on supporter_rows (external_id, line) where external_id is not null;
      create index row_ids on rows (kind, external_id, line) where external_id is not null;
    `);
    this.keysFound = true;
  }

  /** Every row whose (kind, external id) an earlier row used already, with the line that used it first; call once every row is kept. */
  *reusedIds(): Generator<{ line: number; kind: string; externalId: string; first: number }> {
    this.findKeys();
    const reused = this.sqlite.prepare(`
      with firsts as (
        select 'supporter' as kind, external_id, min(line) as first from supporter_rows where external_id is not null group by external_id having count(*) > 1
        union all
        select kind, external_id, min(line) as first from rows where external_id is not null group by kind, external_id having count(*) > 1
      )
      select r.line, r.kind, r.external_id as externalId, f.first
        from (select line, 'supporter' as kind, external_id from supporter_rows union all select line, kind, external_id from rows) r
        join firsts f on f.kind = r.kind and f.external_id = r.external_id
       where r.line > f.first
       order by r.line`);
    yield* reused.iterate() as IterableIterator<{ line: number; kind: string; externalId: string; first: number }>;
  }

  /** The rows whose supporter reference names no supporter row of the file, in the file's order; call once every row is kept. */
  *refsNotInFile(): Generator<{ line: number; ref: string }> {
    this.findKeys();
    const unknown = this.sqlite.prepare(
      "select line, ref from rows where ref is not null and not exists (select 1 from supporter_rows s where s.external_id = rows.ref) order by line",
    );
    yield* unknown.iterate() as IterableIterator<{ line: number; ref: string }>;
  }

  /** Every checked record, supporters first, each kind in the file's order. */
  *entries(): Generator<StagedEntry> {
    // Supporters first, so the other rows can refer to supporters anywhere in the file; then in the file's order.
    const supporters = this.sqlite.prepare("select line, 'supporter' as kind, record from supporter_rows where record is not null order by line");
    const others = this.sqlite.prepare("select line, kind, record from rows where record is not null order by line");
    for (const statement of [supporters, others]) {
      for (const row of statement.iterate() as IterableIterator<{ line: number; kind: string; record: string }>) {
        yield { line: row.line, record: revive(row.kind as RecordKind, row.record) };
      }
    }
  }

  /** Deletes the scratch file. */
  close(): void {
    if (this.sqlite.open) this.sqlite.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
