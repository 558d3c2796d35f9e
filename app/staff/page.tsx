import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { daysLeftText } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { languageNameInEnglish } from "@/lib/language/languages";
import { originsOf, type RequestOrigin } from "@/lib/api/origins";
import { formatCalendarDate, formatInstant } from "@/lib/calendar/format";
import type { QueueRow } from "@/lib/queue/list-queue";
import { canonicalQueueRedirect, parseQueueQuery, queueHref, type SearchParams } from "@/lib/queue/queue-query";
import { loadQueuePage, type QueuePageView } from "@/lib/queue/queue-view";
import { defaultsBanner } from "@/lib/settings/defaults";
import { getSettings } from "@/server/settings";
import { READING_ROLES, requireStaff } from "@/server/viewer";
import { worksRequests } from "@/lib/auth/load-viewer";
import { FILTER_FIELD_PREFIX } from "@/lib/queue/bulk-forms";
import { listStaffMembers } from "@/lib/staff/staff-members";
import type { QueueBulk } from "./bulk-bar";
import { QueueBody, type QueueBodyView, type QueueRowText } from "./queue-body";

export const metadata: Metadata = { title: "Staff queue" };

/** Everything a row shows, written out here so the rows can cross to the browser as plain strings. */
function rowText(r: QueueRow, viewerEmail: string, timeZone: string, origin: RequestOrigin | undefined): QueueRowText {
  return {
    reference: r.reference,
    type: r.typeLabel,
    language: languageNameInEnglish(r.language),
    status: r.statusLabel,
    email: r.email,
    erased: r.erased,
    receivedIso: r.receivedAt.toISOString(),
    received: formatInstant(r.receivedAt, timeZone),
    dueOn: r.dueOn,
    due: formatCalendarDate(r.dueOn),
    deadline: r.deadline ? { text: daysLeftText(r.deadline), state: r.deadline.state } : null,
    assignee: r.assigneeEmail === null ? null : r.assigneeEmail === viewerEmail ? "you" : r.assigneeEmail,
    via: origin ? `${origin.kind === "agent" ? "agent" : "API key"} ${origin.name}` : null,
    possibleDuplicate: r.possibleDuplicate,
  };
}

/**
 * The bulk form's part of the page: the filter in force, to act on every
 * request it matches, and who may be given requests. Only for staff who work
 * requests; an auditor gets none.
 */
function bulkOf(view: QueuePageView, canAct: boolean): QueueBulk | null {
  if (!canAct) return null;
  const params = new URLSearchParams(queueHref({ ...view.query, after: null }).split("?")[1] ?? "");
  return {
    filterFields: Object.fromEntries([...params.entries()].map(([k, v]) => [`${FILTER_FIELD_PREFIX}${k}`, v])),
    morePages: view.nextPageHref !== null || view.firstPageHref !== null,
    assignees: listStaffMembers(getDb())
      .filter((m) => worksRequests(m.role))
      .map((m) => ({ value: m.email, label: `${m.email} (${m.role})` })),
  };
}

/** The page's data as the client component lays it out. */
function bodyView(
  view: QueuePageView,
  viewerEmail: string,
  timeZone: string,
  origins: Map<string, RequestOrigin>,
  bulk: QueueBulk | null,
): QueueBodyView {
  const { query, choices } = view;
  return {
    counts: [
      { key: "all", label: "all", count: view.total, href: view.clearHref, current: !view.filtered },
      ...view.counts.map((c) => ({ key: c.status, label: c.label, count: c.count, href: c.href, current: c.current })),
    ],
    search: query.q,
    selects: [
      { name: "status", label: "Status", anyLabel: "Any status", value: query.status ?? "", choices: choices.status },
      { name: "type", label: "Type", anyLabel: "Any type", value: query.type ?? "", choices: choices.type },
      { name: "deadline", label: "Deadline", anyLabel: "Any deadline", value: query.deadline ?? "", choices: choices.deadline },
      { name: "assigned", label: "Assigned", anyLabel: "Anyone or no one", value: query.assigned ?? "", choices: choices.assigned },
      { name: "duplicates", label: "Duplicates", anyLabel: "Flagged or not", value: query.duplicates ?? "", choices: choices.duplicates },
      { name: "sort", label: "Order", anyLabel: null, value: query.sort, choices: choices.sort },
    ],
    clearHref: view.filtered ? view.clearHref : null,
    caption: view.caption,
    emptyText: view.emptyText,
    rows: view.rows.map((r) => rowText(r, viewerEmail, timeZone, r.intakeId ? origins.get(r.intakeId) : undefined)),
    firstPageHref: view.firstPageHref,
    nextPageHref: view.nextPageHref,
    bulk,
  };
}

export default async function StaffQueuePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requireStaff("/staff", READING_ROLES);
  const settings = getSettings();
  const { timeZone } = settings;
  const banner = defaultsBanner(settings);
  const params = await searchParams;
  const query = parseQueueQuery(params);
  // Empty form fields and ignored values leave the address bar, so it names exactly the view shown.
  const canonical = canonicalQueueRedirect(params, query);
  if (canonical) redirect(canonical);
  const db = getDb();
  const view = loadQueuePage(db, { query, viewerEmail: viewer.email, now: new Date(), timeZone });
  // Requests another program filed are marked with it; a page with none costs no query.
  const origins = originsOf(db, view.rows.flatMap((r) => (r.intakeId ? [r.intakeId] : [])));
  return (
    <>
      {banner ? (
        <p className="notice warning" role="note">
          <strong>Default settings in use.</strong> {banner}
        </p>
      ) : null}
      <h1>Request queue</h1>
      <p className="muted">
        Signed in as {viewer.email} ({viewer.role}).
      </p>
      <p>
        <a href="/staff/bulk">Actions on several requests</a>
      </p>
      <QueueBody view={bodyView(view, viewer.email, timeZone, origins, bulkOf(view, worksRequests(viewer.role)))} />
    </>
  );
}
