/** An import file from text to report: parse, check every row, then write all of it or none. */
import type { Db } from "@/db/connection";
import { importRecords, type ImportOptions, type ImportReport } from "./import-records";
import { parseCsv, parseRow, type ImportRecord, type RowProblem } from "./parse-rows";

export function importCsv(db: Db, text: string, options: ImportOptions): ImportReport {
  const csv = parseCsv(text);
  if (!csv.ok) return { ok: false, problems: [csv.problem] };
  const problems: RowProblem[] = [];
  const entries: { line: number; record: ImportRecord }[] = [];
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
  if (problems.length > 0) return { ok: false, problems };
  if (entries.length === 0) return { ok: false, problems: [{ line: 1, reason: "the file has a header but no rows" }] };
  return importRecords(db, entries, options);
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
