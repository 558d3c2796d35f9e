import type { RequestOrigin } from "@/lib/api/origins";
import { daysLeftText } from "@/app/_components/days-left";
import { languageNameInEnglish } from "@/lib/language/languages";
import { formatCalendarDate, formatInstant } from "@/lib/calendar/format";
import type { QueueRow } from "@/lib/queue/list-queue";
import { queueHref } from "@/lib/queue/queue-query";
import type { QueuePageView } from "@/lib/queue/queue-view";
import { FILTER_FIELD_PREFIX } from "@/lib/queue/bulk-forms";
import type { QueueBulk } from "./bulk-bar";
import { QueueBody, type QueueBodyView, type QueueRowText } from "./queue-body";

/** Who may be given requests. */
export type Assignee = { email: string; role: string };

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
 * requests (`assignees` is null for the others: an auditor gets none).
 */
function bulkOf(view: QueuePageView, assignees: Assignee[] | null): QueueBulk | null {
  if (assignees === null) return null;
  const params = new URLSearchParams(queueHref({ ...view.query, after: null }).split("?")[1] ?? "");
  return {
    filterFields: Object.fromEntries([...params.entries()].map(([k, v]) => [`${FILTER_FIELD_PREFIX}${k}`, v])),
    morePages: view.nextPageHref !== null || view.firstPageHref !== null,
    assignees: assignees.map((m) => ({ value: m.email, label: `${m.email} (${m.role})` })),
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

/**
 * The queue below the layout: the heading, who is signed in and the body.
 * The page gives it what it found in the database; the bench's floor page
 * (app/bench/queue) gives it rows held in memory, so both lay out the same.
 */
export function QueueScreen(props: {
  banner: string | null;
  /** A setting that is not followed as written, for an admin to mend; null when there is none or the viewer cannot. */
  settingProblem?: string | null;
  viewer: { email: string; role: string };
  view: QueuePageView;
  timeZone: string;
  origins: Map<string, RequestOrigin>;
  /** Staff who may be given requests; null for a viewer who cannot act (an auditor). */
  assignees: Assignee[] | null;
}) {
  const { banner, settingProblem, viewer, view, timeZone, origins, assignees } = props;
  return (
    <>
      {banner ? (
        <p className="notice warning" role="note">
          <strong>Default settings in use.</strong> {banner}
        </p>
      ) : null}
      {settingProblem ? (
        <p className="notice warning" role="note">
          {settingProblem}
        </p>
      ) : null}
      <h1>Request queue</h1>
      <p className="muted">
        Signed in as {viewer.email} ({viewer.role}).
      </p>
      <p>
        <a href="/staff/bulk">Actions on several requests</a>
      </p>
      <QueueBody view={bodyView(view, viewer.email, timeZone, origins, bulkOf(view, assignees))} />
    </>
  );
}
