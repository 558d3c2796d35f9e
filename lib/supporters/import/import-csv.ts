/**
 * An import file from text to report, a batch of rows at a time so a file
 * of any size takes about the same memory: every row is checked first and
 * the checked records kept in a scratch file (./staging.ts); only when no
 * row has a problem are they all written, in one transaction.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { supporters } from "@/db/schema";
import { CHANGE_CORRECTED_VALUE, unknownSupporterReason, writeRecords, type ImportOptions, type ImportReport } from "./import-records";
import { RECORD_KINDS } from "./layout";
import { countRecords, CsvFileProblem, csvRows, textSource, type CsvRow, type CsvSource } from "./csv-source";
import { parseRow, type RowProblem } from "./parse-rows";
import { Staging } from "./staging";

/** The whole import of a file's text (the tests', and small files'); an import job reads its file through runImportJob. */
export function importCsv(db: Db, text: string, options: ImportOptions): ImportReport {
  return importFrom(db, textSource(text), options);
}

/** Checks every row of the source, then writes every record, or none. */
export function importFrom(db: Db, source: CsvSource, options: ImportOptions): ImportReport {
  const checked = checkCsv(db, source, options.onProgress);
  if (!checked.ok) return checked;
  try {
    return writeRecords(db, checked.staging.entries(), checked.staging.records, options);
  } finally {
    checked.staging.close();
  }
}

/** The file checked: its records kept in a scratch file, ready to write (close it when done); or every problem. */
export type CheckedCsv = { ok: true; staging: Staging } | { ok: false; problems: RowProblem[] };

const CHECK_PROGRESS_EVERY = 1000;
const ROWS_PER_BATCH = 5000;

const OWNED_KINDS: ReadonlySet<string> = new Set(RECORD_KINDS.filter((k) => k !== "supporter"));

/**
 * Every row checked, without writing to the database: the records to write,
 * kept in a scratch file, or every problem of every row, in the order of
 * the file.
 */
export function checkCsv(db: Db, source: CsvSource, onProgress?: ImportOptions["onProgress"]): CheckedCsv {
  const total = onProgress ? countRecords(source) : 0;
  const staging = new Staging();
  const problems: RowProblem[] = [];
  let done = 0;
  const check = (rows: CsvRow[]) =>
    staging.batch(() => {
      for (const row of rows) {
        const result = parseRow(row);
        if (!result.ok) problems.push(...result.problems);
        // An id used twice is named even when either row has other problems too.
        const kind = (row.cells.kind ?? "").trim().toLowerCase();
        const externalId = (row.cells.external_id ?? "").trim();
        const earlier = externalId === "" ? null : staging.claimKey(kind, externalId, row.line);
        if (earlier !== null) problems.push({ line: row.line, reason: `external_id "${externalId}" is already used for a ${kind} on line ${earlier}` });
        // A record a supporter owns is checked against the file's supporters once they are all known, below.
        const ref = OWNED_KINDS.has(kind) ? (row.cells.supporter_external_id ?? "").trim() : "";
        const record = result.ok && earlier === null ? result.record : null;
        if (ref !== "" || record !== null) staging.addRow(row.line, kind, ref === "" ? null : ref, record);
        done++;
        if (onProgress && (done % CHECK_PROGRESS_EVERY === 0)) onProgress({ phase: "checking", done, total: Math.max(total, done) });
      }
    });
  try {
    let rows: CsvRow[] = [];
    for (const row of csvRows(source)) {
      rows.push(row);
      if (rows.length === ROWS_PER_BATCH) {
        check(rows);
        rows = [];
      }
    }
    check(rows);
    if (done === 0) {
      staging.close();
      return { ok: false, problems: [{ line: 1, reason: "the file has a header but no rows" }] };
    }
    if (onProgress && done % CHECK_PROGRESS_EVERY !== 0) onProgress({ phase: "checking", done, total: done });
    // Checked here as well as while writing, so one round names every problem and a refused file never takes the write lock.
    problems.push(...unknownSupporters(db, staging));
  } catch (error) {
    staging.close();
    if (error instanceof CsvFileProblem) return { ok: false, problems: [error.problem] };
    throw error;
  }
  if (problems.length > 0) {
    staging.close();
    return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  }
  return { ok: true, staging };
}

/** The rows whose supporter_external_id names no supporter row in the file and no supporter already stored. */
function unknownSupporters(db: Db, staging: Staging): RowProblem[] {
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
  const problems: RowProblem[] = [];
  for (const { line, ref } of staging.refsNotInFile()) {
    if (!isStored(ref)) problems.push({ line, reason: unknownSupporterReason(ref) });
  }
  return problems;
}

/** The report as plain sentences, for the command line: every problem, or the counts and each skipped or kept line. */
export function describeReport(report: ImportReport): string[] {
  if (!report.ok) {
    const rows = new Set(report.problems.map((p) => p.line)).size;
    return [
      `Nothing was imported: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"} in ${rows} row${rows === 1 ? "" : "s"}.`,
      ...report.problems.map((p) => `  line ${p.line}: ${p.reason}`),
    ];
  }
  const c = report.counts;
  return [
    `Imported ${report.rows} row${report.rows === 1 ? "" : "s"}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped.`,
    ...report.skipped.map((p) => `  line ${p.line}: ${p.reason}`),
    ...(report.kept.length > 0
      ? [`${report.kept.length} corrected value${report.kept.length === 1 ? " was" : "s were"} kept:`, ...report.kept.map((p) => `  line ${p.line}: ${p.reason}`), CHANGE_CORRECTED_VALUE]
      : []),
    ...(report.choicesKept.length > 0
      ? [
          `${report.choicesKept.length} subscription${report.choicesKept.length === 1 ? " was" : "s were"} kept as the person chose:`,
          ...report.choicesKept.map((p) => `  line ${p.line}: ${p.reason}`),
        ]
      : []),
  ];
}
