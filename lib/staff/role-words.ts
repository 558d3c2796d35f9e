/** How each staff role is named and explained on the team page; no database here, so forms in the browser can use it. */
import type { StaffRole } from "@/db/schema";

const ROLE_LABELS: Record<StaffRole, string> = { admin: "Admin", reviewer: "Reviewer", auditor: "Auditor" };

/** What each role may do, in a few words. */
export const ROLE_EXPLANATIONS: Record<StaffRole, string> = {
  reviewer: "works the request queue",
  admin: "also manages the team and the settings",
  auditor: "sees every request, its history and the reports, and changes nothing",
};

export function staffRoleLabel(role: StaffRole): string {
  return ROLE_LABELS[role];
}
