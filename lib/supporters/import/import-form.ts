/** The upload form on /staff/import: the chosen file, counted in its own bytes. */
import type { FieldErrors } from "@/lib/forms/fields";
import { strictUtf8 } from "@/lib/http/decode";
import { EMPTY_FILE, fileKindProblem, lineOfFirstNonUtf8, NOT_UTF8, type RowProblem } from "./file-kind";

export type ImportForm = { file: File; filename: string };

export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

export const TOO_LARGE = "The file is larger than 8 MB; split it, or use npm run import on the server.";

/** A problem of the file as a whole, as the import's report says it: "Line 3: …". */
const asFieldError = (problem: RowProblem): FieldErrors => ({ file: `Line ${problem.line}: ${problem.reason}.` });

/** The file as sent: its size is its own bytes, whatever line ends it uses (a text field's would be re-encoded). */
export function parseImportForm(_input: Record<string, string>, _viewer: unknown, files: Record<string, File>): { ok: true; value: ImportForm } | { ok: false; fieldErrors: FieldErrors } {
  const file = files.file;
  // A form sent with no file chosen holds a nameless empty file; a chosen file that is empty is said to be, as the command says it.
  if (!file || (file.size === 0 && file.name === "")) return { ok: false, fieldErrors: { file: "Choose a CSV file to import." } };
  if (file.size === 0) return { ok: false, fieldErrors: asFieldError({ line: 1, reason: EMPTY_FILE }) };
  if (file.size > MAX_IMPORT_BYTES) return { ok: false, fieldErrors: { file: TOO_LARGE } };
  return { ok: true, value: { file, filename: importFilename(file.name) } };
}

/**
 * A file's name as the import records it (on the job, and as the source
 * supporters see in their export: "import: Adhérents 2025.csv"), the same
 * for an upload and `npm run import`: letters and digits of any language,
 * spaces, dots, dashes and brackets kept, anything else (slashes, control
 * and direction characters) made "_". Never used as a path.
 */
export function importFilename(name: string): string {
  return name.normalize("NFC").replace(/[^\p{L}\p{M}\p{N}.\-_ ()]/gu, "_").trim().slice(0, 100) || "upload.csv";
}

/**
 * The file's bytes as text, or why they are not, in the words and with the
 * line `npm run import` gives for the same file: the layout is UTF-8 (a
 * byte-order mark is fine).
 */
export function decodeImportFile(bytes: Uint8Array): { ok: true; text: string } | { ok: false; fieldErrors: FieldErrors } {
  const kind = fileKindProblem(bytes);
  if (kind) return { ok: false, fieldErrors: asFieldError(kind) };
  const text = strictUtf8(bytes, { keepBom: true });
  if (text === null) return { ok: false, fieldErrors: asFieldError({ line: lineOfFirstNonUtf8([bytes]), reason: NOT_UTF8 }) };
  return { ok: true, text };
}
