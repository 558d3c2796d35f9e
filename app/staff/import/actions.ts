"use server";

import { getDb } from "@/db/client";
import type { Viewer } from "@/lib/auth/load-viewer";
import { importCsv } from "@/lib/supporters/import/import-csv";
import { parseImportForm, type ImportForm, type ImportState } from "@/lib/supporters/import/import-form";
import { formAction, type ActionState } from "@/server/action";
import { getSettings } from "@/server/settings";

// Admins only, checked on every call by formAction: the page being a 404 for
// reviewers does not stop a forged POST. A refused file is not sent back: it can be megabytes.
export const importAction = formAction<ImportForm, Viewer>({ access: "admin", parse: parseImportForm, keepsTyped: false }, ({ csv, filename }, viewer): ActionState => {
  const report = importCsv(getDb(), csv, {
    source: `upload: ${filename} by ${viewer.email}`,
    secret: getSettings().authSecret,
    now: new Date(),
  });
  const state: ImportState = report.ok
    ? {
        ok: true,
        message: `Imported ${filename}: ${report.rows} row${report.rows === 1 ? "" : "s"}.`,
        counts: report.counts,
        lines: report.skipped,
      }
    : {
        ok: false,
        message: `Nothing was imported from ${filename}: ${report.problems.length} row${report.problems.length === 1 ? " has a problem" : "s have problems"}. Fix ${report.problems.length === 1 ? "it" : "them"} and upload the whole file again.`,
        lines: report.problems,
      };
  return state;
});
