"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { decodeImportFile, parseImportForm } from "@/lib/supporters/import/import-form";
import { queueImportJob } from "@/lib/supporters/import/import-jobs";
import { formAction, type ActionState } from "@/server/action";
import { runQueuedImports } from "@/server/import-runner";

// Admins only, checked on every call by formAction: the page being a 404 for
// reviewers does not stop a forged POST. A refused file is not sent back: it can be megabytes.
export const importAction = formAction({ access: "admin", parse: parseImportForm, keepsTyped: false }, async ({ file, filename }, viewer): Promise<ActionState> => {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const decoded = decodeImportFile(bytes);
  if (!decoded.ok) return { ok: false, message: "Please correct the errors below.", fieldErrors: decoded.fieldErrors };
  const db = getDb();
  // Who uploaded it is kept on the job, for staff; the records themselves name only the file.
  const job = queueImportJob(db, { filename, importedBy: viewer.email, bytes: bytes.byteLength, content: decoded.text, now: new Date() });
  if (!job.ok) return { ok: false, message: job.message };
  runQueuedImports(db);
  revalidatePath("/staff/import");
  // The form then follows this job (/staff/import?job=N): the page says it is being imported while it runs, then
  // how it ended. No message of the action's own, which would outlive the job it speaks of.
  return { ok: true, values: { job: String(job.jobId) } };
});
