/**
 * The staff list: who may open the dashboard, and as what. Used by the
 * command line and by the team page. The list always keeps at least one
 * admin once it has one, or nobody could manage the team from the dashboard.
 */
import { and, asc, count, eq, inArray, ne } from "drizzle-orm";
import type { Db, Executor } from "@/db/connection";
import { sessions, staff, STAFF_ROLES, users, type Staff, type StaffRole } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { emailAddress } from "@/lib/forms/fields";
import { holdSessionsOfNewMember } from "@/lib/auth/second-factor";
import { recordStaffEvent } from "./staff-record";

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

export function lastAdminMessage(email: string): string {
  return `${email} is the only admin. Make another staff member an admin first, so someone can still manage the team.`;
}

/** Whether anyone other than `email` is an admin. */
function anotherAdminExists(tx: Executor, email: string): boolean {
  const row = tx.select({ n: count() }).from(staff).where(and(eq(staff.role, "admin"), ne(staff.email, email))).get();
  return (row?.n ?? 0) > 0;
}

/** Who made a change to the staff list, for its record: a staff member, or (null) the command line on the server. */
type ChangedBy = { by?: string | null; now?: Date };

function setRole(tx: Executor, member: Staff, role: StaffRole, change: ChangedBy): StaffResult {
  if (member.role === role) return { ok: true, message: `${member.email} is already ${role}.` };
  if (member.role === "admin" && !anotherAdminExists(tx, member.email)) return { ok: false, message: lastAdminMessage(member.email) };
  tx.update(staff).set({ role }).where(eq(staff.id, member.id)).run();
  recordStaffEvent(tx, { at: change.now ?? new Date(), by: change.by ?? null, subject: member.email, kind: "role_changed", note: `From ${member.role} to ${role}.` });
  return { ok: true, message: `${member.email} is now ${role} (was ${member.role}).` };
}

// Each change checks and writes in one transaction that holds the write lock from the start (db/transaction.ts),
// so two admins demoting each other at the same moment (from the dashboard and the command line) cannot both
// pass the last-admin check.

/** Why the team page's add form leaves someone already listed as they are: a role changes only by its own control. */
export function alreadyListedMessage(member: Pick<Staff, "email" | "role">): string {
  return `${member.email} is already on the staff list, as ${member.role}, so nothing was changed. To change their role, use the buttons in their row under "Current staff".`;
}

/**
 * Adds a staff member. Someone already listed: the command line's `add`
 * changes their role (it has no other way to), while the team page's add
 * form refuses (`ifListed: "refuse"`), so a mistyped or forgotten address
 * cannot change a colleague's role under the words "Add staff member".
 */
export function addStaffMember(
  db: Db,
  input: { email: string; role: StaffRole; now: Date; by?: string | null; ifListed?: "changeRole" | "refuse" },
): StaffResult {
  const email = normalizeEmail(input.email);
  return inTransaction(db, (tx): StaffResult => {
    const existing = tx.select().from(staff).where(eq(staff.email, email)).get();
    if (existing && input.ifListed === "refuse") return { ok: false, message: alreadyListedMessage(existing) };
    if (existing) return setRole(tx, existing, input.role, input);
    tx.insert(staff).values({ email, role: input.role, addedAt: input.now }).run();
    // Already signed in as a supporter: those sessions reach the dashboard only as a new sign-in would (a passkey first, where required).
    holdSessionsOfNewMember(tx, email);
    recordStaffEvent(tx, { at: input.now, by: input.by ?? null, subject: email, kind: "member_added", note: `As ${input.role}.` });
    return { ok: true, message: `Added ${email} as ${input.role}. They sign in with an emailed link at /signin.` };
  });
}

/** Changes the role of someone already listed; unlike adding, it never lists anyone new. */
export function changeStaffRole(db: Db, input: { email: string; role: StaffRole } & ChangedBy): StaffResult {
  const email = normalizeEmail(input.email);
  return inTransaction(db, (tx): StaffResult => {
    const existing = tx.select().from(staff).where(eq(staff.email, email)).get();
    if (!existing) return { ok: false, message: `${email} is not on the staff list.` };
    return setRole(tx, existing, input.role, input);
  });
}

/** Removes a staff member and ends their sessions at once; never the last admin. */
export function removeStaffMember(db: Db, input: { email: string } & ChangedBy): StaffResult {
  const email = normalizeEmail(input.email);
  return inTransaction(db, (tx): StaffResult => {
    const existing = tx.select({ role: staff.role }).from(staff).where(eq(staff.email, email)).get();
    if (!existing) return { ok: false, message: `${email} is not on the staff list.` };
    if (existing.role === "admin" && !anotherAdminExists(tx, email)) return { ok: false, message: lastAdminMessage(email) };
    tx.delete(staff).where(eq(staff.email, email)).run();
    const userIds = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).all().map((u) => u.id);
    if (userIds.length > 0) tx.delete(sessions).where(inArray(sessions.userId, userIds)).run();
    recordStaffEvent(tx, { at: input.now ?? new Date(), by: input.by ?? null, subject: email, kind: "member_removed", note: `Was ${existing.role}; every session ended.` });
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
