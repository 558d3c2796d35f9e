/** The upload form on /staff/import: the file's text (read in the browser) and its name. */
import type { FieldErrors } from "@/lib/forms/fields";
import type { OutcomeCounts } from "./import-records";
import type { RowProblem } from "./parse-rows";

export type ImportForm = { csv: string; filename: string };

/** What the page shows after an upload: the counts, and each bad or skipped row by line. */
export type ImportState = {
  ok: boolean;
  message?: string;
  fieldErrors?: FieldErrors;
  values?: Record<string, string>;
  counts?: OutcomeCounts;
  lines?: RowProblem[];
};

// Under the 10 MB a request may carry through the proxy and the server action limit.
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

export function parseImportForm(input: Record<string, string>): { ok: true; value: ImportForm } | { ok: false; fieldErrors: FieldErrors } {
  const csv = input.csv ?? "";
  if (csv.trim() === "") return { ok: false, fieldErrors: { file: "Choose a CSV file to import." } };
  if (Buffer.byteLength(csv, "utf8") > MAX_IMPORT_BYTES) {
    return { ok: false, fieldErrors: { file: "The file is larger than 8 MB; split it, or use npm run import on the server." } };
  }
  // Only for the report and the records' source; never used as a path.
  const filename = (input.filename ?? "").replace(/[^\w.\- ]/g, "_").trim().slice(0, 100) || "upload.csv";
  return { ok: true, value: { csv, filename } };
}
