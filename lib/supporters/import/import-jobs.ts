/**
 * Imports as jobs: each upload (or `npm run import`) is a row saying who
 * started it and how it ended, carried out by a process of its own so the
 * web server never waits for it. One runs at a time. The records and the
 * job's end are written in one transaction, so a job whose process died is
 * known to have written nothing, and is reported as interrupted. The file is
 * read a batch of rows at a time, checked into a scratch file first
 * (./staging.ts), so a file of a million rows takes about the memory of a
 * small one.
 */
import os from "node:os";
import { and, asc, count, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { processIsAlive, type IsAlive } from "@/lib/process/owner";
import { importJobs, type ImportJob, type ImportJobStatus } from "@/db/schema";
import { checkCsv } from "./import-csv";
import { fileSource, textSource } from "./csv-source";
import { writeRecords, type ImportProgress, type ImportReport, type OutcomeCounts } from "./import-records";
import type { RowProblem } from "./parse-rows";

/**
 * The JavaScript heap limit of an import's process, in MB (`npm run import`
 * and the process the server starts for an upload). An import holds about
 * 40 MB at any time, whatever the file's size; without a limit V8 lets the
 * heap grow to several times that before collecting.
 */
export const IMPORT_HEAP_MB = 128;

/** The node flags an import's process is started with. */
export const IMPORT_NODE_FLAGS = [`--max-old-space-size=${IMPORT_HEAP_MB}`, "--import", "tsx"] as const;

/**
 * How much lower than the web server an import's process runs (its nice
 * value): on a machine of two cores, a million rows keep one core busy for
 * minutes, and the pages people wait for come first.
 */
export const IMPORT_NICENESS = 10;

/** Lowers this process's priority to IMPORT_NICENESS (never raises it); where that is not permitted, it runs as it is. */
export function lowerImportPriority(): void {
  try {
    if (os.getPriority() < IMPORT_NICENESS) os.setPriority(IMPORT_NICENESS);
  } catch {
    // Not permitted on this system: the import runs at the priority it was started with.
  }
}

/** What is stored of a finished job: the counts, and each line's problem or note (the first REPORT_LINES_KEPT). */
export type StoredReport = {
  rows: number;
  counts: OutcomeCounts | null;
  problems: RowProblem[];
  skipped: RowProblem[];
  kept: RowProblem[];
  /** Subscriptions kept as the person chose; absent from reports stored before choices were recorded. */
  choicesKept?: RowProblem[];
  /** How many lines there were in all, of each kind, before keeping the first REPORT_LINES_KEPT. */
  totals: { problems: number; skipped: number; kept: number; choicesKept?: number };
  /** For a failed job: the id the server log names the error by. */
  errorId?: string;
};

export const ACTIVE_STATUSES: readonly ImportJobStatus[] = ["queued", "running"];


function storedReport(report: ImportReport, rows: number): StoredReport {
  // The report keeps the first REPORT_LINES_KEPT lines of each kind already, and counts them all.
  return {
    rows,
    counts: report.ok ? report.counts : null,
    problems: report.ok ? [] : report.problems,
    skipped: report.ok ? report.skipped : [],
    kept: report.ok ? report.kept : [],
    choicesKept: report.ok ? report.choicesKept : [],
    totals: report.totals,
  };
}

/** A job whose status says it is under way but whose process is gone. */
function isStranded(job: Pick<ImportJob, "status" | "runnerPid">, isAlive: IsAlive): boolean {
  return ACTIVE_STATUSES.includes(job.status) && job.runnerPid !== null && !isAlive(job.runnerPid);
}

export type QueueResult = { ok: true; jobId: number } | { ok: false; message: string };

/** Uploads waiting their turn at most; each holds its file until it runs. */
export const MAX_QUEUED = 5;

function underWay(tx: Pick<Db, "select">, isAlive: IsAlive) {
  return tx
    .select()
    .from(importJobs)
    .where(inArray(importJobs.status, [...ACTIVE_STATUSES]))
    .orderBy(asc(importJobs.id))
    .all()
    .filter((job) => !isStranded(job, isAlive));
}

/**
 * Queues an upload. Imports run one at a time (two at once would only wait
 * for each other's write lock), so it starts when those before it end.
 */
export function queueImportJob(db: Db, input: { filename: string; importedBy: string; bytes: number; content: string; now: Date }): QueueResult {
  return inTransaction(
    db,
    (tx) => {
      const waiting = tx.select({ n: count() }).from(importJobs).where(eq(importJobs.status, "queued")).get()?.n ?? 0;
      if (waiting >= MAX_QUEUED) return { ok: false as const, message: `${waiting} imports are already waiting their turn. Try again when they have run.` };
      const job = tx
        .insert(importJobs)
        .values({ filename: input.filename, importedBy: input.importedBy, bytes: input.bytes, content: input.content, status: "queued", createdAt: input.now })
        .returning({ id: importJobs.id })
        .get();
      return { ok: true as const, jobId: job.id };
    },
  );
}

/**
 * Starts an import carried out by this very process (`npm run import`),
 * unless another is under way or waiting: it then says which.
 */
export function startImportHere(
  db: Db,
  input: { filename: string; importedBy: string; bytes: number; now: Date; isAlive?: IsAlive },
): QueueResult {
  const isAlive = input.isAlive ?? processIsAlive;
  return inTransaction(
    db,
    (tx) => {
      const other = underWay(tx, isAlive)[0];
      if (other) {
        return {
          ok: false as const,
          message: `Another import is ${other.status === "queued" ? "waiting to run" : "under way"} (${other.filename}, started by ${other.importedBy}). Wait until it ends, then try again.`,
        };
      }
      const job = tx
        .insert(importJobs)
        .values({ filename: input.filename, importedBy: input.importedBy, bytes: input.bytes, status: "running", runnerPid: process.pid, createdAt: input.now, startedAt: input.now })
        .returning({ id: importJobs.id })
        .get();
      return { ok: true as const, jobId: job.id };
    },
  );
}

/**
 * Takes the oldest queued job for a process about to be started, unless an
 * import is running; a running one whose process died is marked interrupted
 * on the way. Null when there is nothing to start now.
 */
export function claimNextImport(db: Db, input: { now: Date; isAlive?: IsAlive }): number | null {
  const isAlive = input.isAlive ?? processIsAlive;
  return inTransaction(
    db,
    (tx) => {
      for (const job of tx.select().from(importJobs).where(eq(importJobs.status, "running")).all()) {
        if (!isStranded(job, isAlive)) return null;
        tx.update(importJobs).set({ status: "interrupted", content: null, finishedAt: input.now }).where(eq(importJobs.id, job.id)).run();
      }
      const next = tx.select({ id: importJobs.id }).from(importJobs).where(eq(importJobs.status, "queued")).orderBy(asc(importJobs.id)).limit(1).get();
      if (!next) return null;
      tx.update(importJobs).set({ status: "running", startedAt: input.now, runnerPid: null }).where(eq(importJobs.id, next.id)).run();
      return next.id;
    },
  );
}

/** Names the process that carries a claimed job out, as soon as it exists. */
export function setJobRunner(db: Db, jobId: number, pid: number): void {
  db.update(importJobs).set({ runnerPid: pid }).where(and(eq(importJobs.id, jobId), eq(importJobs.status, "running"), isNull(importJobs.runnerPid))).run();
}

/** Ends a job that never got going (its process could not be started). */
export function failImportJob(db: Db, jobId: number, input: { errorId: string; now: Date }): void {
  const report: StoredReport = { rows: 0, counts: null, problems: [], skipped: [], kept: [], totals: { problems: 0, skipped: 0, kept: 0 }, errorId: input.errorId };
  db.update(importJobs)
    .set({ status: "failed", report, content: null, finishedAt: input.now })
    .where(and(eq(importJobs.id, jobId), inArray(importJobs.status, [...ACTIVE_STATUSES])))
    .run();
}

/**
 * Marks every running job whose process is gone as interrupted; run when the
 * server starts, when a running job without a process was claimed by a
 * server that stopped before it could start one. Queued jobs keep their turn.
 */
export function markInterruptedImports(db: Db, input: { now: Date; isAlive?: IsAlive }): number {
  const isAlive = input.isAlive ?? processIsAlive;
  const stranded = db
    .select({ id: importJobs.id, status: importJobs.status, runnerPid: importJobs.runnerPid })
    .from(importJobs)
    .where(inArray(importJobs.status, [...ACTIVE_STATUSES]))
    .all()
    .filter((job) => isStranded(job, isAlive) || (job.status === "running" && job.runnerPid === null));
  for (const job of stranded) {
    db.update(importJobs)
      .set({ status: "interrupted", content: null, finishedAt: input.now })
      .where(and(eq(importJobs.id, job.id), inArray(importJobs.status, [...ACTIVE_STATUSES])))
      .run();
  }
  return stranded.length;
}

export type RunOptions = {
  /** The installation's secret, which keys the suppression list. */
  secret: string;
  timeZone: string;
  now: () => Date;
  onProgress?: (progress: ImportProgress) => void;
  /** The file on disk, when it is not stored with the job (`npm run import`): read a batch at a time, never whole. */
  file?: string;
};

/**
 * Carries a job out in this process: checks every row, then writes them all
 * and ends the job in one transaction; or ends it refused, naming every
 * problem. Returns the report.
 */
export function runImportJob(db: Db, jobId: number, options: RunOptions): ImportReport {
  const job = db.select().from(importJobs).where(eq(importJobs.id, jobId)).get();
  if (!job || !ACTIVE_STATUSES.includes(job.status)) throw new Error(`Import job ${jobId} is not waiting to run.`);
  db.update(importJobs).set({ status: "running", runnerPid: process.pid, startedAt: job.startedAt ?? options.now() }).where(eq(importJobs.id, jobId)).run();
  const source = options.file !== undefined ? fileSource(options.file) : textSource(job.content ?? "");
  const refuse = (report: Extract<ImportReport, { ok: false }>, rows: number): ImportReport => {
    db.update(importJobs)
      .set({ status: "refused", report: storedReport(report, rows), content: null, finishedAt: options.now() })
      .where(eq(importJobs.id, jobId))
      .run();
    return report;
  };
  const checked = checkCsv(db, source, options);
  if (!checked.ok) return refuse(checked, 0);
  const { staging } = checked;
  let report: ImportReport;
  try {
    report = writeRecords(db, staging, {
    // Supporters see this in their access export: the file, never who uploaded it (that stays on the job).
    source: `import: ${job.filename}`,
    secret: options.secret,
    now: options.now(),
    timeZone: options.timeZone,
    onProgress: options.onProgress,
    onWritten: (tx, written) => {
      tx.update(importJobs)
        .set({ status: "done", report: storedReport(written, written.rows), content: null, finishedAt: options.now() })
        .where(eq(importJobs.id, jobId))
        .run();
      },
    });
  } finally {
    staging.close();
  }
  if (!report.ok) return refuse(report, staging.records);
  return report;
}

// --- what staff see ----------------------------------------------------------

export type ImportJobView = {
  id: number;
  filename: string;
  importedBy: string;
  /** Interrupted when its process is gone, even before the next start marks it so. */
  status: ImportJobStatus;
  bytes: number;
  createdAt: Date;
  finishedAt: Date | null;
  report: StoredReport | null;
};

/** The latest imports, newest first. */
export function listImportJobs(db: Db, input: { limit?: number; isAlive?: IsAlive } = {}): ImportJobView[] {
  const isAlive = input.isAlive ?? processIsAlive;
  return db
    .select({
      id: importJobs.id,
      filename: importJobs.filename,
      importedBy: importJobs.importedBy,
      status: importJobs.status,
      runnerPid: importJobs.runnerPid,
      bytes: importJobs.bytes,
      createdAt: importJobs.createdAt,
      finishedAt: importJobs.finishedAt,
      report: importJobs.report,
    })
    .from(importJobs)
    .orderBy(desc(importJobs.id))
    .limit(input.limit ?? 10)
    .all()
    .map(({ runnerPid, report, ...job }) => ({
      ...job,
      status: isStranded({ status: job.status, runnerPid }, isAlive) ? "interrupted" : job.status,
      report: (report as StoredReport | null) ?? null,
    }));
}
