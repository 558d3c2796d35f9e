import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { bulkSummary, recentBulkJobs } from "@/lib/queue/bulk-actions";
import { getSettings } from "@/server/settings";
import { READING_ROLES, requireStaff } from "@/server/viewer";
import { RefreshWhileRunning } from "./refresh-while-running";

export const metadata: Metadata = { title: "Actions on several requests" };

/** The latest bulk actions: who started each, when, and how far it got. */
export default async function BulkJobsPage() {
  await requireStaff("/staff/bulk", READING_ROLES);
  const jobs = recentBulkJobs(getDb());
  const { timeZone } = getSettings();
  return (
    <>
      <p>
        <Link href="/staff">← Queue</Link>
      </p>
      <h1>Actions on several requests</h1>
      <p>The latest twenty, newest first. Start one from the queue: tick requests, or choose every request matching a filter.</p>
      <RefreshWhileRunning running={jobs.some((j) => j.status !== "done")} />
      {jobs.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ul>
          {jobs.map((j) => (
            <li key={j.id}>
              <Link href={`/staff/bulk/${j.id}`}>{j.actionLabel}</Link> by {j.startedBy} on <Instant at={j.createdAt} timeZone={timeZone} />: {bulkSummary(j)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
