/** The upload form on /staff/import: the chosen file, counted in its own bytes. */
import type { FieldErrors } from "@/lib/forms/fields";
import { strictUtf8 } from "@/lib/http/decode";

export type ImportForm = { file: File; filename: string };

export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

export const TOO_LARGE = "The file is larger than 8 MB; split it, or use npm run import on the server.";

/** The file as sent: its size is its own bytes, whatever line ends it uses (a text field's would be re-encoded). */
export function parseImportForm(_input: Record<string, string>, _viewer: unknown, files: Record<string, File>): { ok: true; value: ImportForm } | { ok: false; fieldErrors: FieldErrors } {
  const file = files.file;
  if (!file || file.size === 0) return { ok: false, fieldErrors: { file: "Choose a CSV file to import." } };
  if (file.size > MAX_IMPORT_BYTES) return { ok: false, fieldErrors: { file: TOO_LARGE } };
  // Only for the report and the records' source; never used as a path.
  const filename = file.name.replace(/[^\w.\- ]/g, "_").trim().slice(0, 100) || "upload.csv";
  return { ok: true, value: { file, filename } };
}

/** The file's bytes as text, or why they are not: the layout is UTF-8 (a byte-order mark is fine). */
export function decodeImportFile(bytes: Uint8Array): { ok: true; text: string } | { ok: false; fieldErrors: FieldErrors } {
  const text = strictUtf8(bytes, { keepBom: true });
  if (text === null) return { ok: false, fieldErrors: { file: "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again." } };
  return { ok: true, text };
}
