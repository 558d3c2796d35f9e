/**
 * CSV as spreadsheets read it (RFC 4180: comma separated, CRLF line ends,
 * fields quoted when they hold a comma, quote or line break), made safe to
 * open: a text cell a spreadsheet would take for a formula is prefixed with
 * an apostrophe, so a supporter's note such as =HYPERLINK(...) stays text.
 */

export type CsvValue = string | number | boolean | Date | null | undefined;

// The characters that make Excel, LibreOffice and Google Sheets evaluate a cell (OWASP's list).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, escaped. Numbers are written as they are: a number is never a formula, and -3 must stay -3. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  return csvText(value instanceof Date ? value.toISOString() : value);
}

// Either of the two above, in one test: most fields need neither, and a file of a million rows has millions of fields.
const NEEDS_CARE = new RegExp(`${FORMULA_START.source}|${NEEDS_QUOTES.source}`);

/** One text field, escaped: the same as csvField for a string, for code that writes millions of them. */
export function csvText(value: string): string {
  if (!NEEDS_CARE.test(value)) return value;
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, with its line end. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

// Spreadsheets (Excel above all) read a file as UTF-8 only when it starts with this mark; without it
// a supporter called Zoë appears as ZoÃ«.
const BYTE_ORDER_MARK = "\uFEFF";

/**
 * A byte stream of records, pulled from `records` only as fast as the reader
 * takes them, so an export of any size holds about one chunk in memory.
 */
export function csvStream(records: Iterable<string>, options: { recordsPerChunk?: number } = {}): ReadableStream<Uint8Array> {
  const perChunk = options.recordsPerChunk ?? 500;
  const encoder = new TextEncoder();
  let iterator: Iterator<string> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(BYTE_ORDER_MARK));
    },
    pull(controller) {
      iterator ??= records[Symbol.iterator]();
      let chunk = "";
      for (let i = 0; i < perChunk; i++) {
        const next = iterator.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    cancel() {
      // The reader went away: let the generator finish its cleanup.
      iterator?.return?.();
    },
  });
}
