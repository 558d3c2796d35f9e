import type { Metadata } from "next";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { loadApprovalPolicy } from "@/lib/org/approval-policy";
import { loadStatement } from "@/lib/org/statement";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { loadPasskeyPolicy } from "@/lib/staff/passkeys";
import { ApprovalForm } from "./approval-form";
import { PasskeyPolicyForm } from "./passkey-policy-form";
import { StatementForm } from "./statement-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  // Admins only: for anyone else this is the same "not found" as a page that does not exist.
  await requireStaff("/staff/settings", ["admin"]);
  const db = getDb();
  const { updatedAt, updatedBy, ...statement } = loadStatement(db);
  const policy = loadApprovalPolicy(db);
  const passkeyPolicy = loadPasskeyPolicy(db);
  const { timeZone } = getSettings();
  return (
    <>
      <h1>Settings</h1>
      <h2>Approving erasures</h2>
      <p>
        Approving an erasure deletes a supporter&apos;s records at once, and it cannot be undone. You can ask for a second pair of eyes: a
        different staff member must then approve too. Both approvals go on the request&apos;s record.
      </p>
      {policy.updatedAt && policy.updatedBy ? (
        <p className="muted">
          Last changed by {policy.updatedBy} on <Instant at={policy.updatedAt} timeZone={timeZone} />.
        </p>
      ) : null}
      <ApprovalForm needsTwo={policy.erasureNeedsTwoApprovals} />

      <h2>Passkeys for staff</h2>
      <p>
        Staff sign in with a link emailed to them, so anyone who controls a staff member&apos;s mailbox could open their account.
        A passkey (on a laptop, a phone or a security key) closes that door: once a member has one, the link alone no longer
        opens the dashboard. You can require one of everyone; add your own first, on Your account.
      </p>
      {passkeyPolicy.updatedAt && passkeyPolicy.updatedBy ? (
        <p className="muted">
          Last changed by {passkeyPolicy.updatedBy} on <Instant at={passkeyPolicy.updatedAt} timeZone={timeZone} />.
        </p>
      ) : null}
      <PasskeyPolicyForm required={passkeyPolicy.passkeysRequired} />

      <h2>Statement sent with every access export</h2>
      <p>
        Supporters who ask to see their data get this with it: why you hold their data, who receives it, how long you keep
        it, where it came from and their rights.
      </p>
      {updatedAt && updatedBy ? (
        <p className="muted">
          Last saved by {updatedBy} on <Instant at={updatedAt} timeZone={timeZone} />.
        </p>
      ) : (
        <p className="notice warning">
          This statement has not been saved yet: the text below is a starting point drawn from what nonprofits commonly say.
          Check every line against your own privacy policy, then save it.
        </p>
      )}
      <StatementForm statement={statement} />
    </>
  );
}
