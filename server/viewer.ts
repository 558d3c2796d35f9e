import "server-only";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { unlessBusy } from "@/db/transaction";
import { STAFF_ROLES, type StaffRole } from "@/db/schema";
import { CASEWORK_ROLES, isStaff, loadSession, type CaseworkRole, type SessionRules, type StaffViewer, type Viewer } from "@/lib/auth/load-viewer";
import { touchDue, touchSession } from "@/lib/auth/sessions";
import { getSettings, sessionCookieName } from "./settings";

/** The session cookie's token, or null. */
export const getSessionToken = cache(async (): Promise<string | null> => (await cookies()).get(sessionCookieName())?.value ?? null);

/** The session rules from the settings: how long a staff session may sit unused. */
export function sessionRules(): SessionRules {
  return { staffIdleMs: getSettings().staffIdleMinutes * 60_000 };
}

/**
 * The signed-in person for this request, or null; looked up once per
 * request. A staff session's "last seen" moves forward as it is used (at
 * most once a minute), which is what its idle time is counted from.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const token = await getSessionToken();
  if (!token) return null;
  const rules = sessionRules();
  const now = new Date();
  const session = loadSession(getDb(), token, now, rules);
  if (session && isStaff(session.viewer) && touchDue(session.lastSeenAt, now, rules.staffIdleMs ?? Infinity)) {
    // Only if the database is free this moment: a page never waits for the write lock of a long import for
    // this note, and is not refused for it; a later request writes it.
    try {
      unlessBusy(getDb(), () => touchSession(getDb(), token, now));
    } catch (error) {
      console.error("[session] could not record a staff session's use", error instanceof Error ? error.message : error);
    }
  }
  return session?.viewer ?? null;
});

/** Where a staff member whose session waits for its second factor is sent, to come back to `returnTo`. */
export function secondFactorPath(returnTo: string): string {
  return `/signin/passkey?next=${encodeURIComponent(returnTo)}`;
}

/** For supporter pages: sends a visitor with no session to sign in. */
export async function requireSignedIn(returnTo: string): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/signin?next=${encodeURIComponent(returnTo)}`);
  return viewer;
}

/** The roles that may read the dashboard's pages of requests and reports: auditors too. */
export const READING_ROLES: readonly StaffRole[] = STAFF_ROLES;

/**
 * For staff pages: anyone who is not staff gets the same "not found" as for
 * a page that does not exist, so the dashboard's existence leaks nothing. A
 * page is for those who work requests unless it names the roles it admits
 * (READING_ROLES for a page an auditor may read).
 */
export async function requireStaff<R extends StaffRole = CaseworkRole>(returnTo: string, roles: readonly R[] = CASEWORK_ROLES as readonly R[]) {
  const viewer = await requireSignedIn(returnTo);
  // Signed in by the emailed link, but not yet by the passkey: the passkey first, then back here.
  if (viewer.awaiting) redirect(secondFactorPath(returnTo));
  if (!isStaff(viewer) || !(roles as readonly StaffRole[]).includes(viewer.role)) notFound();
  return viewer as StaffViewer & { role: R };
}
