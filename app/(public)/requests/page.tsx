import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { DateOnly, Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { ownValue } from "@/lib/http/own-value";
import { REQUEST_TYPES } from "@/db/schema";
import { isStaff } from "@/lib/auth/load-viewer";
import { checkSupporterLimitsNow } from "@/lib/requests/intake/supporter-limits";
import { listSupporterRequests } from "@/lib/requests/views/supporter-views";
import { getPortalContext, getSettings } from "@/server/settings";
import { requireSignedIn } from "@/server/viewer";

export const metadata: Metadata = { title: "Your requests" };

const NOTICES: Record<string, { tone: string; text: string }> = {
  "draft-missing": {
    tone: "warning",
    text: "We could not find that request to confirm. It may have been made with another email address. You can make it again below.",
  },
  "draft-expired": {
    tone: "warning",
    text: "That request was not confirmed within 24 hours, so it was deleted. Please make it again.",
  },
};

/** Why a confirmed draft was not filed: the limit as it stands now, for this supporter. */
function limitNotice(email: string, type: string | undefined): { tone: string; text: string } {
  const requestType = REQUEST_TYPES.find((t) => t === type);
  const ctx = getPortalContext();
  const check = requestType ? checkSupporterLimitsNow(getDb(), { email, type: requestType, now: new Date(), ctx }) : null;
  return check && !check.ok
    ? { tone: "warning", text: `We could not send that request. ${check.message}` }
    : { tone: "warning", text: "We could not send that request. You can make it again below." };
}

export default async function RequestsPage({ searchParams }: { searchParams: Promise<{ notice?: string; type?: string }> }) {
  const viewer = await requireSignedIn("/requests");
  const { notice, type } = await searchParams;
  const { timeZone } = getSettings();
  const requests = listSupporterRequests(getDb(), viewer.email);
  // Signing in lands here; staff with no requests of their own came for the queue, not for "You have no requests yet".
  if (isStaff(viewer) && requests.length === 0 && notice === undefined) redirect("/staff");
  const shown = notice === "limit" ? limitNotice(viewer.email, type) : ownValue(NOTICES, notice);
  return (
    <>
      <h1>Your requests</h1>
      {shown ? (
        <p className={`notice ${shown.tone}`} role="status">
          {shown.text}
        </p>
      ) : null}
      <p>
        Signed in as <strong>{viewer.email}</strong>. <Link href="/new">Make a new request</Link>
      </p>
      <p>
        <Link href="/requests/preferences">Choose which emails you get</Link>: every mailing list, on or off, list by list.
      </p>
      {requests.length === 0 ? (
        <p>You have no requests yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Your requests" tabIndex={0}>
          <table>
            <caption>Requests made with {viewer.email}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Received</th>
                <th scope="col">Answer due by</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.reference}>
                  <td>
                    <Link href={`/requests/${r.reference}`}>{r.reference}</Link>
                  </td>
                  <td>{r.typeLabel}</td>
                  <td>
                    <span className="status">{r.statusLabel}</span>
                  </td>
                  <td>
                    <Instant at={r.receivedAt} timeZone={timeZone} />
                  </td>
                  <td>{r.open ? <DateOnly date={r.dueOn} /> : <span className="muted">closed</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
