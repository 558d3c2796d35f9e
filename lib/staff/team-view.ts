/** The team page's list: each member as the page shows them. */
import type { Db } from "@/db/connection";
import { STAFF_ROLES, type StaffRole } from "@/db/schema";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { calendarDateIn, type CalendarDate } from "@/lib/calendar/dates";
import { staffRoleLabel } from "./role-words";
import { passkeyCounts } from "./passkeys";
import { listStaffMembers } from "./staff-members";

export type TeamMemberView = {
  email: string;
  role: StaffRole;
  roleLabel: string;
  /** The roles they could be given instead of the one they have. */
  otherRoles: Array<{ role: StaffRole; label: string }>;
  addedOn: CalendarDate;
  /** The admin looking at the page: changing or removing themselves has consequences for them. */
  isYou: boolean;
  /** How many passkeys they have; another admin can reset them. */
  passkeys: number;
};


export function listTeam(db: Db, input: { viewerEmail: string; timeZone: string }): TeamMemberView[] {
  const you = normalizeEmail(input.viewerEmail);
  const keys = passkeyCounts(db);
  return listStaffMembers(db).map((m) => ({
    email: m.email,
    role: m.role,
    roleLabel: staffRoleLabel(m.role),
    otherRoles: STAFF_ROLES.filter((r) => r !== m.role).map((role) => ({ role, label: staffRoleLabel(role) })),
    addedOn: calendarDateIn(m.addedAt, input.timeZone),
    isYou: m.email === you,
    passkeys: keys.get(m.email) ?? 0,
  }));
}
