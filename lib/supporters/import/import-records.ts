/**
 * Writing checked records: in one transaction, so a file goes in whole or not
 * at all; each record is matched to what is already stored by its external
 * id, so the same file imported twice changes nothing the second time. A
 * field a supporter had corrected keeps its corrected value while the file
 * still holds the value from before the correction.
 */
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { correspondence, donations, memberships, petitionSignatures, subscriptions, supporters, webVisits, type SupporterCorrection } from "@/db/schema";
import { formatCalendarDate } from "@/lib/calendar/format";
import { calendarDateIn } from "@/lib/calendar/dates";
import { inTransaction } from "@/db/transaction";
import { suppressionHash } from "../suppression";
import { importedSubscriptionChoice } from "@/lib/consent/imported";
import { noteLists } from "@/lib/consent/lists";
import { importStatements, type ImportStatements, type InsertNew } from "./import-statements";
import type { ImportRecord, RowProblem, SupporterRecord } from "./parse-rows";

export type ImportOutcome = "created" | "updated" | "unchanged" | "skipped";
export type OutcomeCounts = Record<ImportOutcome, number>;

/** How many lines a report has of each kind, before it kept only the first REPORT_LINES_KEPT of each. */
export type ReportTotals = { problems: number; skipped: number; kept: number; choicesKept: number };

export type ImportReport =
  | {
      ok: true;
      rows: number;
      counts: OutcomeCounts;
      /** Rows not imported, each with why (the first REPORT_LINES_KEPT by line). */
      skipped: RowProblem[];
      /** Fields left as a supporter corrected them, each with when and by which request (the first REPORT_LINES_KEPT). */
      kept: RowProblem[];
      /** Subscriptions left as the person chose (kept off a list they left, or on one they chose again), not as the file has them (the first REPORT_LINES_KEPT). */
      choicesKept: RowProblem[];
      totals: ReportTotals;
    }
  | {
      ok: false;
      /** Every problem of every row, in the order of the file: the first REPORT_LINES_KEPT of them. */
      problems: RowProblem[];
      totals: ReportTotals;
    };

/**
 * Lines a report keeps of each kind. A file of a million rows can have a
 * problem on every row; kept whole, the lines alone outgrow the import's
 * memory. The rest are counted (`totals`), and a person fixes the first
 * ones and tries again.
 */
export const REPORT_LINES_KEPT = 500;

const byLine = (a: RowProblem, b: RowProblem) => a.line - b.line;

/**
 * A report's lines of one kind, however many are added: the first `limit`
 * by line kept in line order (a row's own lines in the order they were
 * added), and all of them counted.
 */
export class ReportLines {
  private lines: RowProblem[] = [];
  total = 0;

  constructor(private readonly limit = REPORT_LINES_KEPT) {}

  add(line: RowProblem): void {
    this.total++;
    this.lines.push(line);
    // Sorted and cut now and then, not at each line: what is cut is later in the file than every line kept.
    if (this.lines.length >= this.limit * 2) this.cut();
  }

  /** Lines held now: never more than twice the limit, however many were added. */
  get held(): number {
    return this.lines.length;
  }

  private cut(): void {
    this.lines.sort(byLine);
    if (this.lines.length > this.limit) this.lines.length = this.limit;
  }

  /** The lines kept, in line order. */
  first(): RowProblem[] {
    this.cut();
    return this.lines;
  }
}

/** A refused import's report: the first of its problems, and how many there were. */
export function refusedReport(problems: ReportLines): Extract<ImportReport, { ok: false }> {
  return { ok: false, problems: problems.first(), totals: { problems: problems.total, skipped: 0, kept: 0, choicesKept: 0 } };
}

export type ImportProgress = { phase: "checking" | "writing"; done: number; total: number };

export type ImportOptions = {
  /** Recorded on new supporters as where they came from, e.g. the file's name; supporters see it. */
  source: string;
  /** The installation's secret, which keys the suppression list. */
  secret: string;
  now: Date;
  /** The organisation's time zone, for the dates in the report; UTC when absent. */
  timeZone?: string;
  /** Called every PROGRESS_EVERY records and after the last. */
  onProgress?: (progress: ImportProgress) => void;
  /** Runs in the import's own transaction once every record is written, so what it records commits with them or not at all. */
  onWritten?: (tx: Tx, report: Extract<ImportReport, { ok: true }>) => void;
};

const PROGRESS_EVERY = 1000;

export const SUPPRESSED_REASON = "skipped: this address asked to be erased, so it is not imported";
/** Why a record whose supporter_external_id names nobody is refused. */
export function unknownSupporterReason(supporterExternalId: string): string {
  return `supporter_external_id "${supporterExternalId}" matches no supporter in this file or already imported`;
}
const SUPPRESSED_OWNER_REASON = "skipped: its supporter's address asked to be erased, so it is not imported";

/** How an administrator changes a corrected value on purpose; said once under the kept lines. */
export const CHANGE_CORRECTED_VALUE =
  "A corrected value stays while the file holds the value from before the correction. To change it on purpose, change it at the source: a value in the file that differs from the one imported before the correction replaces it.";

const FIELD_WORDS: Record<string, string> = { name: "name", email: "email", postalAddress: "postal_address", phone: "phone" };

class Rollback extends Error {}

function emptyCounts(): OutcomeCounts {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0 };
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** Whether any of `wanted`'s values differ from `stored`. */
function differs(stored: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  return Object.keys(wanted).some((key) => !same(stored[key], wanted[key]));
}

type Entry = { line: number; record: ImportRecord };

type Writer = {
  tx: Tx;
  statements: ImportStatements;
  options: ImportOptions;
  supporterIds: Map<string, number>;
  suppressedSupporters: Set<string>;
  kept: ReportLines;
  choicesKept: ReportLines;
  /** Each supporter's address, by id, as written or read once. */
  emails: Map<number, string>;
  /** Every list a subscription row named. */
  lists: Set<string>;
};

/** Writes records held in memory (a small file, the demo's records): supporters first, then the others, each in line order. */
export function importRecords(db: Db, entries: readonly Entry[], options: ImportOptions): ImportReport {
  // Supporters first, so the other rows can refer to supporters anywhere in the file.
  const ordered = [...entries].sort((a, b) => Number(b.record.kind === "supporter") - Number(a.record.kind === "supporter") || a.line - b.line);
  return writeRecords(db, ordered, ordered.length, options);
}

/**
 * SQLite's page cache for the connection while an import writes, in KiB
 * (its default is 2 MB). Each record goes into several indexes (its external
 * id, its supporter, the consent history's), at places spread over each;
 * with the default cache, a million rows into a database that already holds
 * a million re-read the same pages from the file over and over. Measured on
 * such a database: the write took 12 % less with 32 MB, for 18 MB more
 * resident memory. The connection's own size is put back after.
 */
export const IMPORT_CACHE_KIB = 32 * 1024;

/**
 * Writes `total` records, read one at a time from `ordered` (supporters
 * first), in one transaction: all of them, or none when any clashes.
 */
export function writeRecords(db: Db, ordered: Iterable<Entry>, total: number, options: ImportOptions): ImportReport {
  const cacheSize = db.$client.pragma("cache_size", { simple: true }) as number;
  db.$client.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    return writeAll(db, ordered, total, options);
  } finally {
    db.$client.pragma(`cache_size = ${cacheSize}`);
  }
}

function writeAll(db: Db, ordered: Iterable<Entry>, total: number, options: ImportOptions): ImportReport {
  const counts = emptyCounts();
  const skipped = new ReportLines();
  const problems = new ReportLines();
  const statements = importStatements(db);
  let report: Extract<ImportReport, { ok: true }> | undefined;

  try {
    inTransaction(
      db,
      (tx) => {
        const writer: Writer = {
          tx,
          statements,
          options,
          supporterIds: new Map(),
          suppressedSupporters: new Set(),
          kept: new ReportLines(),
          choicesKept: new ReportLines(),
          emails: new Map(),
          lists: new Set(),
        };
        const supporterIdOf = (externalId: string): number | "suppressed" | null => {
          if (writer.suppressedSupporters.has(externalId)) return "suppressed";
          const known = writer.supporterIds.get(externalId);
          if (known !== undefined) return known;
          const row = statements.supporter.find.get({ externalId });
          if (row) writer.supporterIds.set(externalId, row.id);
          return row?.id ?? null;
        };

        let i = -1;
        for (const { line, record } of ordered) {
          i++;
          let outcome: ImportOutcome | RowProblem;
          if (record.kind === "supporter") {
            outcome = upsertSupporter(writer, record, line);
            if (outcome === "skipped") skipped.add({ line, reason: SUPPRESSED_REASON });
          } else {
            const owner = supporterIdOf(record.supporterExternalId);
            if (owner === "suppressed") {
              outcome = "skipped";
              skipped.add({ line, reason: SUPPRESSED_OWNER_REASON });
            } else if (owner === null) {
              outcome = { line, reason: unknownSupporterReason(record.supporterExternalId) };
            } else {
              outcome = upsertOwned(writer, record, owner, line);
              if (outcome === "skipped") skipped.add({ line, reason: "skipped: this donation was anonymised after an erasure and is kept as it is" });
            }
          }
          if (typeof outcome === "object") problems.add(outcome);
          else counts[outcome]++;
          if (options.onProgress && ((i + 1) % PROGRESS_EVERY === 0 || i + 1 === total)) {
            options.onProgress({ phase: "writing", done: i + 1, total });
          }
        }
        if (problems.total > 0) throw new Rollback();
        noteLists(tx, writer.lists, options.now);
        report = {
          ok: true,
          rows: total,
          counts,
          skipped: skipped.first(),
          kept: writer.kept.first(),
          choicesKept: writer.choicesKept.first(),
          totals: { problems: 0, skipped: skipped.total, kept: writer.kept.total, choicesKept: writer.choicesKept.total },
        };
        options.onWritten?.(tx, report);
      },
    );
  } catch (error) {
    if (error instanceof Rollback) return refusedReport(problems);
    throw error;
  }
  return report!;
}

function keptReason(field: string, correction: SupporterCorrection, timeZone: string): string {
  const day = formatCalendarDate(calendarDateIn(correction.correctedAt, timeZone));
  return `${FIELD_WORDS[field] ?? field} kept as corrected on ${day} by request ${correction.requestReference}`;
}

function upsertSupporter(writer: Writer, record: SupporterRecord, line: number): ImportOutcome {
  const { statements, options } = writer;
  if (statements.suppressed.get({ hash: suppressionHash(record.email, options.secret) })) {
    writer.suppressedSupporters.add(record.externalId);
    return "skipped";
  }
  const wanted: { email: string; name: string | null; postalAddress: string | null; phone: string | null } = {
    email: record.email,
    name: record.name,
    postalAddress: record.postalAddress,
    phone: record.phone,
  };
  const now = options.now.getTime();
  const createdId = statements.insertNew.supporter([record.externalId, wanted.email, wanted.name, wanted.postalAddress, wanted.phone, options.source, now, now]);
  if (createdId !== undefined) {
    writer.supporterIds.set(record.externalId, createdId);
    writer.emails.set(createdId, wanted.email);
    return "created";
  }
  const stored = statements.supporter.find.get({ externalId: record.externalId })!;
  writer.supporterIds.set(record.externalId, stored.id);
  for (const correction of statements.supporter.corrections.all({ supporterId: stored.id })) {
    const field = correction.field as keyof typeof wanted;
    if (!(field in wanted) || (field === "email" && correction.importedValue === null)) continue;
    if (same(wanted[field], correction.correctedValue)) {
      // The source now holds the corrected value too: nothing is left to protect.
      statements.supporter.dropCorrection.run({ id: correction.id });
    } else if (same(wanted[field], correction.importedValue)) {
      // The file still says what it said before the correction: the correction stands.
      Object.assign(wanted, { [field]: stored[field] });
      writer.kept.add({ line, reason: keptReason(field, correction, options.timeZone ?? "UTC") });
    } else {
      // A new value at the source is a deliberate change, and wins.
      statements.supporter.dropCorrection.run({ id: correction.id });
    }
  }
  writer.emails.set(stored.id, wanted.email);
  if (!differs(stored, wanted)) return "unchanged";
  writer.tx.update(supporters).set({ ...wanted, updatedAt: options.now }).where(eq(supporters.id, stored.id)).run();
  return "updated";
}

/** The tables of the records a supporter owns, each keyed by the source's external id. */
type OwnedTable = typeof donations | typeof memberships | typeof subscriptions | typeof petitionSignatures | typeof correspondence | typeof webVisits;

/** Updates a stored record where it differs from what the file wants. */
function updateIfChanged<T extends OwnedTable>(tx: Tx, table: T, stored: { id: number } & Record<string, unknown>, wanted: SQLiteUpdateSetSource<T> & Record<string, unknown>): ImportOutcome {
  if (!differs(stored, wanted)) return "unchanged";
  tx.update(table).set(wanted).where(eq(table.id, stored.id)).run();
  return "updated";
}

/**
 * The one insert-or-update of every record a supporter owns: inserted when
 * its external id is new (one statement, no lookup first), otherwise found
 * and updated only where the stored row differs.
 */
function upsertByExternalId<T extends OwnedTable>(
  tx: Tx,
  table: T,
  insertNew: InsertNew,
  /** The values for insertNew, in the order of its columns. */
  newValues: unknown[],
  /** The stored record's look-up by external id (a statement, not a closure made for each row). */
  find: { get(values: { externalId: string }): ({ id: number } & Record<string, unknown>) | undefined },
  externalId: string,
  wanted: SQLiteUpdateSetSource<T> & Record<string, unknown>,
): ImportOutcome {
  if (insertNew(newValues)) return "created";
  return updateIfChanged(tx, table, find.get({ externalId })!, wanted);
}

/** A supporter's address, as this import wrote it or as stored. */
function emailOf(writer: Writer, supporterId: number): string {
  let email = writer.emails.get(supporterId);
  if (email === undefined) {
    email = writer.statements.supporter.emailOf.get({ id: supporterId })?.email ?? "";
    writer.emails.set(supporterId, email);
  }
  return email;
}

/** Inserts or updates one record that belongs to a supporter; a problem when it clashes with another. */
function upsertOwned(writer: Writer, record: Exclude<ImportRecord, SupporterRecord>, supporterId: number, line: number): ImportOutcome | RowProblem {
  const { tx, statements } = writer;
  const { externalId } = record;
  const insertNew = statements.insertNew;
  switch (record.kind) {
    case "donation": {
      const { amountMinor, currency, donatedOn, method, cardLast4 } = record;
      if (insertNew.donation([externalId, supporterId, amountMinor, currency, donatedOn, method, cardLast4])) return "created";
      const stored = statements.donation.find.get({ externalId })!;
      if (stored.anonymisedAt) return "skipped";
      return updateIfChanged(tx, donations, stored, { supporterId, amountMinor, currency, donatedOn, method, cardLast4 });
    }
    case "membership": {
      const { plan, startedOn, endsOn, status } = record;
      const wanted = { supporterId, plan, startedOn, endsOn, status };
      return upsertByExternalId(tx, memberships, insertNew.membership, [externalId, supporterId, plan, startedOn, endsOn, status], statements.membership.find, externalId, wanted);
    }
    case "subscription": {
      const s = statements.subscription;
      // Looked up first, unlike the other kinds: what is stored for the row is part of the decision about the person's choice.
      const stored = s.find.get({ externalId });
      const clash = s.clash.get({ supporterId, list: record.list, externalId });
      if (clash) {
        return { line, reason: `this supporter is already on the list "${record.list}" under external_id "${clash.externalId}"` };
      }
      writer.lists.add(record.list);
      // Someone who left a list stays off it: an import never quietly signs them up again (see lib/consent/decision.ts).
      const choice = importedSubscriptionChoice(tx, {
        email: emailOf(writer, supporterId),
        list: record.list,
        row: { subscribedAt: record.subscribedAt, unsubscribedAt: record.unsubscribedAt },
        stored: stored ? { unsubscribedAt: stored.unsubscribedAt } : null,
        file: writer.options.source,
        now: writer.options.now,
        timeZone: writer.options.timeZone ?? "UTC",
      });
      if (choice.kept) writer.choicesKept.add({ line, reason: choice.kept });
      const unsubscribedAt = choice.unsubscribedAt;
      const wanted = { supporterId, list: record.list, subscribedAt: record.subscribedAt, unsubscribedAt };
      if (stored) return updateIfChanged(tx, subscriptions, stored, wanted);
      insertNew.subscription([externalId, supporterId, record.list, record.subscribedAt.getTime(), unsubscribedAt?.getTime() ?? null]);
      return "created";
    }
    case "petition_signature": {
      const { petition, signedAt, comment } = record;
      const wanted = { supporterId, petition, signedAt, comment };
      return upsertByExternalId(tx, petitionSignatures, insertNew.petition_signature, [externalId, supporterId, petition, signedAt.getTime(), comment], statements.petition_signature.find, externalId, wanted);
    }
    case "correspondence": {
      const { at, direction, channel, subject, body } = record;
      const wanted = { supporterId, at, direction, channel, subject, body };
      return upsertByExternalId(tx, correspondence, insertNew.correspondence, [externalId, supporterId, at.getTime(), direction, channel, subject, body], statements.correspondence.find, externalId, wanted);
    }
    case "web_visit": {
      const { at, ipAddress, userAgent, page, referrer } = record;
      const wanted = { supporterId, at, ipAddress, userAgent, page, referrer };
      return upsertByExternalId(tx, webVisits, insertNew.web_visit, [externalId, supporterId, at.getTime(), ipAddress, userAgent, page, referrer], statements.web_visit.find, externalId, wanted);
    }
  }
}
