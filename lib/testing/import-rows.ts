/**
 * Test helper: an import file's rows with their cells by column name, as a
 * person reads them, on top of the importer's own reading (csvRecords, each
 * row as its fields in the header's order) and checking (checkRecord). Only
 * tests import this: the importer never makes an object of a row's cells.
 */
import { CsvFileProblem, csvRecords, textSource, type CsvSource, type RowProblem } from "@/lib/supporters/import/csv-source";
import { checkRecord, rowColumns, type RowResult } from "@/lib/supporters/import/parse-rows";

export type CsvRow = { line: number; cells: Record<string, string> };

/** Every row of the file, its cells named by the header's columns (a column with no name left out). */
export function* csvRows(source: CsvSource, options: { batchChars?: number; onlyCsvParse?: boolean } = {}): Generator<CsvRow> {
  let header: readonly string[] = [];
  for (const { line, record } of csvRecords(source, options, (h) => (header = h))) {
    const cells: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) if (header[i] !== "") cells[header[i]!] = record[i]!;
    yield { line, cells };
  }
}

export type ParsedCsv = { ok: true; rows: CsvRow[] } | { ok: false; problem: RowProblem };

/** A whole file's text read at once: its rows, or the problem that makes it unreadable. */
export function parseCsv(text: string): ParsedCsv {
  try {
    return { ok: true, rows: [...csvRows(textSource(text))] };
  } catch (error) {
    if (error instanceof CsvFileProblem) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** One row checked from its cells by name, as the importer checks it from its fields in the header's order. */
export function parseRow(row: CsvRow): RowResult {
  return checkRecord(row.line, Object.values(row.cells), rowColumns(Object.keys(row.cells)));
}
