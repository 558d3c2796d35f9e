import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { SessionsTable } from "@/app/_components/sessions-table";
import { sessionRowText } from "@/lib/staff/session-rows";
import { Instant } from "@/app/_components/dates";
import { latestStaffEvents } from "@/lib/staff/staff-record";
import { teamSessions } from "@/lib/staff/staff-sessions";
import { listTeam } from "@/lib/staff/team-view";
import { noticeSettingProblem } from "@/lib/requests/intake/new-request-notice";
import { getSettings } from "@/server/settings";
import { getSessionToken, requireStaff } from "@/server/viewer";
import { endMemberSessionAction } from "./actions";
import { AddMemberForm } from "./add-member-form";
import { TeamTable } from "./team-table";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  // Admins only: for anyone else this is the same "not found" as a page that does not exist.
  const viewer = await requireStaff("/staff/team", ["admin"]);
  const { timeZone, staffIdleMinutes, newRequestNotice } = getSettings();
  const db = getDb();
  const noticeProblem = noticeSettingProblem(db, newRequestNotice);
  const members = listTeam(db, { viewerEmail: viewer.email, timeZone });
  const sessions = teamSessions(db, { now: new Date(), idleMs: staffIdleMinutes * 60_000, currentToken: await getSessionToken() });
  const record = latestStaffEvents(db);
  return (
    <>
      <h1>Team</h1>
      {noticeProblem ? (
        <p className="notice warning" role="note">
          {noticeProblem}
        </p>
      ) : null}
      <p>
        Reviewers and admins work the request queue; admins also add, change and remove staff. Auditors (a trustee or an
        outside reviewer) see every request, its history and the reports, and change nothing. Removing someone ends their
        sessions at once. The team always keeps at least one admin.
      </p>
      <h2>Add a staff member</h2>
      <AddMemberForm />
      <h2>Current staff</h2>
      <TeamTable members={members} />

      <h2 id="team-sessions-heading">Who is signed in</h2>
      <p>Every staff session still open. Ending one signs that device out at once; ending someone else&apos;s goes on the record below.</p>
      {sessions.length === 0 ? (
        <p>Nobody is signed in.</p>
      ) : (
        <SessionsTable
          rows={sessions.map((s) => sessionRowText(s, timeZone))}
          action={endMemberSessionAction}
          caption="Open staff sessions, by email address"
          labelledBy="team-sessions-heading"
        />
      )}

      <h2 id="staff-record-heading">Staff record</h2>
      <p>Changes to the staff list and to staff accounts, newest first (the latest 50).</p>
      {record.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <ol className="history" aria-labelledby="staff-record-heading">
          {record.map((e, i) => (
            <li key={i}>
              {/* The note is a sentence of its own ("From admin to reviewer."), so the entry's own sentence ends before it. */}
              <Instant at={e.at} timeZone={timeZone} />: <strong>{e.what}</strong>, {e.subject}, by {e.by}.
              {e.note ? <span className="muted"> {e.note}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
