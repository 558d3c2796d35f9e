import type { Metadata } from "next";
import Link from "next/link";
import { DateOnly, DaysLeft, Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { decodeCursor, listQueue } from "@/lib/queue/list-queue";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";

export const metadata: Metadata = { title: "Staff queue" };

export default async function StaffQueuePage({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  const viewer = await requireStaff("/staff");
  const { after } = await searchParams;
  const { timeZone } = getSettings();
  const cursor = decodeCursor(after);
  const page = listQueue(getDb(), { after: cursor, now: new Date(), timeZone });
  return (
    <>
      <h1>Request queue</h1>
      <p className="muted">
        Signed in as {viewer.email} ({viewer.role}).
      </p>
      {page.rows.length === 0 ? (
        <p>{cursor ? "No older requests." : "No requests yet."}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>Requests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Email</th>
                <th scope="col">Received</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.reference}>
                  <td>
                    <Link href={`/staff/requests/${r.reference}`}>{r.reference}</Link>
                  </td>
                  <td>{r.typeLabel}</td>
                  <td>
                    <span className="status">{r.statusLabel}</span>
                  </td>
                  <td>{r.email}</td>
                  <td>
                    <Instant at={r.receivedAt} timeZone={timeZone} />
                  </td>
                  <td>
                    <DateOnly date={r.dueOn} />
                    {r.deadline ? (
                      <>
                        <br />
                        <DaysLeft deadline={r.deadline} />
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" style={{ display: "flex", gap: "1rem", marginTop: "1rem" }}>
        {cursor ? <Link href="/staff">Newest requests</Link> : null}
        {page.nextCursor ? <Link href={`/staff?after=${page.nextCursor}`}>Older requests</Link> : null}
      </nav>
    </>
  );
}
