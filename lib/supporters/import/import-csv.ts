/**
 * An import file from text to report, a batch of rows at a time so a file
 * of any size takes about the same memory: every row is checked first and
 * the checked records kept in a scratch file (./staging.ts); only when no
 * row has a problem are they all written, in one transaction.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { supporters } from "@/db/schema";
import { CHANGE_CORRECTED_VALUE, refusedReport, ReportLines, unknownSupporterReason, writeRecords, type ImportOptions, type ImportReport } from "./import-records";
import { RECORD_KINDS } from "./layout";
import { countRecords, CsvFileProblem, csvRecords, textSource, type CsvRecord, type CsvSource } from "./csv-source";
import { cell, checkRecord, rowColumns, type RowColumns, type RowProblem } from "./parse-rows";
import { Staging } from "./staging";
import { countOf } from "@/lib/language/plural";

/** The whole import of a file's text (the tests', and small files'); an import job reads its file through runImportJob. */
export function importCsv(db: Db, text: string, options: ImportOptions): ImportReport {
  return importFrom(db, textSource(text), options);
}

/** Checks every row of the source, then writes every record, or none. */
export function importFrom(db: Db, source: CsvSource, options: ImportOptions): ImportReport {
  const checked = checkCsv(db, source, options);
  if (!checked.ok) return checked;
  try {
    return writeRecords(db, checked.staging, options);
  } finally {
    checked.staging.close();
  }
}

/** The file checked: its records kept in a scratch file, ready to write (close it when done); or its problems. */
export type CheckedCsv = { ok: true; staging: Staging } | Extract<ImportReport, { ok: false }>;

const CHECK_PROGRESS_EVERY = 1000;
const ROWS_PER_BATCH = 5000;

const OWNED_KINDS: ReadonlySet<string> = new Set(RECORD_KINDS.filter((k) => k !== "supporter"));

/**
 * Every row checked, without writing to the database: the records to write,
 * kept in a scratch file, or every problem of every row counted and the
 * first REPORT_LINES_KEPT of them kept, in the order of the file.
 */
export function checkCsv(db: Db, source: CsvSource, options: Pick<ImportOptions, "secret" | "onProgress">): CheckedCsv {
  const { onProgress } = options;
  let total = 0;
  // The installation's secret keys the suppression hash each supporter's record is kept with, for the write.
  const staging = new Staging(options.secret);
  const problems = new ReportLines();
  let done = 0;
  // Where each column is in the rows, from the header (read before the first row).
  let columns: RowColumns | null = null;
  const checkRow = ({ line, record: fields }: CsvRecord) => {
    const at = columns!.at;
    const result = checkRecord(line, fields, columns!);
    if (!result.ok) for (const problem of result.problems) problems.add(problem);
    const kind = cell(fields, at.kind!).trim().toLowerCase();
    const externalId = cell(fields, at.external_id!).trim();
    // A record a supporter owns is checked against the file's supporters once they are all known, below.
    const ref = OWNED_KINDS.has(kind) ? cell(fields, at.supporter_external_id!).trim() : "";
    // Every row with an id is kept, even one with problems: an id used twice is named (below) even when either row has other problems too.
    const record = result.ok ? result.record : null;
    if (externalId !== "" || ref !== "" || record !== null) staging.addRow(line, kind, externalId === "" ? null : externalId, ref === "" ? null : ref, record);
    done++;
    if (onProgress && (done % CHECK_PROGRESS_EVERY === 0)) onProgress({ phase: "checking", done, total: Math.max(total, done) });
  };
  try {
    // Inside the try: counting reads the file too, and a file that is not UTF-8 is refused there already.
    if (onProgress) total = countRecords(source);
    // Each row is checked as it is read, ROWS_PER_BATCH to a transaction of the scratch file: no row is held once checked,
    // so the young rows die young (holding a batch of them cost more in collecting garbage than checking them).
    const rows = csvRecords(source, {}, (header) => {
      columns = rowColumns(header);
    });
    let more = true;
    while (more) {
      staging.batch(() => {
        for (let n = 0; n < ROWS_PER_BATCH; n++) {
          const next = rows.next();
          if (next.done) {
            more = false;
            return;
          }
          checkRow(next.value);
        }
      });
    }
    if (done === 0) {
      staging.close();
      problems.add({ line: 1, reason: "the file has a header but no rows" });
      return refusedReport(problems);
    }
    if (onProgress && done % CHECK_PROGRESS_EVERY !== 0) onProgress({ phase: "checking", done, total: done });
    // Found once every row is kept: each row that uses an id an earlier row of its kind used.
    for (const { line, kind, externalId, first } of staging.reusedIds()) {
      problems.add({ line, reason: `external_id "${externalId}" is already used for a ${kind} on line ${first}` });
    }
    // Checked here as well as while writing, so one round names every problem and a refused file never takes the write lock.
    for (const problem of unknownSupporters(db, staging)) problems.add(problem);
  } catch (error) {
    staging.close();
    if (error instanceof CsvFileProblem) {
      // A file that cannot be read as CSV is named alone: the rows before it may not be what they seem.
      const alone = new ReportLines();
      alone.add(error.problem);
      return refusedReport(alone);
    }
    throw error;
  }
  if (problems.total > 0) {
    staging.close();
    return refusedReport(problems);
  }
  return { ok: true, staging };
}

/** The rows whose supporter_external_id names no supporter row in the file and no supporter already stored. */
function* unknownSupporters(db: Db, staging: Staging): Generator<RowProblem> {
  // A supporter row counts even when it has a problem of its own: that problem
  // is reported already, and its records do not refer to nobody.
  const stored = new Map<string, boolean>();
  const isStored = (externalId: string): boolean => {
    let known = stored.get(externalId);
    if (known === undefined) {
      known = db.select({ id: supporters.id }).from(supporters).where(eq(supporters.externalId, externalId)).get() !== undefined;
      stored.set(externalId, known);
    }
    return known;
  };
  for (const { line, ref } of staging.refsNotInFile()) {
    if (!isStored(ref)) yield { line, reason: unknownSupporterReason(ref) };
  }
}

/** A report's lines of one kind, each on its own line; with a last line naming how many more there were when not all were kept. */
function listed(lines: RowProblem[], total: number): string[] {
  const shown = lines.map((p) => `  line ${p.line}: ${p.reason}`);
  if (total > lines.length) shown.push(`  …and ${(total - lines.length).toLocaleString("en-GB")} more.`);
  return shown;
}

/** The report as plain sentences, for the command line: the problems, or the counts and each skipped or kept line. */
export function describeReport(report: ImportReport): string[] {
  const { totals } = report;
  if (!report.ok) {
    // Rows are counted from the lines listed: when only the first are listed, the number of problems is said alone.
    const rows = new Set(report.problems.map((p) => p.line)).size;
    const inRows = totals.problems > report.problems.length ? "" : ` in ${countOf(rows, "row", "rows")}`;
    return [`Nothing was imported: ${countOf(totals.problems, "problem", "problems")}${inRows}.`, ...listed(report.problems, totals.problems)];
  }
  const c = report.counts;
  return [
    `Imported ${countOf(report.rows, "row", "rows")}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped.`,
    ...listed(report.skipped, totals.skipped),
    ...(totals.kept > 0
      ? [`${countOf(totals.kept, "corrected value was", "corrected values were")} kept:`, ...listed(report.kept, totals.kept), CHANGE_CORRECTED_VALUE]
      : []),
    ...(totals.choicesKept > 0
      ? [`${countOf(totals.choicesKept, "subscription was", "subscriptions were")} kept as the person chose:`, ...listed(report.choicesKept, totals.choicesKept)]
      : []),
  ];
}
