/**
 * What kind of file an import was given, from its bytes, before any of it is
 * read as CSV: a workbook, UTF-16 text, text that is not UTF-8. Said in the
 * same words by the upload page and by `npm run import`; nothing here reads
 * a file, so the upload form (in the browser too) can use it.
 */

/** A line of a file and what is wrong with it. */
export type RowProblem = { line: number; reason: string };

const LF = 10;
const CR = 13;

/** Why the file's bytes are not read as text, said the same way on /staff/import and by `npm run import`. */
export const NOT_UTF8 =
  "the file is not UTF-8 text: this line holds a character written in another encoding (as Excel's plain “CSV” writes accented letters). Save the file as “CSV UTF-8” and import it again";
export const UTF16 = "the file is UTF-16 text (as Excel's “Unicode Text” writes it), not UTF-8. Save the file as “CSV UTF-8” and import it again";
export const NOT_CSV =
  "this is not a CSV file but a spreadsheet or other binary file (renamed .csv?). Open it in your spreadsheet program, save it as “CSV UTF-8” and import that";

export const EMPTY_FILE = "the file is empty; the first line must be the header";

/** How much of a file's start fileKindProblem looks at. */
export const HEAD_BYTES = 4096;

const ZIP = [0x50, 0x4b, 0x03, 0x04]; // .xlsx, .ods and .numbers files are zip archives
const OLE = [0xd0, 0xcf, 0x11, 0xe0]; // the older .xls

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * What is wrong with a file that starts with `head` (its first bytes), before
 * any of it is read as UTF-8: a workbook or other binary file, or UTF-16
 * text (with a byte-order mark, or without: a NUL beside each ASCII letter).
 * Null when it may be UTF-8 text; whether it is, is found as it is read.
 */
export function fileKindProblem(head: Uint8Array): RowProblem | null {
  if (startsWith(head, ZIP) || startsWith(head, OLE)) return { line: 1, reason: NOT_CSV };
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return { line: 1, reason: UTF16 };
  const nul = head.subarray(0, HEAD_BYTES).indexOf(0);
  if (nul === -1) return null;
  return { line: 1, reason: nul < 2 && head[nul + 2] === 0 ? UTF16 : NOT_CSV };
}

/**
 * The line (counted as the CSV reader counts them) of the first bytes in
 * `chunks` that are not UTF-8. Only for a file already found not to be.
 */
export function lineOfFirstNonUtf8(chunks: Iterable<Uint8Array>): number {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let line = 1;
  let lastWasCr = false;
  for (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0xfffd) return line;
      if (c === CR || (c === LF && !lastWasCr)) line++;
      lastWasCr = c === CR;
    }
  }
  return line;
}
