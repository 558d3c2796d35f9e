/** The team page's list: each member as the page shows them. */
import type { Db } from "@/db/connection";
import type { StaffRole } from "@/db/schema";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { calendarDateIn, type CalendarDate } from "@/lib/calendar/dates";
import { listStaffMembers } from "./staff-members";

export type TeamMemberView = {
  email: string;
  role: StaffRole;
  roleLabel: string;
  /** The role a one-click change would give them. */
  otherRole: StaffRole;
  addedOn: CalendarDate;
  /** The admin looking at the page: changing or removing themselves has consequences for them. */
  isYou: boolean;
};

const ROLE_LABELS: Record<StaffRole, string> = { admin: "Admin", reviewer: "Reviewer" };

export function staffRoleLabel(role: StaffRole): string {
  return ROLE_LABELS[role];
}

export function listTeam(db: Db, input: { viewerEmail: string; timeZone: string }): TeamMemberView[] {
  const you = normalizeEmail(input.viewerEmail);
  return listStaffMembers(db).map((m) => ({
    email: m.email,
    role: m.role,
    roleLabel: ROLE_LABELS[m.role],
    otherRole: m.role === "admin" ? "reviewer" : "admin",
    addedOn: calendarDateIn(m.addedAt, input.timeZone),
    isYou: m.email === you,
  }));
}
