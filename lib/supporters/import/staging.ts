/**
 * Where an import keeps what it has checked, between checking a file and
 * writing it: a scratch SQLite file of its own, in the system's temporary
 * folder, deleted when the import ends. Each checked record is kept in a
 * table of its kind, a column for each field, each value as the portal
 * stores it (times as milliseconds, amounts in minor units), with what the
 * write needs worked out while checking (a supporter's suppression hash):
 * the write reads it by SQL, attached to the portal's connection, and
 * writes the common case (a record new to the portal) in one statement per
 * kind (./import-records.ts). Rows with a problem keep only their kind, id
 * and supporter reference, so an id used twice, or a supporter named by no
 * row, is found however large the file. No part of a large file has to stay
 * in memory. It is not the portal's database: nothing in it is a record
 * until the import writes it there.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { getTableColumns } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { correspondence, donations, memberships, petitionSignatures, subscriptions, supporters, webVisits } from "@/db/schema";
import { inRawTransaction } from "@/db/transaction";
import { processIsAlive } from "@/lib/process/owner";
import { suppressionHash } from "../suppression";
import { RECORD_KINDS, type RecordKind } from "./layout";
import type { ImportRecord } from "./parse-rows";

/** One field of a kept record: the record's name for it, its column in the scratch file, and whether it is a time (kept as milliseconds). */
export type KeptColumn = { field: string; column: string; time?: true };

/** The portal's table of each kind of record. */
export const PORTAL_TABLES = {
  supporter: supporters,
  donation: donations,
  membership: memberships,
  subscription: subscriptions,
  petition_signature: petitionSignatures,
  correspondence,
  web_visit: webVisits,
} as const satisfies Record<RecordKind, SQLiteTable>;

/** Each kind's fields as a record holds them (the supporter reference first, for the kinds a supporter owns). */
const FIELDS: Record<RecordKind, readonly string[]> = {
  supporter: ["externalId", "email", "name", "postalAddress", "phone"],
  donation: ["externalId", "supporterExternalId", "amountMinor", "currency", "donatedOn", "method", "cardLast4"],
  membership: ["externalId", "supporterExternalId", "plan", "startedOn", "endsOn", "status"],
  subscription: ["externalId", "supporterExternalId", "list", "subscribedAt", "unsubscribedAt"],
  petition_signature: ["externalId", "supporterExternalId", "petition", "signedAt", "comment"],
  correspondence: ["externalId", "supporterExternalId", "at", "direction", "channel", "subject", "body"],
  web_visit: ["externalId", "supporterExternalId", "at", "ipAddress", "userAgent", "page", "referrer"],
};

/** The supporter reference's column: the portal stores the supporter's id instead. */
const REF: KeptColumn = { field: "supporterExternalId", column: "supporter_external_id" };

/**
 * Each kind's fields in the scratch file. Every column but the supporter
 * reference is named, and known to be a time or not, by the portal's own
 * column for the field (db/schema.ts), so the write names each once.
 */
export const KEPT_COLUMNS = Object.fromEntries(
  RECORD_KINDS.map((kind) => {
    const columns = getTableColumns(PORTAL_TABLES[kind]) as Record<string, SQLiteColumn>;
    return [
      kind,
      FIELDS[kind].map((field): KeptColumn => {
        if (field === REF.field) return REF;
        const column = columns[field];
        if (!column) throw new Error(`The import keeps ${kind}.${field}, which the portal's table has no column for.`);
        return column.columnType === "SQLiteTimestamp" ? { field, column: column.name, time: true } : { field, column: column.name };
      }),
    ];
  }),
) as unknown as Record<RecordKind, readonly KeptColumn[]>;

/** The scratch file's table of one kind's checked records (the supporters' also holds their rows with problems, unchecked). */
export function keptTable(kind: RecordKind): string {
  return `${kind}_rows`;
}

/** The kinds a supporter owns. */
export const OWNED_KINDS = RECORD_KINDS.filter((k): k is Exclude<RecordKind, "supporter"> => k !== "supporter");

/** Adds a record's values to `values`, in the order of its kind's columns, times as milliseconds. */
function pushKeptValues(values: unknown[], record: ImportRecord): void {
  const fields = record as unknown as Record<string, unknown>;
  const columns = KEPT_COLUMNS[record.kind];
  for (let i = 0; i < columns.length; i++) {
    const value = fields[columns[i]!.field];
    values.push(value instanceof Date ? value.getTime() : value);
  }
}

/** Checked records are kept this many to an insert statement (one statement run for each row cost a third more). */
const ROWS_PER_INSERT = 100;

/** The record kept in the scratch file as `row` (its columns by name). */
export function keptRecord(kind: RecordKind, row: Record<string, unknown>): ImportRecord {
  const record: Record<string, unknown> = { kind };
  for (const { field, column, time } of KEPT_COLUMNS[kind]) {
    const value = row[column];
    record[field] = time && value !== null ? new Date(value as number) : value;
  }
  return record as unknown as ImportRecord;
}

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

/**
 * The rows among `ids` (a query of line, kind and external_id) whose kind
 * and id an earlier row of theirs used, with the line that used it first.
 */
function reusedAmong(ids: string): string {
  return `select * from (with ids as (${ids}),
      firsts as (select kind, external_id, min(line) as first from ids group by kind, external_id having count(*) > 1)
    select i.line, i.kind, i.external_id as externalId, f.first from ids i join firsts f on f.kind = i.kind and f.external_id = i.external_id where i.line > f.first)`;
}

/**
 * The searches for rows whose (kind, external id) an earlier row used, with
 * the line that used it first: one for each kind's ids (its table's rows and
 * its rows with problems), then one for the kinds the layout does not have.
 * Grouping all the ids of the file together cost two and a half times as
 * long; and run as one statement, the searches' sorts and grouped ids were
 * all held at once (about 55 MB more of the import's memory for a million
 * rows, at the highest point of the whole import), where one at a time each
 * lets go of its own before the next.
 */
const REUSED_IDS = [
  ...RECORD_KINDS.map((k) =>
    reusedAmong(
      `select line, '${k}' as kind, external_id from ${keptTable(k)} where external_id is not null
       union all select line, kind, external_id from rows where kind = '${k}' and external_id is not null`,
    ),
  ),
  reusedAmong(`select line, kind, external_id from rows where external_id is not null and kind not in (${RECORD_KINDS.map((k) => `'${k}'`).join(", ")})`),
].map((search) => `${search} order by line`);

/** Every row's supporter reference (checked or not). */
const ALL_REFS = [
  ...OWNED_KINDS.map((k) => `select line, supporter_external_id as ref from ${keptTable(k)}`),
  "select line, ref from rows where ref is not null",
].join(" union all ");

export class Staging {
  private readonly dir: string;
  /** The scratch file, which the write attaches to the portal's connection. */
  readonly file: string;
  private readonly sqlite: Database.Database;
  private readonly addUnchecked: Database.Statement;
  private readonly addUncheckedSupporter: Database.Statement;
  private readonly addKept: Record<RecordKind, Database.Statement>;
  /** Each kind's insert of ROWS_PER_INSERT rows at once, and how many values a row of it has. */
  private readonly addManyKept: Record<RecordKind, { statement: Database.Statement; width: number }>;
  /** Each kind's checked records not inserted yet (fewer than ROWS_PER_INSERT): their values, row after row. */
  private readonly pending: Record<RecordKind, unknown[]>;
  /** Checked records kept, ready to write. */
  records = 0;

  /**
   * A new scratch file in `root` (the system's temporary folder), after
   * deleting any a killed import left there. `secret` is the installation's,
   * which keys the suppression hash kept with each supporter.
   */
  constructor(
    private readonly secret: string,
    root = os.tmpdir(),
  ) {
    sweepLeftScratch(root);
    this.dir = fs.mkdtempSync(path.join(root, `${PREFIX}${process.pid}-`));
    this.file = path.join(this.dir, "staging.db");
    this.sqlite = new Database(this.file);
    // A scratch file thrown away when the import ends: nothing here is worth an fsync or a journal.
    this.sqlite.pragma("journal_mode = OFF");
    this.sqlite.pragma("synchronous = OFF");
    this.sqlite.pragma("cache_size = -16000");
    // Each row is one insert, in the file's order (its line is the key, so each goes at the end of its table); the
    // index that finds supporters by id is built once every row is in (see findKeys), which costs far less than keeping
    // it up to date a row at a time.
    const columns = (kind: RecordKind) => KEPT_COLUMNS[kind].map((c) => c.column);
    this.sqlite.exec(`
      create table supporter_rows (line integer primary key, external_id text, checked integer not null, ${columns("supporter").slice(1).join(", ")}, suppression_hash text);
      ${OWNED_KINDS.map((k) => `create table ${keptTable(k)} (line integer primary key, ${columns(k).join(", ")});`).join("\n")}
      create table rows (line integer primary key, kind text not null, external_id text, ref text);
    `);
    const insert = (table: string, names: string[], rows = 1) => {
      const row = `(${names.map(() => "?").join(", ")})`;
      return this.sqlite.prepare(`insert into ${table} (${names.join(", ")}) values ${Array.from({ length: rows }, () => row).join(", ")}`);
    };
    this.addUnchecked = insert("rows", ["line", "kind", "external_id", "ref"]);
    this.addUncheckedSupporter = insert("supporter_rows", ["line", "external_id", "checked"]);
    const kept = (k: RecordKind): [string, string[]] =>
      k === "supporter" ? ["supporter_rows", ["line", ...columns(k), "suppression_hash", "checked"]] : [keptTable(k), ["line", ...columns(k)]];
    this.addKept = Object.fromEntries(RECORD_KINDS.map((k) => [k, insert(...kept(k))])) as Record<RecordKind, Database.Statement>;
    this.addManyKept = Object.fromEntries(
      RECORD_KINDS.map((k) => {
        const [table, names] = kept(k);
        return [k, { statement: insert(table, names, ROWS_PER_INSERT), width: names.length }];
      }),
    ) as Record<RecordKind, { statement: Database.Statement; width: number }>;
    this.pending = Object.fromEntries(RECORD_KINDS.map((k) => [k, []])) as unknown as Record<RecordKind, unknown[]>;
  }

  /** Runs `fn` in one transaction of the scratch file (a batch of rows at a time); every row it adds is in the file when it returns. */
  batch<T>(fn: () => T): T {
    try {
      return inRawTransaction(this.sqlite, () => {
        const result = fn();
        this.insertPending();
        return result;
      });
    } catch (error) {
      // Rolled back: the records still waiting were the batch's, and are not to go in with the next.
      for (const kind of RECORD_KINDS) this.pending[kind].length = 0;
      throw error;
    }
  }

  /** Inserts the checked records still waiting for ROWS_PER_INSERT of their kind, a row at a time. */
  private insertPending(): void {
    for (const kind of RECORD_KINDS) {
      const values = this.pending[kind];
      if (values.length === 0) continue;
      const { width } = this.addManyKept[kind];
      for (let at = 0; at < values.length; at += width) this.addKept[kind].run(values.slice(at, at + width));
      values.length = 0;
    }
  }

  /**
   * Keeps a row: its kind and external id (when it has one), its supporter
   * reference (for rows a supporter owns) and, when it passed every check,
   * its record. `kind` is as the file has it, trimmed and in lower case,
   * known or not: an id used twice is found among the rows of the same kind.
   */
  addRow(line: number, kind: string, externalId: string | null, ref: string | null, record: ImportRecord | null): void {
    if (record === null) {
      if (kind === "supporter") this.addUncheckedSupporter.run(line, externalId, 0);
      else this.addUnchecked.run(line, kind, externalId, ref);
      return;
    }
    // Kept ROWS_PER_INSERT of a kind to a statement: the rows of a kind go in in the file's order all the same.
    const values = this.pending[record.kind];
    values.push(line);
    pushKeptValues(values, record);
    if (record.kind === "supporter") values.push(suppressionHash(record.email, this.secret), 1);
    const many = this.addManyKept[record.kind];
    if (values.length === many.width * ROWS_PER_INSERT) {
      many.statement.run(...values);
      values.length = 0;
    }
    this.records++;
  }

  private keysFound = false;

  /** Builds the index of supporters' external ids, once every row is kept. */
  private findKeys(): void {
    if (this.keysFound) return;
    this.batch(() => undefined);
    this.sqlite.exec("create index supporter_ids on supporter_rows (external_id) where external_id is not null");
    this.keysFound = true;
  }

  /**
   * Every row whose (kind, external id) an earlier row used already, with
   * the line that used it first: kind by kind, each kind's in the file's
   * order. Call once every row is kept.
   */
  *reusedIds(): Generator<{ line: number; kind: string; externalId: string; first: number }> {
    this.findKeys();
    for (const search of REUSED_IDS) {
      yield* this.sqlite.prepare(search).iterate() as IterableIterator<{ line: number; kind: string; externalId: string; first: number }>;
    }
  }

  /** The rows whose supporter reference names no supporter row of the file, in the file's order; call once every row is kept. */
  *refsNotInFile(): Generator<{ line: number; ref: string }> {
    this.findKeys();
    const unknown = this.sqlite.prepare(
      `select line, ref from (${ALL_REFS}) r where not exists (select 1 from supporter_rows s where s.external_id = r.ref) order by line`,
    );
    yield* unknown.iterate() as IterableIterator<{ line: number; ref: string }>;
  }

  /**
   * Makes the file ready for the write to read (its index of supporters
   * built); call once every row is kept. The write reads it through the
   * portal's connection, so this connection's page cache is let go first,
   * for the write's larger one to take its place in the process's memory.
   */
  ready(): void {
    this.findKeys();
    this.sqlite.pragma("shrink_memory");
  }

  /** Deletes the scratch file. */
  close(): void {
    if (this.sqlite.open) this.sqlite.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
