/**
 * Staff sessions: each member sees and ends their own (/staff/account); an
 * admin sees everyone's and ends any, which goes on the staff record.
 */
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { sessions, staff, users } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { endOtherSessions, endSessionByHandle, idleTooLong, isSessionOf, liveSessionsOf, storedSessionToken, summaryOf, type SessionSummary } from "@/lib/auth/sessions";
import { countOf } from "@/lib/language/plural";
import { recordStaffEvent } from "./staff-record";

export type SessionEnd = { ok: true; message: string; endedCurrent: boolean } | { ok: false; message: string };

const GONE = "That session has already ended.";

/** The viewer's own live sessions, the one they are using first. */
export function ownSessions(db: Db, input: { email: string; now: Date; idleMs: number; currentToken: string | null }): SessionSummary[] {
  const live = liveSessionsOf(db, { email: input.email, now: input.now, idleMs: input.idleMs, currentToken: input.currentToken });
  return [...live.filter((s) => s.current), ...live.filter((s) => !s.current)];
}

/** A staff member ends one of their own sessions; ending the one in use signs this browser out. */
export function endOwnSession(db: Db, input: { email: string; handle: string; currentToken: string | null }): SessionEnd {
  return inTransaction(db, (tx): SessionEnd => {
    const ended = endSessionByHandle(tx, { email: input.email, handle: input.handle });
    if (!ended) return { ok: false, message: GONE };
    const endedCurrent = isSessionOf(ended.stored, input.currentToken);
    return { ok: true, endedCurrent, message: endedCurrent ? "This session has ended." : `The session on ${ended.device} has ended.` };
  });
}

/** A staff member ends every session of theirs but the one in use. */
export function endOwnOtherSessions(db: Db, input: { email: string; currentToken: string }): SessionEnd {
  return inTransaction(db, (tx): SessionEnd => {
    const ended = endOtherSessions(tx, { email: input.email, keepToken: input.currentToken });
    return { ok: true, endedCurrent: false, message: ended === 0 ? "You had no other session." : `Ended ${countOf(ended, "other session")}.` };
  });
}

export type TeamSession = SessionSummary & { email: string };

/** Every staff member's live sessions, by address, for an admin. */
export function teamSessions(db: Db, input: { now: Date; idleMs: number; currentToken: string | null }): TeamSession[] {
  const rows = db
    .select({ email: staff.email, stored: sessions.sessionToken, device: sessions.device, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(staff)
    .innerJoin(users, eq(users.email, staff.email))
    .innerJoin(sessions, and(eq(sessions.userId, users.id), gt(sessions.expires, input.now)))
    .orderBy(asc(staff.email))
    .all();
  const current = input.currentToken !== null ? storedSessionToken(input.currentToken) : null;
  return rows.filter((r) => !idleTooLong(r.lastSeenAt ?? r.createdAt, input.now, input.idleMs)).map((r) => ({ email: r.email, ...summaryOf(r, current) }));
}

/** An admin ends a staff member's session; the record names the admin, the member and the device. */
export function endStaffSession(db: Db, input: { adminEmail: string; email: string; handle: string; now: Date; currentToken: string | null }): SessionEnd {
  return inTransaction(db, (tx): SessionEnd => {
    const member = tx.select({ email: staff.email }).from(staff).where(eq(staff.email, input.email)).get();
    if (!member) return { ok: false, message: `${input.email} is not on the staff list.` };
    const ended = endSessionByHandle(tx, { email: input.email, handle: input.handle });
    if (!ended) return { ok: false, message: GONE };
    const endedCurrent = isSessionOf(ended.stored, input.currentToken);
    if (input.email !== input.adminEmail) {
      recordStaffEvent(tx, { at: input.now, by: input.adminEmail, subject: input.email, kind: "session_ended", note: `The session on ${ended.device}.` });
    }
    return { ok: true, endedCurrent, message: endedCurrent ? "This session has ended." : `${input.email}'s session on ${ended.device} has ended.` };
  });
}
