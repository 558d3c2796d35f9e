/**
 * Writing checked records: in one transaction, so a file goes in whole or not
 * at all; each record is matched to what is already stored by its external
 * id, so the same file imported twice changes nothing the second time. A
 * field a supporter had corrected keeps its corrected value while the file
 * still holds the value from before the correction.
 */
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { eq, getTableName } from "drizzle-orm";
import type Database from "better-sqlite3";
import type { Db, Tx } from "@/db/connection";
import { correspondence, donations, memberships, petitionSignatures, subscriptions, supporters, suppressions, webVisits, type ConsentState, type SupporterCorrection } from "@/db/schema";
import { formatCalendarDate } from "@/lib/calendar/format";
import { calendarDateIn } from "@/lib/calendar/dates";
import { inTransaction } from "@/db/transaction";
import { importedSubscriptionChoice } from "@/lib/consent/imported";
import { importWording } from "@/lib/consent/wording";
import { noteLists } from "@/lib/consent/lists";
import { importStatements, type ImportStatements } from "./import-statements";
import type { ImportRecord, RowProblem, SupporterRecord } from "./parse-rows";
import type { RecordKind } from "./layout";
import { KEPT_COLUMNS, keptRecord, keptTable, OWNED_KINDS, PORTAL_TABLES, Staging } from "./staging";

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
  /**
   * False: every subscription is decided one at a time by the consent rules
   * (lib/consent), none written at once. The subscriptions written at once
   * are those whose outcome those rules leave in no doubt, chosen by SQL
   * (chooseNewSubscriptions); the tests import each file both ways and hold
   * them to the same result, so a change of the rules that the SQL does not
   * follow shows. True when absent.
   */
  subscriptionsAtOnce?: boolean;
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

type Writer = {
  tx: Tx;
  statements: ImportStatements;
  options: ImportOptions;
  supporterIds: Map<string, number>;
  kept: ReportLines;
  choicesKept: ReportLines;
  /** Each supporter's address, by id, as written or read once. */
  emails: Map<number, string>;
  /** Every list a subscription row named. */
  lists: Set<string>;
};

/** Writes records held in memory (the demo's records): kept in a scratch file first, then written as a file's are. */
export function importRecords(db: Db, entries: ReadonlyArray<{ line: number; record: ImportRecord }>, options: ImportOptions): ImportReport {
  const staging = new Staging(options.secret);
  try {
    staging.batch(() => {
      for (const { line, record } of entries) {
        staging.addRow(line, record.kind, record.externalId, record.kind === "supporter" ? null : record.supporterExternalId, record);
      }
    });
    return writeRecords(db, staging, options);
  } finally {
    staging.close();
  }
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

/** The name the scratch file is attached by, to the portal's connection, while an import writes. */
const SCRATCH = "import_scratch";

/**
 * Writes every record kept in `staging`, in one transaction: all of them,
 * or none when any clashes. The scratch file is attached to the portal's
 * connection for the write (ATTACH cannot run inside a transaction, so
 * before it, and detached after). The connection keeps its temporary
 * tables and statement journals in memory meanwhile: each statement that
 * writes many rows keeps the first copy of every page it changes, in case
 * it has to be undone alone, and in a file that came to 1.9 GB of writes
 * for a million rows (the records go into indexes in no order, so each
 * batch of them touches pages all over each index).
 */
export function writeRecords(db: Db, staging: Staging, options: ImportOptions): ImportReport {
  staging.ready();
  const sqlite = db.$client;
  const cacheSize = sqlite.pragma("cache_size", { simple: true }) as number;
  sqlite.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  const tempStore = sqlite.pragma("temp_store", { simple: true }) as number;
  sqlite.pragma("temp_store = memory");
  sqlite.prepare(`attach database ? as ${SCRATCH}`).run(staging.file);
  try {
    return writeAll(db, staging.records, options);
  } finally {
    sqlite.exec(`detach database ${SCRATCH}`);
    sqlite.pragma(`cache_size = ${cacheSize}`);
    sqlite.pragma(`temp_store = ${tempStore}`);
  }
}

/** Rows read from the scratch file at a time, for the records written one at a time (the connection cannot write while it reads). */
const ROWS_PER_READ = 1000;

/**
 * Rows of the scratch file written by one statement, for the records
 * written many at once. Each such statement keeps, in memory, the first
 * copy of every page it changes that was there before it began (so that it
 * can be undone alone), and a batch of new records touches pages all over
 * each index: batches of 1,000 copied the same pages again and again (the
 * write took about 0.6 s longer of a million rows), while one statement
 * for a whole kind would hold a copy of as much of each index as it
 * touches, however large. A statement of 5,000 rows holds at most about
 * 5,000 pages of each index it writes (20 MB), let go when it ends.
 */
export const ROWS_PER_STATEMENT = 5000;

/** A kept supporter row's address is on the suppression list (`r` is the row). */
const SUPPRESSED = `exists (select 1 from main."${getTableName(suppressions)}" x where x.email_hash = r.suppression_hash)`;
/** The temporary table of the file's supporters whose address is on the suppression list (see noteSuppressedOwners). */
const SUPPRESSED_OWNERS = "import_suppressed_owners";

/**
 * A kept owned row's supporter, in this file, has an address on the
 * suppression list (`r` is the row): looked up in SUPPRESSED_OWNERS, found
 * once for the whole write. Looking each row's supporter up in the scratch
 * file and then on the list, as this did before, cost about a third of a
 * second for every 300,000 rows in each of the four statements that ask,
 * even with the list empty.
 */
const OWNER_SUPPRESSED = `r.supporter_external_id in (select external_id from temp.${SUPPRESSED_OWNERS})`;

/** Fills SUPPRESSED_OWNERS: the external ids of the file's supporter rows that passed their checks and whose address is on the suppression list. */
function noteSuppressedOwners(sqlite: Database.Database): void {
  sqlite.exec(`
    create temp table if not exists ${SUPPRESSED_OWNERS} (external_id text primary key) without rowid;
    delete from temp.${SUPPRESSED_OWNERS};
    insert or ignore into temp.${SUPPRESSED_OWNERS} (external_id)
      select o.external_id from ${SCRATCH}.supporter_rows o join main."${getTableName(suppressions)}" x on x.email_hash = o.suppression_hash
       where o.checked = 1 and o.external_id is not null;`);
}

/**
 * Reads the rows `where` chooses from a table of the scratch file, in the
 * file's order, ROWS_PER_READ at a time, and hands each to `each`: the
 * records the rules make one at a time, read alone.
 */
function eachRow(sqlite: Database.Database, table: string, where: string, each: (row: Record<string, unknown> & { line: number }) => void): void {
  const read = sqlite.prepare(`select r.* from ${SCRATCH}.${table} r where (${where}) and r.line > ? order by r.line limit ${ROWS_PER_READ}`);
  let after = 0;
  for (;;) {
    const rows = read.all(after) as Array<Record<string, unknown> & { line: number }>;
    for (const row of rows) each(row);
    if (rows.length < ROWS_PER_READ) return;
    after = rows[rows.length - 1]!.line;
  }
}

/**
 * Runs `write` for each run of ROWS_PER_STATEMENT rows of a table of the scratch
 * file, in the file's order, with the lines it spans (after, upTo]: a
 * statement that writes many records at once, a batch at a time, so the
 * write's progress moves as it goes.
 */
function inBatches(sqlite: Database.Database, table: string, write: (after: number, upTo: number) => void): void {
  const end = sqlite.prepare(`select line from ${SCRATCH}.${table} where line > ? order by line limit 1 offset ${ROWS_PER_STATEMENT - 1}`).pluck();
  const last = sqlite.prepare(`select max(line) from ${SCRATCH}.${table}`).pluck().get() as number | null;
  if (last === null) return;
  let after = 0;
  while (after < last) {
    const upTo = (end.get(after) as number | undefined) ?? last;
    write(after, upTo);
    after = upTo;
  }
}

/** Whether the stored record `stored` (an alias) holds every field of the kept row `r` as it is (the external id and supporter aside). */
function sameAs(kind: RecordKind, stored: string): string {
  return KEPT_COLUMNS[kind]
    .filter((c) => c.column !== "external_id" && c.column !== "supporter_external_id")
    .map((c) => `${stored}.${c.column} is r.${c.column}`)
    .join(" and ");
}

/** Counts the rows `where` chooses, a batch at a time, handing each batch's count to `counted`. */
function countAtOnce(sqlite: Database.Database, table: string, where: string, counted: (n: number) => void): void {
  const count = sqlite.prepare(`select count(*) from ${SCRATCH}.${table} r where r.line > ? and r.line <= ? and (${where})`).pluck();
  inBatches(sqlite, table, (after, upTo) => counted(count.get(after, upTo) as number));
}

/** The temporary table of the subscription rows written all at once (see chooseNewSubscriptions). */
const NEW_SUBSCRIPTIONS = "import_new_subscriptions";

/**
 * Chooses the subscription rows whose outcome the consent rules leave in no
 * doubt, to be written all at once: a row new to the portal whose
 * supporter's address has no recorded choice about the list (nor about
 * every list), no subscription to it on any stored record (so the supporter
 * is on no other row for it: no clash), and no other row in this file for
 * the same list. Where the address stands on the list is
 * then "never" (lib/consent/decision.ts, decideList), and the row goes in as
 * the file has it, recording the organisation's consent (importSubscription):
 * on the list since it began, or off it since it ended. Any other row is
 * decided one at a time, with every fact read (importedSubscriptionChoice).
 * Chosen before any subscription of this import is written, so what is
 * stored is what was stored before it.
 */
function chooseNewSubscriptions(sqlite: Database.Database, atOnce: boolean): void {
  sqlite.exec(`
    create temp table if not exists ${NEW_SUBSCRIPTIONS} (line integer primary key, supporter_id integer not null, email text not null);
    delete from temp.${NEW_SUBSCRIPTIONS};`);
  if (!atOnce) return;
  sqlite.exec(`
    create temp table if not exists import_list_rows (email text not null, list text not null, rows integer not null, primary key (email, list)) without rowid;
    delete from temp.import_list_rows;
    insert into temp.import_list_rows (email, list, rows)
      select m.email, r.list, count(*) from ${SCRATCH}.subscription_rows r join main.supporters m on m.external_id = r.supporter_external_id group by m.email, r.list;
  `);
  sqlite
    .prepare(
      `insert into temp.${NEW_SUBSCRIPTIONS} (line, supporter_id, email)
       select r.line, m.id, m.email from ${SCRATCH}.subscription_rows r join main.supporters m on m.external_id = r.supporter_external_id
        where not exists (select 1 from main.subscriptions s where s.external_id = r.external_id)
          and (select rows from temp.import_list_rows n where n.email = m.email and n.list = r.list) = 1
          and not exists (select 1 from main.consents c where c.email = m.email and ((c.topic = 'mailing_list' and c.list = r.list) or (c.topic = 'all_lists' and c.list = '')))
          and not exists (select 1 from main.subscriptions s join main.supporters p on p.id = s.supporter_id where p.email = m.email and s.list = r.list)`,
    )
    .run();
  sqlite.exec("drop table temp.import_list_rows");
}

/** The SQL function the write registers for the consent history's wording (importWording, with this import's file). */
const IMPORT_WORDING = "rightsdesk_import_wording";

/**
 * Writes the chosen subscription rows of lines (after, upTo]: each row as
 * the file has it, and the address's choice about the list with its line of
 * history, as writeChoice writes them (the wording importWording's, by the
 * IMPORT_WORDING function registered before the first batch).
 * Returns how many rows it wrote.
 */
function writeNewSubscriptions(sqlite: Database.Database, after: number, upTo: number, options: ImportOptions, lists: Set<string>): number {
  const chosen = `from temp.${NEW_SUBSCRIPTIONS} b join ${SCRATCH}.subscription_rows r on r.line = b.line where b.line > ? and b.line <= ? order by b.line`;
  const state = "case when r.unsubscribed_at is null then 'granted' else 'withdrawn' end";
  const at = "coalesce(r.unsubscribed_at, r.subscribed_at)";
  const written = sqlite
    .prepare(`insert into main.subscriptions (external_id, supporter_id, list, subscribed_at, unsubscribed_at) select r.external_id, b.supporter_id, r.list, r.subscribed_at, r.unsubscribed_at ${chosen}`)
    .run(after, upTo).changes;
  if (written === 0) return 0;
  sqlite.prepare(`insert into main.consents (email, topic, list, state, at, route) select b.email, 'mailing_list', r.list, ${state}, ${at}, 'import' ${chosen}`).run(after, upTo);
  sqlite
    .prepare(
      `insert into main.consent_changes (email, topic, list, state, at, route, wording, detail, request_id, recorded_at)
       select b.email, 'mailing_list', r.list, ${state}, ${at}, 'import', ${IMPORT_WORDING}(${state}, ${at}), ?, null, ? ${chosen}`,
    )
    .run(options.source, options.now.getTime(), after, upTo);
  for (const list of sqlite.prepare(`select distinct r.list ${chosen.replace(" order by b.line", "")}`).pluck().all(after, upTo) as string[]) lists.add(list);
  return written;
}

/**
 * The write: the common case, a record new to the portal, by one statement
 * per kind straight from the scratch file; what the rules decide a record
 * at a time (a record stored already: its update, a correction that
 * sticks, an anonymised donation; every subscription, with the person's
 * choice; a supporter's address erased) one record at a time, reading
 * only those rows.
 */
function writeAll(db: Db, total: number, options: ImportOptions): ImportReport {
  const counts = emptyCounts();
  const skipped = new ReportLines();
  const problems = new ReportLines();
  const statements = importStatements(db);
  const sqlite = db.$client;
  let report: Extract<ImportReport, { ok: true }> | undefined;
  let done = 0;
  let told = 0;
  /** `n` more records written; progress told every PROGRESS_EVERY, and after each statement that wrote many at once. */
  const wrote = (n: number) => {
    done += n;
    if (options.onProgress && (done - told >= PROGRESS_EVERY || (done === total && told !== total))) {
      told = done;
      options.onProgress({ phase: "writing", done, total });
    }
  };
  const count = (outcome: ImportOutcome | RowProblem) => {
    if (typeof outcome === "object") problems.add(outcome);
    else counts[outcome]++;
    wrote(1);
  };

  try {
    inTransaction(db, (tx) => {
      const writer: Writer = {
        tx,
        statements,
        options,
        supporterIds: new Map(),
        kept: new ReportLines(),
        choicesKept: new ReportLines(),
        emails: new Map(),
        lists: new Set(),
      };
      const supporterIdOf = (externalId: string): number | null => {
        const known = writer.supporterIds.get(externalId);
        if (known !== undefined) return known;
        const row = statements.supporter.find.get({ externalId });
        if (row) writer.supporterIds.set(externalId, row.id);
        return row?.id ?? null;
      };

      // Supporters whose address asked to be erased: skipped, and every record they own with them.
      eachRow(sqlite, "supporter_rows", `r.checked = 1 and ${SUPPRESSED}`, ({ line }) => {
        skipped.add({ line, reason: SUPPRESSED_REASON });
        count("skipped");
      });
      // Supporters stored already, as the file has them and with no correction to weigh: unchanged, counted at once.
      const storedSupporter = "select 1 from main.supporters s where s.external_id = r.external_id";
      const sameSupporter = `${storedSupporter} and ${sameAs("supporter", "s")} and not exists (select 1 from main.supporter_corrections c where c.supporter_id = s.id)`;
      countAtOnce(sqlite, "supporter_rows", `r.checked = 1 and not ${SUPPRESSED} and exists (${sameSupporter})`, (n) => {
        counts.unchanged += n;
        wrote(n);
      });
      // The other stored ones: updated where the file differs, corrections kept.
      eachRow(sqlite, "supporter_rows", `r.checked = 1 and not ${SUPPRESSED} and exists (${storedSupporter}) and not exists (${sameSupporter})`, (row) => {
        count(updateSupporter(writer, keptRecord("supporter", row) as SupporterRecord, row.line));
      });
      // New supporters, all at once (the stored ones, written above, are left as they are).
      const now = options.now.getTime();
      const insertSupporters = sqlite.prepare(
        `insert into main.supporters (external_id, email, name, postal_address, phone, source, created_at, updated_at)
         select r.external_id, r.email, r.name, r.postal_address, r.phone, ?, ?, ? from ${SCRATCH}.supporter_rows r
          where r.line > ? and r.line <= ? and r.checked = 1 and not ${SUPPRESSED} order by r.line
         on conflict (external_id) do nothing`,
      );
      inBatches(sqlite, "supporter_rows", (after, upTo) => {
        const created = insertSupporters.run(options.source, now, now, after, upTo).changes;
        counts.created += created;
        wrote(created);
      });

      noteSuppressedOwners(sqlite);
      for (const kind of OWNED_KINDS) {
        const table = keptTable(kind);
        const portalTable = getTableName(PORTAL_TABLES[kind]);
        eachRow(sqlite, table, OWNER_SUPPRESSED, ({ line }) => {
          skipped.add({ line, reason: SUPPRESSED_OWNER_REASON });
          count("skipped");
        });
        // A subscription is always decided one at a time, with the person's choices about the list (lib/consent).
        // Any other record goes one at a time when stored already (or when its supporter is not found: a problem).
        if (kind === "subscription") chooseNewSubscriptions(sqlite, options.subscriptionsAtOnce !== false);
        // A stored record as the file has it, under the same supporter (a donation not anonymised): unchanged, counted at once.
        const same = `select 1 from main."${portalTable}" t join main.supporters s on s.external_id = r.supporter_external_id
          where t.external_id = r.external_id and t.supporter_id = s.id and ${sameAs(kind, "t")}${kind === "donation" ? " and t.anonymised_at is null" : ""}`;
        if (kind !== "subscription") {
          countAtOnce(sqlite, table, `not ${OWNER_SUPPRESSED} and exists (${same})`, (n) => {
            counts.unchanged += n;
            wrote(n);
          });
        }
        const alone =
          kind === "subscription"
            ? `r.line not in (select line from temp.${NEW_SUBSCRIPTIONS})`
            : `(exists (select 1 from main."${portalTable}" t where t.external_id = r.external_id) and not exists (${same}))
               or not exists (select 1 from main.supporters s where s.external_id = r.supporter_external_id)`;
        eachRow(sqlite, table, `not ${OWNER_SUPPRESSED} and (${alone})`, (row) => {
          const record = keptRecord(kind, row) as Exclude<ImportRecord, SupporterRecord>;
          const owner = supporterIdOf(record.supporterExternalId);
          if (owner === null) return count({ line: row.line, reason: unknownSupporterReason(record.supporterExternalId) });
          const outcome = upsertOwned(writer, record, owner, row.line);
          if (outcome === "skipped") skipped.add({ line: row.line, reason: "skipped: this donation was anonymised after an erasure and is kept as it is" });
          count(outcome);
        });
        if (kind === "subscription") {
          // The consent history's wording, as the per-row write words it: one function for every batch of this write.
          sqlite.function(IMPORT_WORDING, { deterministic: true }, (state: unknown, ms: unknown) => importWording(state as ConsentState, options.source, new Date(ms as number)));
          inBatches(sqlite, table, (after, upTo) => {
            const inserted = writeNewSubscriptions(sqlite, after, upTo, options, writer.lists);
            counts.created += inserted;
            wrote(inserted);
          });
          sqlite.exec(`drop table temp.${NEW_SUBSCRIPTIONS}`);
          continue;
        }
        // The rest are new, and their supporters known: all at once, each with its supporter's id.
        const columns = KEPT_COLUMNS[kind].filter((c) => c.column !== "supporter_external_id").map((c) => c.column);
        const insertOwned = sqlite.prepare(
          `insert into main."${portalTable}" (supporter_id, ${columns.join(", ")})
           select s.id, ${columns.map((c) => `r.${c}`).join(", ")} from ${SCRATCH}.${table} r join main.supporters s on s.external_id = r.supporter_external_id
            where r.line > ? and r.line <= ? and not ${OWNER_SUPPRESSED} order by r.line
           on conflict (external_id) do nothing`,
        );
        inBatches(sqlite, table, (after, upTo) => {
          const inserted = insertOwned.run(after, upTo).changes;
          counts.created += inserted;
          wrote(inserted);
        });
      }

      sqlite.exec(`drop table temp.${SUPPRESSED_OWNERS}`);
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
    });
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

/** Updates a stored supporter where the file differs, keeping the corrections that stand. (New supporters are written all at once, by writeAll.) */
function updateSupporter(writer: Writer, record: SupporterRecord, line: number): ImportOutcome {
  const { statements, options } = writer;
  const wanted: { email: string; name: string | null; postalAddress: string | null; phone: string | null } = {
    email: record.email,
    name: record.name,
    postalAddress: record.postalAddress,
    phone: record.phone,
  };
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

/** A supporter's address, as this import wrote it or as stored. */
function emailOf(writer: Writer, supporterId: number): string {
  let email = writer.emails.get(supporterId);
  if (email === undefined) {
    email = writer.statements.supporter.emailOf.get({ id: supporterId })?.email ?? "";
    writer.emails.set(supporterId, email);
  }
  return email;
}

/**
 * Updates one stored record that belongs to a supporter where the file
 * differs; or, for a subscription, inserts or updates it as the person's
 * choices allow (a problem when it clashes with another). The other kinds'
 * new records are written all at once, by writeAll.
 */
function upsertOwned(writer: Writer, record: Exclude<ImportRecord, SupporterRecord>, supporterId: number, line: number): ImportOutcome | RowProblem {
  const { tx, statements } = writer;
  const { externalId } = record;
  switch (record.kind) {
    case "donation": {
      const { amountMinor, currency, donatedOn, method, cardLast4 } = record;
      const stored = statements.donation.find.get({ externalId })!;
      if (stored.anonymisedAt) return "skipped";
      return updateIfChanged(tx, donations, stored, { supporterId, amountMinor, currency, donatedOn, method, cardLast4 });
    }
    case "membership": {
      const { plan, startedOn, endsOn, status } = record;
      return updateIfChanged(tx, memberships, statements.membership.find.get({ externalId })!, { supporterId, plan, startedOn, endsOn, status });
    }
    case "subscription": {
      const s = statements.subscription;
      // What is stored for the row is part of the decision about the person's choice.
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
      statements.insertSubscription([externalId, supporterId, record.list, record.subscribedAt.getTime(), unsubscribedAt?.getTime() ?? null]);
      return "created";
    }
    case "petition_signature": {
      const { petition, signedAt, comment } = record;
      return updateIfChanged(tx, petitionSignatures, statements.petition_signature.find.get({ externalId })!, { supporterId, petition, signedAt, comment });
    }
    case "correspondence": {
      const { at, direction, channel, subject, body } = record;
      return updateIfChanged(tx, correspondence, statements.correspondence.find.get({ externalId })!, { supporterId, at, direction, channel, subject, body });
    }
    case "web_visit": {
      const { at, ipAddress, userAgent, page, referrer } = record;
      return updateIfChanged(tx, webVisits, statements.web_visit.find.get({ externalId })!, { supporterId, at, ipAddress, userAgent, page, referrer });
    }
  }
}
