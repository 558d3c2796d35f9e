import type { Metadata } from "next";
import { ActionButton } from "@/app/_components/action-button";
import { SessionsTable } from "@/app/_components/sessions-table";
import { sessionRowText } from "@/lib/staff/session-rows";
import { getDb } from "@/db/client";
import { ownSessions } from "@/lib/staff/staff-sessions";
import { countOf } from "@/lib/language/plural";
import { getSettings } from "@/server/settings";
import { getSessionToken, READING_ROLES, requireStaff } from "@/server/viewer";
import { endOtherSessionsAction, endSessionAction } from "./actions";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  // Every staff member, auditors too: this is their own account.
  const viewer = await requireStaff("/staff/account", READING_ROLES);
  const { timeZone, staffIdleMinutes } = getSettings();
  const sessions = ownSessions(getDb(), { email: viewer.email, now: new Date(), idleMs: staffIdleMinutes * 60_000, currentToken: await getSessionToken() });
  return (
    <>
      <h1>Your account</h1>
      <p className="muted">
        Signed in as {viewer.email} ({viewer.role}).
      </p>

      <h2 id="sessions-heading">Where you are signed in</h2>
      <p>
        Each time you follow a sign-in link, a new session starts on that device. A session you do not use for{" "}
        {countOf(staffIdleMinutes, "minute")} ends by itself; any session ends after 12 hours. If you do not recognise one,
        end it.
      </p>
      <SessionsTable
        rows={sessions.map((s) => sessionRowText(s, timeZone))}
        action={endSessionAction}
        caption="Your sessions, the one you are using first"
        labelledBy="sessions-heading"
      />
      {/* Always there, so its answer stays on the page after the other sessions have gone from the table. */}
      <ActionButton action={endOtherSessionsAction} fields={{ which: "others" }} label="End every other session" danger />
    </>
  );
}
