/** An import file from text to report: parse, check every row, then write all of it or none. */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { supporters } from "@/db/schema";
import { CHANGE_CORRECTED_VALUE, importRecords, unknownSupporterReason, type ImportOptions, type ImportReport } from "./import-records";
import { RECORD_KINDS } from "./layout";
import { parseCsv, parseRow, type CsvRow, type ImportRecord, type RowProblem } from "./parse-rows";

type Entry = { line: number; record: ImportRecord };

export function importCsv(db: Db, text: string, options: ImportOptions): ImportReport {
  const checked = checkCsv(db, text, options.onProgress);
  if (!checked.ok) return checked;
  return importRecords(db, checked.entries, options);
}

export type CheckedCsv = { ok: true; entries: Entry[] } | { ok: false; problems: RowProblem[] };

const CHECK_PROGRESS_EVERY = 1000;

/**
 * Every row checked, without writing: the records to write, or every
 * problem of every row, in the order of the file.
 */
export function checkCsv(db: Db, text: string, onProgress?: ImportOptions["onProgress"]): CheckedCsv {
  const csv = parseCsv(text);
  if (!csv.ok) return { ok: false, problems: [csv.problem] };
  if (csv.rows.length === 0) return { ok: false, problems: [{ line: 1, reason: "the file has a header but no rows" }] };
  const problems: RowProblem[] = [];
  const entries: Entry[] = [];
  const firstLine = new Map<string, number>();
  csv.rows.forEach((row, i) => {
    const result = parseRow(row);
    if (!result.ok) problems.push(...result.problems);
    // An id used twice is named even when either row has other problems too.
    const kind = (row.cells.kind ?? "").trim().toLowerCase();
    const externalId = (row.cells.external_id ?? "").trim();
    const key = `${kind}\u0000${externalId}`;
    const earlier = externalId === "" ? undefined : firstLine.get(key);
    if (earlier !== undefined) {
      problems.push({ line: row.line, reason: `external_id "${externalId}" is already used for a ${kind} on line ${earlier}` });
    } else {
      if (externalId !== "") firstLine.set(key, row.line);
      if (result.ok) entries.push({ line: row.line, record: result.record });
    }
    if (onProgress && ((i + 1) % CHECK_PROGRESS_EVERY === 0 || i + 1 === csv.rows.length)) {
      onProgress({ phase: "checking", done: i + 1, total: csv.rows.length });
    }
  });
  // Checked here as well as while writing, so one round names every problem and a refused file never takes the write lock.
  problems.push(...unknownSupporters(db, csv.rows));
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  return { ok: true, entries };
}

/** The rows whose supporter_external_id names no supporter row in the file and no supporter already stored. */
function unknownSupporters(db: Db, rows: readonly CsvRow[]): RowProblem[] {
  // A supporter row counts even when it has a problem of its own: that problem
  // is reported already, and its records do not refer to nobody.
  const cell = (row: CsvRow, column: string) => (row.cells[column] ?? "").trim();
  const isKind = (row: CsvRow, kind: string) => cell(row, "kind").toLowerCase() === kind;
  const inFile = new Set(rows.filter((row) => isKind(row, "supporter")).map((row) => cell(row, "external_id")));
  const stored = new Map<string, boolean>();
  const isStored = (externalId: string): boolean => {
    let known = stored.get(externalId);
    if (known === undefined) {
      known = db.select({ id: supporters.id }).from(supporters).where(eq(supporters.externalId, externalId)).get() !== undefined;
      stored.set(externalId, known);
    }
    return known;
  };
  return rows.flatMap((row) => {
    const ref = cell(row, "supporter_external_id");
    const owned = (RECORD_KINDS as readonly string[]).includes(cell(row, "kind").toLowerCase()) && !isKind(row, "supporter");
    return !owned || ref === "" || inFile.has(ref) || isStored(ref) ? [] : [{ line: row.line, reason: unknownSupporterReason(ref) }];
  });
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
