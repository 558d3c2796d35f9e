import type { Metadata } from "next";
import { ActionButton } from "@/app/_components/action-button";
import { SessionsTable } from "@/app/_components/sessions-table";
import { sessionRowText } from "@/lib/staff/session-rows";
import { getDb } from "@/db/client";
import { ownSessions } from "@/lib/staff/staff-sessions";
import { countOf } from "@/lib/language/plural";
import { formatInstant } from "@/lib/calendar/format";
import { getSettings } from "@/server/settings";
import { getSessionToken, READING_ROLES, requireStaff } from "@/server/viewer";
import { PasskeyCeremony } from "@/app/_components/passkey-ceremony";
import { relyingPartyFor } from "@/lib/auth/webauthn";
import { listPasskeys, loadPasskeyPolicy } from "@/lib/staff/passkeys";
import { endOtherSessionsAction, endSessionAction, removePasskeyAction } from "./actions";
import { PasskeyList } from "./passkey-list";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  // Every staff member, auditors too: this is their own account.
  const viewer = await requireStaff("/staff/account", READING_ROLES);
  const { timeZone, staffIdleMinutes, appUrl, orgName } = getSettings();
  const db = getDb();
  const keys = listPasskeys(db, viewer.email);
  const required = loadPasskeyPolicy(db).passkeysRequired;
  const rp = relyingPartyFor(appUrl, orgName);
  const sessions = ownSessions(db, { email: viewer.email, now: new Date(), idleMs: staffIdleMinutes * 60_000, currentToken: await getSessionToken() });
  return (
    <>
      <h1>Your account</h1>
      <p className="muted">
        Signed in as {viewer.email} ({viewer.role}).
      </p>

      <h2 id="passkeys-heading">Passkeys</h2>
      <p>
        A passkey lives on this device, your phone or a security key. Once you have one, the emailed link alone no longer
        opens the dashboard: you are asked for a passkey too, so someone who reads your email cannot sign in as you.
        {required ? " Your organisation requires one of every staff member." : ""} Add more than one, in case you lose a device.
        If you lose them all, another admin can reset them.
      </p>
      <PasskeyList
        action={removePasskeyAction}
        keys={keys.map((k) => ({ id: k.id, name: k.name, added: formatInstant(k.createdAt, timeZone), lastUsed: k.lastUsedAt ? formatInstant(k.lastUsedAt, timeZone) : null }))}
      />
      <h3>Add a passkey</h3>
      {rp.ok ? (
        <PasskeyCeremony mode="register" next={null} buttonLabel="Add a passkey" />
      ) : (
        <p className="notice warning">{rp.message}</p>
      )}

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
