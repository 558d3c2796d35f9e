import type { Metadata } from "next";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { loadStatement } from "@/lib/org/statement";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { StatementForm } from "./statement-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  // Admins only: for anyone else this is the same "not found" as a page that does not exist.
  await requireStaff("/staff/settings", ["admin"]);
  const { updatedAt, updatedBy, ...statement } = loadStatement(getDb());
  return (
    <>
      <h1>Settings</h1>
      <h2>Statement sent with every access export</h2>
      <p>
        Supporters who ask to see their data get this with it: why you hold their data, who receives it, how long you keep
        it, where it came from and their rights.
      </p>
      {updatedAt && updatedBy ? (
        <p className="muted">
          Last saved by {updatedBy} on <Instant at={updatedAt} timeZone={getSettings().timeZone} />.
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
