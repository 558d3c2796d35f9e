/**
 * The record of the staff list and staff accounts (the `staff_events`
 * table): each entry says who did what to whose account, and when. Written
 * in the transaction of the change it records; never changed afterwards.
 */
import { desc } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { staffEvents, type StaffEventKind } from "@/db/schema";

/** How each kind of entry reads on the team page. */
export const STAFF_EVENT_WORDS: Record<StaffEventKind, string> = {
  member_added: "Added to the staff list",
  role_changed: "Role changed",
  member_removed: "Removed from the staff list",
  session_ended: "Session ended by an admin",
  passkey_added: "Passkey added",
  passkey_removed: "Passkey removed",
  passkeys_reset: "Passkeys reset by an admin",
  passkey_policy_changed: "Passkey rule for all staff changed",
};

export type StaffEventInput = {
  at: Date;
  /** The staff member who acted, or null for the command line on the server. */
  by: string | null;
  subject: string;
  kind: StaffEventKind;
  note?: string | null;
};

export function recordStaffEvent(tx: Executor, event: StaffEventInput): void {
  tx.insert(staffEvents).values({ at: event.at, actorEmail: event.by, subjectEmail: event.subject, kind: event.kind, note: event.note ?? null }).run();
}

export type StaffEventView = { at: Date; by: string; subject: string; what: string; note: string | null };

/** The latest entries, newest first. */
export function latestStaffEvents(db: Executor, limit = 50): StaffEventView[] {
  return db
    .select()
    .from(staffEvents)
    .orderBy(desc(staffEvents.id))
    .limit(limit)
    .all()
    .map((e) => ({ at: e.at, by: e.actorEmail ?? "the command line on the server", subject: e.subjectEmail, what: STAFF_EVENT_WORDS[e.kind] ?? e.kind, note: e.note }));
}
