import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { sessions, staff, users, type SecondFactor, type StaffRole } from "@/db/schema";
import { idleTooLong, storedSessionToken } from "./sessions";

export type ViewerRole = "supporter" | StaffRole;

/**
 * Who is asking: a signed-in person, with their staff role if they are
 * listed. A staff member whose session still waits for its second factor
 * (`awaiting`) is a supporter until then: every check of a staff role refuses
 * them, and staff pages send them to /signin/passkey.
 */
export type Viewer = { userId: string; email: string; role: ViewerRole; awaiting?: SecondFactor };

/** A viewer who is on the staff list, in any role: they may read the dashboard. */
export type StaffViewer = Viewer & { role: StaffRole };

/** The roles that work requests: every staff role but the auditor's, which only reads. */
export type CaseworkRole = Exclude<StaffRole, "auditor">;
export const CASEWORK_ROLES: readonly CaseworkRole[] = ["admin", "reviewer"];

/** A staff member who may change requests: an admin or a reviewer. */
export type CaseworkerViewer = Viewer & { role: CaseworkRole };

export function isStaff(viewer: Viewer | null): viewer is StaffViewer {
  return viewer !== null && viewer.role !== "supporter";
}

/** Whether this staff role may change anything on a request; an auditor may not. */
export function worksRequests(role: ViewerRole): role is CaseworkRole {
  return (CASEWORK_ROLES as readonly ViewerRole[]).includes(role);
}

export function isCaseworker(viewer: Viewer | null): viewer is CaseworkerViewer {
  return viewer !== null && worksRequests(viewer.role);
}

/**
 * Resolves a session cookie in one query, by the stored form of its token
 * (never the token itself). The staff role is read on every
 * request, so removing someone from the staff list takes effect at once.
 */
const viewerBySession = (db: Db) =>
  db
    .select({
      userId: users.id,
      email: users.email,
      expires: sessions.expires,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      secondFactor: sessions.secondFactor,
      role: staff.role,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(staff, eq(staff.email, users.email))
    .where(eq(sessions.sessionToken, sql.placeholder("token")))
    .prepare();

/** How long a staff session may go unused before it ends (STAFF_IDLE_MINUTES); null: only the session's own expiry. */
export type SessionRules = { staffIdleMs: number | null };

const NO_IDLE_LIMIT: SessionRules = { staffIdleMs: null };

export type LoadedSession = { viewer: Viewer; lastSeenAt: Date | null };

/**
 * The session behind a cookie, if it is live: not expired, and for staff not
 * idle longer than the rules allow. An idle staff session has ended: the
 * cookie no longer signs anyone in, as a supporter or otherwise.
 */
export function loadSession(db: Db, sessionToken: string, now: Date, rules: SessionRules = NO_IDLE_LIMIT): LoadedSession | null {
  const row = preparedOnce(db, "viewerBySession", viewerBySession).get({ token: storedSessionToken(sessionToken) });
  if (!row || !row.email || row.expires.getTime() <= now.getTime()) return null;
  if (row.role && rules.staffIdleMs !== null && idleTooLong(row.lastSeenAt ?? row.createdAt, now, rules.staffIdleMs)) return null;
  if (row.role && row.secondFactor) {
    return { viewer: { userId: row.userId, email: row.email, role: "supporter", awaiting: row.secondFactor }, lastSeenAt: row.lastSeenAt };
  }
  return { viewer: { userId: row.userId, email: row.email, role: row.role ?? "supporter" }, lastSeenAt: row.lastSeenAt };
}

export function loadViewer(db: Db, sessionToken: string, now: Date, rules: SessionRules = NO_IDLE_LIMIT): Viewer | null {
  return loadSession(db, sessionToken, now, rules)?.viewer ?? null;
}
