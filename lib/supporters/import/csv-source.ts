/**
 * An import file read a piece at a time, so a file of any size is never held
 * in memory whole: its text comes in chunks (from disk, or from an upload
 * kept with its job), is cut into batches of whole records (never inside a
 * quoted field), and each batch is parsed by csv-parse on its own. Line
 * numbers are counted across batches, as a spreadsheet shows them.
 */
import { isUtf8 } from "node:buffer";
import fs from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { CsvError, parse } from "csv-parse/sync";
import { ALL_COLUMNS } from "./layout";
import { EMPTY_FILE, fileKindProblem, HEAD_BYTES, lineOfFirstNonUtf8, NOT_UTF8, type RowProblem } from "./file-kind";

export type { RowProblem };

/** Where a file's text comes from: its size in bytes, and its text in order, chunk by chunk. */
export type CsvSource = { bytes: number; chunks(): Iterable<string> };

const CHUNK_BYTES = 1 << 20;

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The first HEAD_BYTES of the file (all of it, when shorter), which say what kind of file it is. */
function fileHead(file: string): Uint8Array {
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    return head.subarray(0, fs.readSync(fd, head, 0, HEAD_BYTES, 0));
  } finally {
    fs.closeSync(fd);
  }
}

function* fileChunks(file: string, chunkBytes: number): Generator<Buffer> {
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, chunkBytes, null);
      if (read === 0) break;
      yield buffer.subarray(0, read);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Where the bytes end before a character cut short at their end (whose rest
 * is in the next chunk): the bytes up to there can be checked as UTF-8 now.
 * A lead byte that no character starts with is left in, for the check to
 * refuse.
 */
function completeEnd(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = b < 0xc2 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : b <= 0xf4 ? 4 : 1;
    return bytes.length - i < length ? i : bytes.length;
  }
  return bytes.length;
}

/**
 * The file at `file`, read a megabyte at a time (or `chunkBytes`), as strict
 * UTF-8, as an upload is: bytes in another encoding (Windows-1252 from
 * Excel's plain "CSV") or a binary file are refused with a CsvFileProblem
 * naming the line, never read as replacement characters and stored.
 */
export function fileSource(file: string, chunkBytes = CHUNK_BYTES): CsvSource {
  const notUtf8 = () => new CsvFileProblem({ line: lineOfFirstNonUtf8(fileChunks(file, chunkBytes)), reason: NOT_UTF8 });
  return {
    bytes: fs.statSync(file).size,
    *chunks() {
      const kind = fileKindProblem(fileHead(file));
      if (kind) throw new CsvFileProblem(kind);
      // Checked with isUtf8 and decoded by StringDecoder, not by a TextDecoder that refuses bad bytes itself: that one's
      // text is held outside the JavaScript heap (twice the size of an ASCII file's), which raised a million-row import's
      // peak memory by about 50 MB. The decoder keeps a character whose bytes fall either side of a chunk's end whole; the
      // check carries those bytes (at most three) over to the next chunk. The BOM is csv-parse's to drop.
      const decoder = new StringDecoder("utf8");
      let carried: Uint8Array = new Uint8Array(0);
      for (const chunk of fileChunks(file, chunkBytes)) {
        const bytes = carried.length === 0 ? chunk : Buffer.concat([carried, chunk]);
        const end = completeEnd(bytes);
        if (!isUtf8(bytes.subarray(0, end))) throw notUtf8();
        // Copied: the chunk's buffer is read into again.
        carried = Uint8Array.from(bytes.subarray(end));
        const text = decoder.write(chunk);
        if (text) yield text;
      }
      if (carried.length > 0) throw notUtf8();
    },
  };
}

/** Text already in memory (an upload, at most a few megabytes). */
export function textSource(text: string): CsvSource {
  return { bytes: Buffer.byteLength(text, "utf8"), chunks: () => [text] };
}

/** A batch of whole records: their text, and the line the first of them starts on. */
type Batch = { text: string; firstLine: number };

/** Records are cut into batches of about this many characters. */
const BATCH_CHARS = 256 * 1024;

/**
 * The source's text in batches that end at a line feed outside quotes. A
 * doubled quote inside a quoted field leaves it quoted, so counting quotes
 * is enough to know where a field is. (A file whose lines end in a bare CR
 * comes as one batch.)
 */
function* batches(source: CsvSource, batchChars: number): Generator<Batch> {
  let pending = "";
  let scanned = 0;
  let inQuotes = false;
  let cut = 0;
  let firstLine = 1;
  for (const chunk of source.chunks()) {
    pending += chunk;
    // From quote to quote: the last line feed of each stretch outside quotes is where a batch may end. Searched
    // with indexOf, not a character at a time; nextLf is the first line feed at or after where the last search
    // started (-1: none left in the text), so a long line holding many quotes is not searched again for each.
    let from = scanned;
    let nextLf = -2;
    while (from < pending.length) {
      const quote = pending.indexOf('"', from);
      const end = quote === -1 ? pending.length : quote;
      if (!inQuotes) {
        if (nextLf !== -1 && nextLf < from) nextLf = pending.indexOf("\n", from);
        if (nextLf !== -1 && nextLf < end) cut = pending.lastIndexOf("\n", end - 1) + 1;
      }
      if (quote === -1) break;
      inQuotes = !inQuotes;
      from = quote + 1;
    }
    scanned = pending.length;
    if (cut >= batchChars) {
      const text = pending.slice(0, cut);
      yield { text, firstLine };
      firstLine += lineBreaks(text);
      pending = pending.slice(cut);
      scanned -= cut;
      cut = 0;
    }
  }
  if (pending !== "") yield { text: pending, firstLine };
}

function lineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  // A carriage return not followed by a line feed ends a line too (old Mac files).
  for (let i = text.indexOf("\r"); i !== -1; i = text.indexOf("\r", i + 1)) if (text.charCodeAt(i + 1) !== LF) n++;
  return n;
}

/** Where the last record of `text` starts: after its last line feed outside quotes. */
function lastRecordStart(text: string): number {
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (c === LF && !inQuotes) start = i + 1;
  }
  while (start < text.length && (text.charCodeAt(start) === LF || text.charCodeAt(start) === CR)) start++;
  return start;
}

/** The field csv-parse stopped in: by the header's name for it when there is one. */
function fieldName(error: CsvError, header: readonly string[] | null): string {
  const index = (error as CsvError & { index?: number }).index;
  if (typeof index !== "number") return "a field";
  const name = header?.[index];
  return name ? `the ${name} field` : `field ${index + 1}`;
}

function csvProblem(error: CsvError, batch: Batch, header: readonly string[] | null): RowProblem {
  // A quote never closed runs to the end of the file: named by the line its record starts on. Otherwise the
  // line csv-parse stopped on (which counts a CRLF inside quotes as two).
  const line =
    error.code === "CSV_QUOTE_NOT_CLOSED"
      ? batch.firstLine + lineBreaks(batch.text.slice(0, lastRecordStart(batch.text)))
      : batch.firstLine - 1 + ((error as CsvError & { lines?: number }).lines ?? 1);
  const reason =
    error.code === "CSV_QUOTE_NOT_CLOSED"
      ? "a quoted field is never closed (a \" is missing)"
      : error.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH"
        ? "this row has a different number of fields from the header"
        : // csv-parse names this one without its CSV_ prefix.
          error.code === "INVALID_OPENING_QUOTE"
          ? `${fieldName(error, header)} holds a quote (") but does not start with one: put the whole field in quotes and write each quote inside it twice ("")`
          : error.code === "CSV_INVALID_CLOSING_QUOTE"
            ? `${fieldName(error, header)} goes on after its closing quote: write each quote inside a quoted field twice ("")`
            : "this line is not valid CSV";
  return { line, reason };
}

/** A record of a batch: its fields, and the line it starts on. */
type ParsedRecord = { record: string[]; line: number };

/** csv-parse's settings for the importer: every record's number of fields is checked by csvRecords, against the header, with its line. */
function parseOptions(delimiter: string) {
  return { bom: true, skip_empty_lines: true, relax_column_count: true, delimiter } as const;
}

/**
 * Whether every line of the text ends the same way: all with a line feed
 * alone, or all with CRLF, and no carriage return anywhere else. Only such
 * a batch is cut into lines by parseBatch itself.
 */
function sameLineEnds(text: string): boolean {
  let crs = 0;
  for (let i = text.indexOf("\r"); i !== -1; i = text.indexOf("\r", i + 1)) {
    if (text.charCodeAt(i + 1) !== LF) return false;
    crs++;
  }
  if (crs === 0) return true;
  let lfs = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lfs++;
  return lfs === crs;
}

/**
 * Parses text of `batch` with csv-parse: a CsvError becomes a CsvFileProblem naming the line (the text starts on
 * `firstLine`), and the field by the header's name for it (read from the batch when it is the first).
 */
function parseWithCsvParse(text: string, firstLine: number, batch: Batch, delimiter: string, header: readonly string[] | null, raw: boolean): unknown[] {
  try {
    return parse(text, { ...parseOptions(delimiter), raw }) as unknown[];
  } catch (error) {
    if (error instanceof CsvError) throw new CsvFileProblem(csvProblem(error, { text, firstLine }, header ?? headerOf(batch.text, delimiter)));
    throw error;
  }
}

/**
 * The fields of the record text[at, end) (its line end included), which
 * holds quotes; null unless each field is either plain (no quote in it) or
 * quoted from its first character to its last, with each quote inside
 * written twice: anything else is for csv-parse to read, or to refuse.
 */
function quotedRecord(text: string, at: number, end: number, delimiter: string): string[] | null {
  let stop = end;
  if (stop > at && text.charCodeAt(stop - 1) === LF) stop--;
  if (stop > at && text.charCodeAt(stop - 1) === CR) stop--;
  const fields: string[] = [];
  let i = at;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = "";
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1 || q >= stop) return null;
        if (q + 1 < stop && text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === stop) return fields;
      if (text[i] !== delimiter) return null;
      i++;
    } else {
      let next = text.indexOf(delimiter, i);
      if (next === -1 || next > stop) next = stop;
      const q = text.indexOf('"', i);
      if (q !== -1 && q < next) return null;
      fields.push(text.slice(i, next));
      if (next === stop) return fields;
      i = next + 1;
    }
  }
}

/**
 * A batch's records, each with the line it starts on. Where every line of
 * the batch ends the same way, a line with no quote in it is a whole record,
 * cut at its delimiters here (most rows of most files: it costs a fraction
 * of csv-parse's reading a character at a time); a record with a quote, from
 * its first line to the line feed that ends it outside quotes, is read by
 * csv-parse alone. Any other batch (lines ending with a bare CR, or ends of
 * both kinds) is read by csv-parse whole. Either way, the batch is parsed
 * whole before any of its records is looked at, so a batch with a problem
 * yields none of them. (`onlyCsvParse`, for the tests: every batch read by
 * csv-parse whole, as all were before.)
 */
function parseBatch(batch: Batch, delimiter: string, header: readonly string[] | null, onlyCsvParse: boolean): ParsedRecord[] {
  const text = batch.text;
  const records: ParsedRecord[] = [];
  if (onlyCsvParse || !sameLineEnds(text)) {
    // With `raw`, each entry also carries its source text (and any empty lines before it), from which lines are counted.
    const parsed = parseWithCsvParse(text, batch.firstLine, batch, delimiter, header, true) as { record: string[]; raw: string }[];
    let nextLine = batch.firstLine;
    for (const { record, raw } of parsed) {
      let leading = 0;
      while (leading < raw.length && (raw.charCodeAt(leading) === LF || raw.charCodeAt(leading) === CR)) leading++;
      records.push({ record, line: nextLine + lineBreaks(raw.slice(0, leading)) });
      nextLine += lineBreaks(raw);
    }
    return records;
  }
  // A byte-order mark is dropped where csv-parse would drop it: at the start of what it is given.
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = batch.firstLine;
  // The next quote at or after `at` (-1: none left), searched for again only once passed.
  let quote = -2;
  while (at < text.length) {
    const lfAt = text.indexOf("\n", at);
    const lf = lfAt === -1 ? text.length : lfAt;
    if (quote !== -1 && quote < at) quote = text.indexOf('"', at);
    if (quote === -1 || quote > lf) {
      const end = lf > at && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
      // An empty line is skipped, as csv-parse skips it.
      if (end > at) records.push({ record: text.slice(at, end).split(delimiter), line });
      line++;
      at = lf + 1;
      continue;
    }
    // A record holding quotes runs to the first line feed outside them (or to the end of the batch, when a quote is never closed).
    // The line feed after each closing quote is searched for only when the last one found is behind it, so a line of many
    // quoted fields is not searched again for each.
    let inQuotes = false;
    let end = at;
    let feed = lfAt;
    for (let q = quote; ; ) {
      inQuotes = !inQuotes;
      const next = text.indexOf('"', q + 1);
      if (!inQuotes) {
        if (feed !== -1 && feed < q) feed = text.indexOf("\n", q + 1);
        if (feed === -1 || next === -1 || feed < next) {
          end = feed === -1 ? text.length : feed + 1;
          break;
        }
      }
      if (next === -1) {
        end = text.length;
        break;
      }
      q = next;
    }
    const segment = text.slice(at, end);
    const record = quotedRecord(text, at, end, delimiter);
    if (record !== null) records.push({ record, line });
    // Not plain quoted fields: csv-parse reads it, and names its problem as it would in the whole file.
    else for (const parsed of parseWithCsvParse(segment, line, batch, delimiter, header, false) as string[][]) records.push({ record: parsed, line });
    line += lineBreaks(segment);
    at = end;
  }
  return records;
}

/** Thrown by csvRecords when the file itself is not CSV the importer can read. */
export class CsvFileProblem extends Error {
  constructor(readonly problem: RowProblem) {
    super(`line ${problem.line}: ${problem.reason}`);
  }
}

function headerProblem(header: string[]): string | null {
  // A column with no name is one a spreadsheet added after the last (Excel writes one for each column once formatted): its cells are checked to be empty, row by row.
  const named = header.filter((h) => h !== "");
  const unknown = named.filter((h) => !ALL_COLUMNS.includes(h));
  if (unknown.length > 0) {
    const one = unknown.length === 1;
    return `unknown column${one ? "" : "s"} ${unknown.map((u) => `"${u.slice(0, 60)}"`).join(", ")} in the header: delete ${one ? "it" : "them"}, or rename ${one ? "it" : "each"} to a column of the layout (listed on /staff/import and in the README)`;
  }
  const repeated = named.find((h, i) => named.indexOf(h) !== i);
  if (repeated) return `the column "${repeated}" appears twice in the header`;
  if (!header.includes("kind") || !header.includes("external_id")) return 'the header must name at least the columns "kind" and "external_id"';
  return null;
}

/**
 * The character that separates the fields, from the header line: a comma,
 * or where the header holds none, a semicolon (as spreadsheets write CSV in
 * much of Europe, where the comma is the decimal mark) or a tab.
 */
export function delimiterOf(text: string): "," | ";" | "\t" {
  // The first line that is not empty, after any byte-order mark.
  const start = text.search(/[^\uFEFF\r\n]/);
  if (start === -1) return ",";
  const end = text.slice(start).search(/[\r\n]/);
  const header = end === -1 ? text.slice(start) : text.slice(start, start + end);
  if (header.includes(",")) return ",";
  if (header.includes(";")) return ";";
  if (header.includes("\t")) return "\t";
  return ",";
}

/** A row of empty cells only (a spreadsheet writes ",,,," for a row once used): read as an empty line is. */
function isBlank(record: readonly string[]): boolean {
  for (const cell of record) if (cell.trim() !== "") return false;
  return true;
}

/** A row of the file: its fields, in the order of the header's columns (those with no name included), and the line it starts on. */
export type CsvRecord = { line: number; record: readonly string[] };

/**
 * Every row of the file after its header, in order, each as its fields in
 * the order of the header's columns and the line it starts on (no object is
 * made for its cells: an import reads every row of a million this way).
 * Quoted fields may hold commas, quotes and line breaks; a byte-order mark
 * is dropped; empty lines, and rows of empty cells only, are skipped; the
 * fields may be separated by semicolons or tabs instead of commas (see
 * delimiterOf). `onHeader` is given the header's column names (trimmed, in
 * lower case) once it is read, before the first row. Throws CsvFileProblem,
 * naming the line, when the file cannot be read as CSV.
 */
export function* csvRecords(
  source: CsvSource,
  options: { batchChars?: number; onlyCsvParse?: boolean } = {},
  onHeader?: (header: readonly string[]) => void,
): Generator<CsvRecord> {
  let header: string[] | null = null;
  let delimiter: string | null = null;
  // The columns with no name in the header (none, in most files), whose cells must be empty.
  let unnamed: number[] = [];
  for (const batch of batches(source, options.batchChars ?? BATCH_CHARS)) {
    delimiter ??= delimiterOf(batch.text);
    const records = parseBatch(batch, delimiter, header, options.onlyCsvParse ?? false);
    let start = 0;
    if (header === null) {
      const first = records[0];
      if (!first) continue;
      header = first.record.map((h) => h.trim().toLowerCase());
      const problem = headerProblem(header);
      if (problem) throw new CsvFileProblem({ line: 1, reason: problem });
      start = 1;
      unnamed = header.flatMap((column, i) => (column === "" ? [i] : []));
      onHeader?.(header);
    }
    for (let r = start; r < records.length; r++) {
      const parsed = records[r]!;
      const { record, line } = parsed;
      // Only a row whose first cell is empty can be all empty: the rest are not looked at again.
      if (record[0]!.length === 0 && isBlank(record)) continue;
      if (record.length !== header.length) {
        throw new CsvFileProblem({ line, reason: "this row has a different number of fields from the header" });
      }
      if (unnamed.length > 0) {
        const filled = unnamed.find((i) => record[i]!.trim() !== "");
        if (filled !== undefined) {
          throw new CsvFileProblem({
            line,
            reason: `column ${filled + 1} has no name in the header but holds a value on this line: give the column a name from the layout, or empty it`,
          });
        }
      }
      yield parsed;
    }
  }
  if (header === null) throw new CsvFileProblem({ line: 1, reason: EMPTY_FILE });
}

/** The header's column names from the start of the file, for a problem found before the header was read (null when it cannot be). */
function headerOf(text: string, delimiter: string): string[] | null {
  const end = text.search(/[\r\n]/);
  try {
    const [first] = parse(end === -1 ? text : text.slice(0, end), { bom: true, delimiter, relax_column_count: true }) as string[][];
    return first?.map((h) => h.trim().toLowerCase()) ?? null;
  } catch {
    return null;
  }
}

/** How many records the file holds after its header, counted without parsing them (for progress). */
export function countRecords(source: CsvSource): number {
  let records = 0;
  let inQuotes = false;
  let empty = true;
  for (const chunk of source.chunks()) {
    // From one quote or line end to the next, each searched for with indexOf (not a character at a time), and
    // searched for again only once passed: quote, lf and cr are the next of each at or after i (-1: none left).
    let quote = -2;
    let lf = -2;
    let cr = -2;
    for (let i = 0; i < chunk.length; ) {
      if (quote !== -1 && quote < i) quote = chunk.indexOf('"', i);
      if (inQuotes) {
        if (quote === -1) break;
        inQuotes = false;
        i = quote + 1;
        continue;
      }
      if (lf !== -1 && lf < i) lf = chunk.indexOf("\n", i);
      if (cr !== -1 && cr < i) cr = chunk.indexOf("\r", i);
      let next = chunk.length;
      if (quote !== -1) next = quote;
      if (lf !== -1 && lf < next) next = lf;
      if (cr !== -1 && cr < next) next = cr;
      // Text before it, unless only byte-order marks, makes the line a record.
      for (let j = i; j < next && empty; j++) if (chunk.charCodeAt(j) !== 0xfeff) empty = false;
      if (next === chunk.length) break;
      if (next === quote) {
        inQuotes = true;
        empty = false;
      } else {
        if (!empty) records++;
        empty = true;
      }
      i = next + 1;
    }
  }
  if (!empty) records++;
  return Math.max(0, records - 1);
}
