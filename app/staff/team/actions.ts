"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { Viewer } from "@/lib/auth/load-viewer";
import { addStaffMember, changeStaffRole, removeStaffMember, type StaffResult } from "@/lib/staff/staff-members";
import { resetPasskeys } from "@/lib/staff/passkeys";
import { parseMemberSessionForm } from "@/lib/staff/session-forms";
import { endStaffSession } from "@/lib/staff/staff-sessions";
import { parseMemberForm, parseMemberRoleForm } from "@/lib/staff/team-forms";
import { formAction, type ActionState } from "@/server/action";
import { getPortalContext, sessionCookieName } from "@/server/settings";
import { kickWorker } from "@/server/worker";
import { getSessionToken } from "@/server/viewer";

// Every action here is for admins only, checked by formAction on each call:
// the page being a 404 for reviewers does not stop a forged POST.

/** After a change to the admin's own entry: a reviewer can no longer see this page. */
function afterOwnRoleChange(viewer: Viewer, email: string, role: string): void {
  if (email === viewer.email && role !== "admin") redirect("/staff");
}

function answer(result: StaffResult, values?: Record<string, string>): ActionState {
  revalidatePath("/staff/team");
  return result.ok ? { ok: true, message: result.message } : { ok: false, message: result.message, values };
}

export const addMember = formAction(
  { access: "admin", parse: (input) => parseMemberRoleForm(input) },
  ({ email, role }, viewer) => {
    // Someone already listed is refused here: a role changes only with the buttons in the member's row.
    const result = addStaffMember(getDb(), { email, role, now: new Date(), by: viewer.email, ifListed: "refuse" });
    if (result.ok) return answer(result);
    revalidatePath("/staff/team");
    return { ok: false, message: result.message, fieldErrors: { email: result.message }, values: { email, role } };
  },
);

export const changeMemberRole = formAction(
  { access: "admin", parse: (input) => parseMemberRoleForm(input) },
  ({ email, role }, viewer) => {
    const result = changeStaffRole(getDb(), { email, role, now: new Date(), by: viewer.email });
    if (result.ok) afterOwnRoleChange(viewer, email, role);
    return answer(result);
  },
);

export const removeMember = formAction(
  { access: "admin", parse: (input) => parseMemberForm(input) },
  async ({ email }, viewer) => {
    const result = removeStaffMember(getDb(), { email, now: new Date(), by: viewer.email });
    if (result.ok && email === viewer.email) {
      // Their sessions are already gone with their entry; the cookie goes too, so this browser is plainly signed out.
      (await cookies()).delete(sessionCookieName());
      redirect("/");
    }
    return answer(result);
  },
);

/** An admin ends a staff member's session (their own included); ending someone else's goes on the staff record. */
export const endMemberSessionAction = formAction(
  { access: "admin", parse: (input) => parseMemberSessionForm(input) },
  async ({ email, handle }, viewer) => {
    const result = endStaffSession(getDb(), { adminEmail: viewer.email, email, handle, now: new Date(), currentToken: await getSessionToken() });
    if (result.ok && result.endedCurrent) {
      (await cookies()).delete(sessionCookieName());
      redirect("/signin");
    }
    revalidatePath("/staff/team");
    return { ok: result.ok, message: result.message };
  },
);

/**
 * An admin removes every passkey of another member who lost theirs: their
 * sessions end, it goes on the staff record and they are emailed. Nobody
 * resets their own (resetPasskeys refuses it).
 */
export const resetPasskeysAction = formAction(
  { access: "admin", parse: (input) => parseMemberForm(input) },
  ({ email }, viewer) => {
    const result = resetPasskeys(getDb(), { by: viewer.email, email, now: new Date(), ctx: getPortalContext() });
    if (result.ok) kickWorker();
    return answer(result);
  },
);
