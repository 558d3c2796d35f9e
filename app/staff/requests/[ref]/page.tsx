import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DateOnly, DaysLeft, Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { getStaffRequest } from "@/lib/queue/staff-request-view";
import { parseReference } from "@/lib/requests/reference";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";

export const metadata: Metadata = { title: "Request" };

export default async function StaffRequestPage({ params }: { params: Promise<{ ref: string }> }) {
  const { ref } = await params;
  await requireStaff(`/staff/requests/${encodeURIComponent(ref)}`);
  const reference = parseReference(decodeURIComponent(ref));
  if (!reference) notFound();
  const { timeZone } = getSettings();
  const request = getStaffRequest(getDb(), { reference, timeZone, now: new Date() });
  if (!request) notFound();
  return (
    <>
      <p>
        <Link href="/staff">← Queue</Link>
      </p>
      <h1>
        {request.typeLabel} <span className="muted">{request.reference}</span>
      </h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className="status">{request.statusLabel}</span>
        </dd>
        <dt>Supporter</dt>
        <dd>
          {request.name ? `${request.name}, ` : ""}
          {request.email}
        </dd>
        <dt>Received</dt>
        <dd>
          <Instant at={request.receivedAt} timeZone={timeZone} /> ({request.channel === "web" ? "web form, email confirmed" : request.channel})
        </dd>
        <dt>Due</dt>
        <dd>
          <DateOnly date={request.dueOn} />
          {request.deadline ? (
            <>
              {" "}
              (<DaysLeft deadline={request.deadline} />)
            </>
          ) : null}
        </dd>
        {request.closedAt ? (
          <>
            <dt>Closed</dt>
            <dd>
              <Instant at={request.closedAt} timeZone={timeZone} />
            </dd>
          </>
        ) : null}
        {request.asked.map((item) => (
          <div key={item.label} style={{ display: "contents" }}>
            <dt>{item.label}</dt>
            <dd>{item.value}</dd>
          </div>
        ))}
      </dl>
      <h2>Timeline</h2>
      <ol className="history">
        {request.timeline.map((e, i) => (
          <li key={i}>
            <Instant at={e.at} timeZone={timeZone} />: {e.action}
            {e.fromStatus || e.toStatus ? ` (${e.fromStatus ?? "new"} → ${e.toStatus ?? "unchanged"})` : ""} by{" "}
            {e.actorEmail ?? e.actorType}
            {e.note ? <span className="muted">: {e.note}</span> : null}
          </li>
        ))}
      </ol>
    </>
  );
}
