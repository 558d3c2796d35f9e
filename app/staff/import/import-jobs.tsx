"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { ImportJobStatus } from "@/db/schema";
import type { StoredReport } from "@/lib/supporters/import/import-jobs";
import type { ImportProgress } from "@/lib/supporters/import/import-records";
import styles from "./import.module.css";
import { TableScroll } from "@/app/_components/table-scroll";

export type ImportJobItem = {
  id: number;
  filename: string;
  importedBy: string;
  status: ImportJobStatus;
  started: string;
  finished: string | null;
  /** "elsewhere": run by another process (`npm run import`), whose progress shows where it was started. */
  progress: ImportProgress | null | "elsewhere";
  report: StoredReport | null;
  /** Said under the kept lines: how to change a corrected value on purpose. */
  changeCorrected: string;
};

const REFRESH_MS = 1000;
const number = (n: number) => n.toLocaleString("en-GB");
const plural = (n: number, one: string, many: string) => `${number(n)} ${n === 1 ? one : many}`;

/** While an import runs, the page fetches its state again every second; no reload. */
function useRefreshWhile(active: boolean) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, router]);
}

function progressLabel(job: ImportJobItem): string {
  const { progress } = job;
  if (job.status === "queued") return "Waiting for the import before it to end…";
  if (progress === "elsewhere") return "Running on the server's command line; its progress shows there.";
  if (!progress) return "Reading the file…";
  const step = progress.phase === "checking" ? "Step 1 of 2, checking rows" : "Step 2 of 2, writing rows";
  return `${step}: ${number(progress.done)} of ${number(progress.total)}`;
}

function Progress({ job }: { job: ImportJobItem }) {
  return (
    <>
      <p>
        Imported by {job.importedBy} at {job.started}.{" "}
        Nothing is stored until every row has been checked and written.
      </p>
      <label htmlFor="import-progress" id="import-progress-label">
        {progressLabel(job)}
      </label>
      {job.progress && job.progress !== "elsewhere" ? (
        <progress id="import-progress" className={styles.progress} max={job.progress.total} value={job.progress.done}>
          {Math.floor((100 * job.progress.done) / Math.max(1, job.progress.total))}%
        </progress>
      ) : (
        <progress id="import-progress" className={styles.progress} />
      )}
    </>
  );
}

function Lines({ title, lines, total }: { title: string; lines: { line: number; reason: string }[]; total: number }) {
  if (lines.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <div className={styles.lines} tabIndex={0} role="region" aria-label={title}>
        <ul className="import-lines">
          {lines.map((p, i) => (
            <li key={`${p.line}-${i}`}>
              Line {p.line}: {p.reason}
            </li>
          ))}
          {total > lines.length ? <li>…and {number(total - lines.length)} more.</li> : null}
        </ul>
      </div>
    </>
  );
}

function outcomeSentence(job: ImportJobItem): string {
  const r = job.report;
  switch (job.status) {
    case "done":
      return `Imported ${job.filename}: ${plural(r?.rows ?? 0, "row", "rows")}.`;
    case "refused": {
      const problems = r?.totals.problems ?? 0;
      const rows = new Set(r?.problems.map((p) => p.line)).size;
      return `Nothing was imported from ${job.filename}: ${plural(problems, "problem", "problems")}${problems > (r?.problems.length ?? 0) ? "" : ` in ${plural(rows, "row", "rows")}`}. Fix ${problems === 1 ? "it" : "them"} and upload the whole file again.`;
    }
    case "failed":
      return `The import of ${job.filename} failed on our side and nothing of it was stored. Please try again; if it keeps happening, tell us error ${r?.errorId ?? "(no id)"}.`;
    case "interrupted":
      return `The import of ${job.filename} was interrupted when the server stopped. Nothing of it was stored (a file is written in one step); upload it again.`;
    default:
      return `Importing ${job.filename}…`;
  }
}

function Report({ job }: { job: ImportJobItem }) {
  const r = job.report;
  return (
    <>
      <p className="hint">
        Imported by {job.importedBy} at {job.started}
        {job.finished ? `; ended at ${job.finished}` : ""}.
      </p>
      {r?.counts ? (
        <dl className="facts">
          <dt>Created</dt>
          <dd>{number(r.counts.created)}</dd>
          <dt>Updated</dt>
          <dd>{number(r.counts.updated)}</dd>
          <dt>Unchanged</dt>
          <dd>{number(r.counts.unchanged)}</dd>
          <dt>Skipped</dt>
          <dd>{number(r.counts.skipped)}</dd>
        </dl>
      ) : null}
      {r ? (
        <>
          <Lines title="Problems" lines={r.problems} total={r.totals.problems} />
          <Lines title="Skipped rows" lines={r.skipped} total={r.totals.skipped} />
          <Lines title="Corrected values kept" lines={r.kept} total={r.totals.kept} />
          {r.kept.length > 0 ? <p>{job.changeCorrected}</p> : null}
          <Lines title="Subscriptions kept as the person chose" lines={r.choicesKept ?? []} total={r.totals.choicesKept ?? 0} />
        </>
      ) : null}
    </>
  );
}

const isActive = (job: ImportJobItem) => job.status === "queued" || job.status === "running";

function heading(job: ImportJobItem): string {
  switch (job.status) {
    case "queued":
      return `Waiting to import ${job.filename}`;
    case "running":
      return `Importing ${job.filename}`;
    case "done":
      return "Import complete";
    case "refused":
      return "Nothing was imported";
    case "interrupted":
      return "Import interrupted";
    default:
      return "Import failed";
  }
}

/**
 * The import this page follows: while it runs, that it is being imported and
 * how far it has got; once it has ended, how it ended, said once. The
 * sentence sits in one live region that stays in the page from start to end,
 * so its change is announced without a hidden copy of it.
 */
function FollowedJob({ job }: { job: ImportJobItem }) {
  const active = isActive(job);
  const tone = active ? "" : job.status === "done" ? " success" : " error";
  return (
    <section className={`notice${tone}`} aria-labelledby="import-followed">
      <h2 id="import-followed">{heading(job)}</h2>
      <p role="status">
        {active ? `${job.filename} is being imported. Its progress shows below; you can leave this page and come back.` : outcomeSentence(job)}
      </p>
      {active ? <Progress job={job} /> : <Report job={job} />}
    </section>
  );
}

const STATUS_WORDS: Record<ImportJobStatus, string> = {
  queued: "waiting to start",
  running: "importing",
  done: "imported",
  refused: "refused: nothing imported",
  failed: "failed: nothing imported",
  interrupted: "interrupted: nothing imported",
};

/** The import this page follows, with its progress or its report, then the recent ones. */
export function ImportJobs({ jobs, followed }: { jobs: ImportJobItem[]; followed: number | null }) {
  useRefreshWhile(jobs.some(isActive));
  const job = jobs.find((j) => j.id === followed) ?? jobs.find((j) => j.status === "running") ?? jobs[0];
  return (
    <>
      {job ? <FollowedJob job={job} /> : null}
      {jobs.length > 0 ? (
        <>
          <h2 id="recent-imports">Recent imports</h2>
          <TableScroll labelledBy="recent-imports">
            <table>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Imported by</th>
                  <th scope="col">Started</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <tr key={job.id}>
                    <td>{job.filename}</td>
                    <td>{job.importedBy}</td>
                    <td>{job.started}</td>
                    <td>
                      {STATUS_WORDS[job.status]}
                      {job.status === "done" && job.report?.counts
                        ? `: ${number(job.report.counts.created)} created, ${number(job.report.counts.updated)} updated, ${number(job.report.counts.unchanged)} unchanged, ${number(job.report.counts.skipped)} skipped`
                        : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      ) : null}
    </>
  );
}
