/**
 * The team page's forms, checked field by field. The member's address in the
 * role and remove forms is a hidden field, so an error there is about a
 * tampered or stale page, not something the admin typed.
 */
import { z } from "zod";
import { STAFF_ROLES, type StaffRole } from "@/db/schema";
import { emailAddress, fieldErrorsOf, type FieldErrors } from "@/lib/forms/fields";

export type TeamFormResult<T> = { ok: true; value: T } | { ok: false; fieldErrors: FieldErrors };

const email = emailAddress("The staff member's email address", { required: "Enter the staff member's email address." }).refine(
  (value): value is string => value !== undefined,
  { message: "Enter the staff member's email address." },
);
const role = z.enum(STAFF_ROLES, { error: "Choose a role: admin, reviewer or auditor." });

const memberWithRole = z.object({ email, role });
const member = z.object({ email });

function parse<T>(schema: z.ZodType<T>, input: Record<string, string>): TeamFormResult<T> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}

/** An address and a role: adding a member, or changing one's role. */
export function parseMemberRoleForm(input: Record<string, string>): TeamFormResult<{ email: string; role: StaffRole }> {
  return parse(memberWithRole, input);
}

/** Just the address: removing a member. */
export function parseMemberForm(input: Record<string, string>): TeamFormResult<{ email: string }> {
  return parse(member, input);
}
