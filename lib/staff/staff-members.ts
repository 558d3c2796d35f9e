/**
 * The staff list: who may open the dashboard, and as what. Used by the
 * command line and, later, by the team page.
 */
import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { sessions, staff, STAFF_ROLES, users, type StaffRole } from "@/db/schema";
import { normalizeEmail } from "@/lib/auth/email-address";
import { emailAddress } from "@/lib/forms/fields";

export type StaffMember = { email: string; role: StaffRole; addedAt: Date };

export type StaffResult = { ok: true; message: string } | { ok: false; message: string };

const staffEmail = emailAddress("The staff member's email address", { required: "Give the staff member's email address." });

export function parseStaffEmail(input: string | undefined): { ok: true; email: string } | { ok: false; message: string } {
  const parsed = staffEmail.safeParse(input);
  if (!parsed.success || parsed.data === undefined) {
    return { ok: false, message: parsed.success ? "Give the staff member's email address." : (parsed.error.issues[0]?.message ?? "Check the email address.") };
  }
  return { ok: true, email: parsed.data };
}

export function isStaffRole(value: string | undefined): value is StaffRole {
  return STAFF_ROLES.some((r) => r === value);
}

/** Adds a staff member, or changes the role of one already listed. */
export function addStaffMember(db: Db, input: { email: string; role: StaffRole; now: Date }): StaffResult {
  const email = normalizeEmail(input.email);
  const existing = db.select().from(staff).where(eq(staff.email, email)).get();
  if (existing) {
    if (existing.role === input.role) return { ok: true, message: `${email} is already ${input.role}.` };
    db.update(staff).set({ role: input.role }).where(eq(staff.id, existing.id)).run();
    return { ok: true, message: `${email} is now ${input.role} (was ${existing.role}).` };
  }
  db.insert(staff).values({ email, role: input.role, addedAt: input.now }).run();
  return { ok: true, message: `Added ${email} as ${input.role}. They sign in with an emailed link at /signin.` };
}

/** Removes a staff member and ends their sessions at once. */
export function removeStaffMember(db: Db, input: { email: string }): StaffResult {
  const email = normalizeEmail(input.email);
  return db.transaction((tx): StaffResult => {
    const removed = tx.delete(staff).where(eq(staff.email, email)).run().changes;
    if (removed === 0) return { ok: false, message: `${email} is not on the staff list.` };
    const userIds = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).all().map((u) => u.id);
    if (userIds.length > 0) tx.delete(sessions).where(inArray(sessions.userId, userIds)).run();
    return { ok: true, message: `Removed ${email}; any session they had has ended.` };
  });
}

export function listStaffMembers(db: Db): StaffMember[] {
  return db
    .select({ email: staff.email, role: staff.role, addedAt: staff.addedAt })
    .from(staff)
    .orderBy(asc(staff.email))
    .all();
}
