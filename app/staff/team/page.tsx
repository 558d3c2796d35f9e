import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listTeam } from "@/lib/staff/team-view";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { AddMemberForm } from "./add-member-form";
import { TeamTable } from "./team-table";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  // Admins only: for anyone else this is the same "not found" as a page that does not exist.
  const viewer = await requireStaff("/staff/team", ["admin"]);
  const members = listTeam(getDb(), { viewerEmail: viewer.email, timeZone: getSettings().timeZone });
  return (
    <>
      <h1>Team</h1>
      <p>
        Reviewers and admins work the request queue; admins also add, change and remove staff. Auditors (a trustee or an
        outside reviewer) see every request, its history and the reports, and change nothing. Removing someone ends their
        sessions at once. The team always keeps at least one admin.
      </p>
      <h2>Add a staff member</h2>
      <AddMemberForm />
      <h2>Current staff</h2>
      <TeamTable members={members} />
    </>
  );
}
