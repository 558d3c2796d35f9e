import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { sessions, staff, users, type StaffRole } from "@/db/schema";

export type ViewerRole = "supporter" | StaffRole;

/** Who is asking: a signed-in person, with their staff role if they are listed. */
export type Viewer = { userId: string; email: string; role: ViewerRole };

/** A viewer who is on the staff list. */
export type StaffViewer = Viewer & { role: StaffRole };

export function isStaff(viewer: Viewer | null): viewer is StaffViewer {
  return viewer !== null && viewer.role !== "supporter";
}

/**
 * Resolves a session cookie in one query. The staff role is read on every
 * request, so removing someone from the staff list takes effect at once.
 */
const viewerBySession = (db: Db) =>
  db
    .select({ userId: users.id, email: users.email, expires: sessions.expires, role: staff.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(staff, eq(staff.email, users.email))
    .where(eq(sessions.sessionToken, sql.placeholder("token")))
    .prepare();

export function loadViewer(db: Db, sessionToken: string, now: Date): Viewer | null {
  const row = preparedOnce(db, "viewerBySession", viewerBySession).get({ token: sessionToken });
  if (!row || !row.email || row.expires.getTime() <= now.getTime()) return null;
  return { userId: row.userId, email: row.email, role: row.role ?? "supporter" };
}
