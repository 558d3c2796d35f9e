import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { originsOf } from "@/lib/api/origins";
import { canonicalQueueRedirect, parseQueueQuery, type SearchParams } from "@/lib/queue/queue-query";
import { loadQueuePage } from "@/lib/queue/queue-view";
import { defaultsBanner } from "@/lib/settings/defaults";
import { noticeSettingProblem } from "@/lib/requests/intake/new-request-notice";
import { getSettings } from "@/server/settings";
import { READING_ROLES, requireStaff } from "@/server/viewer";
import { worksRequests } from "@/lib/auth/load-viewer";
import { listStaffMembers } from "@/lib/staff/staff-members";
import { QueueScreen } from "./queue-screen";

export const metadata: Metadata = { title: "Staff queue" };

export default async function StaffQueuePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requireStaff("/staff", READING_ROLES);
  const settings = getSettings();
  const params = await searchParams;
  const query = parseQueueQuery(params);
  // Empty form fields and ignored values leave the address bar, so it names exactly the view shown.
  const canonical = canonicalQueueRedirect(params, query);
  if (canonical) redirect(canonical);
  const db = getDb();
  const view = loadQueuePage(db, { query, viewerEmail: viewer.email, now: new Date(), timeZone: settings.timeZone });
  // Requests another program filed are marked with it; a page with none costs no query.
  const origins = originsOf(db, view.rows.flatMap((r) => (r.intakeId ? [r.intakeId] : [])));
  const assignees = worksRequests(viewer.role) ? listStaffMembers(db).filter((m) => worksRequests(m.role)) : null;
  return (
    <QueueScreen
      banner={defaultsBanner(settings)}
      // Only an admin can mend it (on the Team page, or the setting).
      settingProblem={viewer.role === "admin" ? noticeSettingProblem(db, settings.newRequestNotice) : null}
      viewer={viewer} view={view} timeZone={settings.timeZone} origins={origins} assignees={assignees} />
  );
}
