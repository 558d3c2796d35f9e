/** An import file from text to report: parse, check every row, then write all of it or none. */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { supporters } from "@/db/schema";
import { importRecords, unknownSupporterReason, type ImportOptions, type ImportReport } from "./import-records";
import { parseCsv, parseRow, type CsvRow, type ImportRecord, type RowProblem } from "./parse-rows";

type Entry = { line: number; record: ImportRecord };

export function importCsv(db: Db, text: string, options: ImportOptions): ImportReport {
  const csv = parseCsv(text);
  if (!csv.ok) return { ok: false, problems: [csv.problem] };
  const problems: RowProblem[] = [];
  const entries: Entry[] = [];
  const firstLine = new Map<string, number>();
  for (const row of csv.rows) {
    const result = parseRow(row);
    if (!result.ok) {
      problems.push(result.problem);
      continue;
    }
    const key = `${result.record.kind}\u0000${result.record.externalId}`;
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      problems.push({ line: row.line, reason: `external_id "${result.record.externalId}" is already used for a ${result.record.kind} on line ${earlier}` });
      continue;
    }
    firstLine.set(key, row.line);
    entries.push({ line: row.line, record: result.record });
  }
  if (problems.length > 0) {
    // The rows that did parse are checked for unknown supporters too, so one
    // round names every problem; when all rows parse, importRecords finds
    // these while writing.
    problems.push(...unknownSupporters(db, csv.rows, entries));
    return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  }
  if (entries.length === 0) return { ok: false, problems: [{ line: 1, reason: "the file has a header but no rows" }] };
  return importRecords(db, entries, options);
}

/** The records whose supporter_external_id names no supporter row in the file and no supporter already stored. */
function unknownSupporters(db: Db, rows: readonly CsvRow[], entries: readonly Entry[]): RowProblem[] {
  // A supporter row counts even when it has a problem of its own: that problem
  // is reported already, and its records do not refer to nobody.
  const inFile = new Set(rows.filter((row) => (row.cells.kind ?? "").trim().toLowerCase() === "supporter").map((row) => (row.cells.external_id ?? "").trim()));
  const stored = new Map<string, boolean>();
  const isStored = (externalId: string): boolean => {
    let known = stored.get(externalId);
    if (known === undefined) {
      known = db.select({ id: supporters.id }).from(supporters).where(eq(supporters.externalId, externalId)).get() !== undefined;
      stored.set(externalId, known);
    }
    return known;
  };
  return entries.flatMap(({ line, record }) =>
    record.kind === "supporter" || inFile.has(record.supporterExternalId) || isStored(record.supporterExternalId)
      ? []
      : [{ line, reason: unknownSupporterReason(record.supporterExternalId) }],
  );
}

/** The report as plain sentences, for the command line. */
export function describeReport(report: ImportReport): string[] {
  if (!report.ok) {
    return [
      `Nothing was imported: ${report.problems.length} row${report.problems.length === 1 ? " has a problem" : "s have problems"}.`,
      ...report.problems.map((p) => `  line ${p.line}: ${p.reason}`),
    ];
  }
  const c = report.counts;
  return [
    `Imported ${report.rows} row${report.rows === 1 ? "" : "s"}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped.`,
    ...report.skipped.map((p) => `  line ${p.line}: ${p.reason}`),
  ];
}
