import "server-only";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import type { StaffRole } from "@/db/schema";
import { isStaff, loadViewer, type Viewer } from "@/lib/auth/load-viewer";
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

/**
 * For staff pages: anyone who is not staff gets the same "not found" as for
 * a page that does not exist, so the dashboard's existence leaks nothing.
 */
export async function requireStaff(returnTo: string, roles: readonly StaffRole[] = ["admin", "reviewer"]) {
  const viewer = await requireSignedIn(returnTo);
  if (!isStaff(viewer) || !roles.includes(viewer.role)) notFound();
  return viewer;
}
