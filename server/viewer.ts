import "server-only";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { STAFF_ROLES, type StaffRole } from "@/db/schema";
import { CASEWORK_ROLES, isStaff, loadViewer, type CaseworkRole, type StaffViewer, type Viewer } from "@/lib/auth/load-viewer";
import { sessionCookieName } from "./settings";

/** The signed-in person for this request, or null; looked up once per request. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const token = (await cookies()).get(sessionCookieName())?.value;
  if (!token) return null;
  return loadViewer(getDb(), token, new Date());
});

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
  if (!isStaff(viewer) || !(roles as readonly StaffRole[]).includes(viewer.role)) notFound();
  return viewer as StaffViewer & { role: R };
}
