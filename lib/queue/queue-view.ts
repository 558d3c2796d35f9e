/**
 * Everything the queue page shows for a view: the rows of this page, the
 * counts by status, the filter form's choices and the links.
 */
import type { Db } from "@/db/connection";
import { REQUEST_STATUSES, REQUEST_TYPES } from "@/db/schema";
import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { describeStatus } from "@/lib/vocabulary/request-statuses";
import { countByStatus, type StatusCount, type StatusCounts } from "./count-by-status";
import { listQueue, type QueuePage, type QueueRow } from "./list-queue";
import {
  ASSIGNMENT_FILTERS,
  DEADLINE_FILTERS,
  DUPLICATE_FILTERS,
  queueHref,
  QUEUE_SORTS,
  type AssignmentFilter,
  type DeadlineFilter,
  type DuplicateFilter,
  type QueueQuery,
  type QueueSort,
  type QueueView,
} from "./queue-query";

type Choice = { value: string; label: string };

export type QueuePageView = {
  /** The filters in force, to fill the form with. */
  query: QueueQuery;
  filtered: boolean;
  rows: QueueRow[];
  caption: string;
  emptyText: string;
  firstPageHref: string | null;
  nextPageHref: string | null;
  clearHref: string;
  counts: Array<StatusCount & { href: string; current: boolean }>;
  total: number;
  choices: { status: Choice[]; type: Choice[]; deadline: Choice[]; assigned: Choice[]; duplicates: Choice[]; sort: Choice[] };
};

const DEADLINE_LABELS: Record<DeadlineFilter, string> = { overdue: "Overdue", due_soon: "Due soon" };
const ASSIGNMENT_LABELS: Record<AssignmentFilter, string> = { me: "Assigned to me", none: "Unassigned" };
const DUPLICATE_LABELS: Record<DuplicateFilter, string> = { flagged: "Possible duplicates only" };
const SORT_LABELS: Record<QueueSort, string> = { received: "Newest received first", due: "Due date, soonest first" };
const CAPTIONS: Record<QueueSort, string> = { received: "Requests, newest first", due: "Requests, soonest due first" };

const NO_FILTERS: QueueView = { status: null, type: null, deadline: null, assigned: null, duplicates: null, q: "", sort: "received", after: null };

export function loadQueuePage(db: Db, input: { query: QueueQuery; viewerEmail: string; now: Date; timeZone: string; pageSize?: number }): QueuePageView {
  const { query } = input;
  const page = listQueue(db, { query, viewerEmail: input.viewerEmail, now: input.now, timeZone: input.timeZone, pageSize: input.pageSize });
  return queuePageView(query, page, countByStatus(db));
}

/** The page's view of rows and counts already found: no database here, so the bench can lay out rows held in memory. */
export function queuePageView(query: QueueQuery, page: QueuePage, counts: StatusCounts): QueuePageView {
  const filtered = Boolean(query.status || query.type || query.deadline || query.assigned || query.duplicates || query.search);
  return {
    query,
    filtered,
    rows: page.rows,
    caption: filtered ? `${CAPTIONS[query.sort]}, filtered` : CAPTIONS[query.sort],
    emptyText: query.after ? "No more requests." : filtered ? "No requests match these filters." : "No requests yet.",
    firstPageHref: query.after ? queueHref({ ...query, after: null }) : null,
    nextPageHref: page.next ? queueHref({ ...query, after: page.next }) : null,
    clearHref: queueHref({ ...NO_FILTERS, sort: query.sort }),
    // Each count opens the queue at that status alone, so the number shown is what the link lists.
    counts: counts.byStatus.map((c) => ({
      ...c,
      href: queueHref({ ...NO_FILTERS, sort: query.sort, status: c.status }),
      current: query.status === c.status,
    })),
    total: counts.total,
    choices: {
      status: REQUEST_STATUSES.map((s) => ({ value: s, label: describeStatus(s) })),
      type: REQUEST_TYPES.map((t) => ({ value: t, label: requestTypeLabel(t) })),
      deadline: DEADLINE_FILTERS.map((d) => ({ value: d, label: DEADLINE_LABELS[d] })),
      assigned: ASSIGNMENT_FILTERS.map((a) => ({ value: a, label: ASSIGNMENT_LABELS[a] })),
      duplicates: DUPLICATE_FILTERS.map((d) => ({ value: d, label: DUPLICATE_LABELS[d] })),
      sort: QUEUE_SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] })),
    },
  };
}
