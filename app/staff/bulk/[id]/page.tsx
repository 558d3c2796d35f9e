import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { notFound } from "next/navigation";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { bulkJobView, bulkSummary } from "@/lib/queue/bulk-actions";
import { getSettings } from "@/server/settings";
import { READING_ROLES, requireStaff } from "@/server/viewer";
import { RefreshWhileRunning } from "../refresh-while-running";

export const metadata: Metadata = { title: "Action on several requests" };

const STATUS_WORDS = { queued: "Waiting to start", running: "Under way", done: "Finished" } as const;

/** One bulk action: its progress while it runs, then what moved and what was left as it was, and why. */
export default async function BulkJobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Auditors read the record of what was done, like any request's history.
  await requireStaff(`/staff/bulk/${encodeURIComponent(id)}`, READING_ROLES);
  const jobId = /^\d{1,12}$/.test(id) ? Number(id) : null;
  const job = jobId === null ? null : bulkJobView(getDb(), jobId);
  if (!job) notFound();
  const { timeZone } = getSettings();
  const running = job.status !== "done";
  return (
    <>
      <p>
        <Link href="/staff">← Queue</Link> · <Link href="/staff/bulk">All actions on several requests</Link>
      </p>
      <h1>
        {job.actionLabel} <span className="muted">{job.total.toLocaleString("en-GB")} requests</span>
      </h1>
      <RefreshWhileRunning running={running} />
      <dl className="facts">
        <dt>Started by</dt>
        <dd>
          {job.startedBy} on <Instant at={job.createdAt} timeZone={timeZone} />
        </dd>
        {job.given ? (
          <>
            <dt>Given</dt>
            <dd>{job.given}</dd>
          </>
        ) : null}
        <dt>Progress</dt>
        <dd>
          {STATUS_WORDS[job.status]}
          {job.finishedAt ? (
            <>
              {" "}
              on <Instant at={job.finishedAt} timeZone={timeZone} />
            </>
          ) : null}
          .
        </dd>
      </dl>
      <div role="status">
        <p>{bulkSummary(job)}</p>
      </div>
      <label htmlFor="bulk-progress">
        {job.done.toLocaleString("en-GB")} of {job.total.toLocaleString("en-GB")} dealt with
      </label>
      <progress id="bulk-progress" max={job.total} value={job.done}>
        {Math.floor((100 * job.done) / Math.max(1, job.total))}%
      </progress>
      {running ? <p className="hint">Each request is carried out on its own, with its own email. This goes on if the server restarts; you can leave this page.</p> : null}

      {job.unchangedCount > 0 ? (
        <section aria-labelledby="unchanged-heading">
          <h2 id="unchanged-heading">Left as they were ({job.unchangedCount.toLocaleString("en-GB")})</h2>
          <ul>
            {job.unchanged.map((u) => (
              <li key={u.reference}>
                <Link href={`/staff/requests/${u.reference}`}>{u.reference}</Link>: {u.message}
              </li>
            ))}
          </ul>
          {job.unchangedCount > job.unchanged.length ? <p className="muted">And {(job.unchangedCount - job.unchanged.length).toLocaleString("en-GB")} more.</p> : null}
        </section>
      ) : null}
      {job.notes.length > 0 ? (
        <section aria-labelledby="notes-heading">
          <h2 id="notes-heading">To note</h2>
          <ul>
            {job.notes.map((n) => (
              <li key={n.reference}>
                <Link href={`/staff/requests/${n.reference}`}>{n.reference}</Link>: {n.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
