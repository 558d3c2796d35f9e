/**
 * Starts each uploaded import in a process of its own (scripts/import-job.ts)
 * and keeps the progress it reports, for the import page to show. The
 * records and the job's end commit together in that process, so if it (or
 * this server) dies, nothing of the file is written and the job is reported
 * as interrupted.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/connection";
import { claimNextImport, failImportJob, IMPORT_NODE_FLAGS, markInterruptedImports, setJobRunner } from "@/lib/supporters/import/import-jobs";
import type { ImportProgress } from "@/lib/supporters/import/import-records";

// Kept on globalThis: the page and the action that read and write these are bundled separately.
const shared = globalThis as typeof globalThis & { __rightsdeskImportProgress?: Map<number, ImportProgress>; __rightsdeskImportsHere?: Set<number> };

/** The latest progress of each job this server runs. */
function progressByJob(): Map<number, ImportProgress> {
  shared.__rightsdeskImportProgress ??= new Map();
  return shared.__rightsdeskImportProgress;
}

/** The jobs whose process this server started and that have not ended. */
function runningHere(): Set<number> {
  shared.__rightsdeskImportsHere ??= new Set();
  return shared.__rightsdeskImportsHere;
}

/**
 * The latest progress a job this server runs reported (null before its
 * first report), or "elsewhere" for one run by another process, such as
 * `npm run import`, whose progress shows where it was started.
 */
export function importProgress(jobId: number): ImportProgress | null | "elsewhere" {
  if (!runningHere().has(jobId)) return "elsewhere";
  return progressByJob().get(jobId) ?? null;
}

function parseProgress(line: string): ImportProgress | null {
  try {
    const value = JSON.parse(line) as Partial<ImportProgress>;
    if ((value.phase === "checking" || value.phase === "writing") && Number.isSafeInteger(value.done) && Number.isSafeInteger(value.total)) {
      return { phase: value.phase, done: value.done!, total: value.total! };
    }
  } catch {
    // Not a progress line.
  }
  return null;
}

/**
 * Starts the next queued import in a process of its own, unless one is
 * running; when it ends, the next. Returns at once.
 */
export function runQueuedImports(db: Db): void {
  let jobId: number | null;
  try {
    jobId = claimNextImport(db, { now: new Date() });
  } catch (error) {
    console.error("[import] could not look for imports to run", error);
    return;
  }
  if (jobId !== null) startRunner(db, jobId);
}

function startRunner(db: Db, jobId: number): void {
  const root = process.cwd();
  runningHere().add(jobId);
  const child = spawn(process.execPath, [...IMPORT_NODE_FLAGS, path.join(root, "scripts", "import-job.ts"), String(jobId)], {
    cwd: root,
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const fail = (error: unknown) => {
    const id = randomUUID().slice(0, 8);
    console.error(`[import] [error ${id}] could not start import job ${jobId}`, error);
    failImportJob(db, jobId, { errorId: id, now: new Date() });
  };
  child.once("error", (error) => {
    runningHere().delete(jobId);
    fail(error);
    runQueuedImports(db);
  });
  if (child.pid === undefined) return;
  setJobRunner(db, jobId, child.pid);
  const progress = progressByJob();
  createInterface({ input: child.stdout }).on("line", (line) => {
    const reported = parseProgress(line);
    if (reported) progress.set(jobId, reported);
  });
  child.once("exit", () => {
    progress.delete(jobId);
    runningHere().delete(jobId);
    runQueuedImports(db);
  });
}

/** When the server starts: a job whose process is gone was interrupted; those still queued get their turn. */
export function recoverImports(db: Db): void {
  const interrupted = markInterruptedImports(db, { now: new Date() });
  if (interrupted > 0) console.log(`[import] ${interrupted} import${interrupted === 1 ? " was" : "s were"} interrupted when the server stopped; nothing of ${interrupted === 1 ? "it" : "them"} was written`);
  runQueuedImports(db);
}
