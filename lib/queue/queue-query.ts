/**
 * What the staff queue shows, as carried in the URL: filters, search, sort
 * and the page cursor. Living in the URL, a view can be shared and the back
 * button works. Anything unknown or malformed is ignored rather than refused,
 * so a stale bookmark or a hand-edited link still opens a queue.
 */
import { z } from "zod";
import { REQUEST_STATUSES, REQUEST_TYPES, type RequestStatus, type RequestType } from "@/db/schema";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { parseReference } from "@/lib/vocabulary/reference";
import { isCalendarDate, type CalendarDate } from "@/lib/calendar/dates";

export const QUEUE_SORTS = ["received", "due"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export const DEADLINE_FILTERS = ["overdue", "due_soon"] as const;
export type DeadlineFilter = (typeof DEADLINE_FILTERS)[number];

export const ASSIGNMENT_FILTERS = ["me", "none"] as const;
export type AssignmentFilter = (typeof ASSIGNMENT_FILTERS)[number];

/** Requests with an open question of a duplicate (see lib/requests/lifecycle/duplicates.ts). */
export const DUPLICATE_FILTERS = ["flagged"] as const;
export type DuplicateFilter = (typeof DUPLICATE_FILTERS)[number];

/** What the search box asked for, once recognised. */
export type QueueSearch =
  | { kind: "reference"; reference: string }
  | { kind: "email"; email: string }
  | { kind: "email_prefix"; prefix: string };

/** Where the next page starts: the sort key and id of the last row shown. */
export type QueueCursor =
  | { sort: "received"; receivedAt: number; id: number }
  | { sort: "due"; dueOn: CalendarDate; id: number };

export type QueueQuery = {
  status: RequestStatus | null;
  type: RequestType | null;
  deadline: DeadlineFilter | null;
  assigned: AssignmentFilter | null;
  duplicates: DuplicateFilter | null;
  /** The search box as typed (trimmed), shown back in the form. */
  q: string;
  search: QueueSearch | null;
  sort: QueueSort;
  after: QueueCursor | null;
};

export type SearchParams = Record<string, string | string[] | undefined>;

/** Longest search text looked at: the longest email address there can be. */
export const MAX_SEARCH_LENGTH = 254;

const EMAIL_SHAPE = z.email();

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function oneOf<T extends string>(choices: readonly T[], value: string | undefined): T | null {
  return choices.find((c) => c === value) ?? null;
}

/**
 * A reference typed by hand: any case, with or without dashes or spaces. It
 * must start with "RD" or be split as 7K3Q-9XWM; a bare eight letters could
 * just as well be the start of a name, so it is searched as an email instead.
 */
export function referenceFromTyped(text: string): string | null {
  const compact = text.toUpperCase().replace(/[\s-]/g, "");
  const withPrefix = /^RD(.{8})$/.exec(compact);
  const body = withPrefix?.[1] ?? (/^[^-\s]{4}[\s-]+[^-\s]{4}$/.test(text.trim()) ? compact : null);
  return body ? parseReference(`RD-${body.slice(0, 4)}-${body.slice(4)}`) : null;
}

/**
 * The search box, recognised: a request reference; a whole email address
 * (matched exactly, as addresses are stored normalised); or the start of one.
 */
export function parseQueueSearch(text: string | undefined): QueueSearch | null {
  const trimmed = (text ?? "").trim();
  if (trimmed === "" || trimmed.length > MAX_SEARCH_LENGTH) return null;
  const reference = referenceFromTyped(trimmed);
  if (reference) return { kind: "reference", reference };
  const lower = normalizeEmail(trimmed);
  if (lower.includes("@") && EMAIL_SHAPE.safeParse(lower).success) return { kind: "email", email: lower };
  return { kind: "email_prefix", prefix: lower };
}

export function encodeCursor(cursor: QueueCursor): string {
  return cursor.sort === "received" ? `${cursor.receivedAt}.${cursor.id}` : `${cursor.dueOn}.${cursor.id}`;
}

/** A cursor from the URL for this sort, or null when it is missing, malformed or made for the other sort. */
export function decodeCursor(value: string | undefined, sort: QueueSort): QueueCursor | null {
  if (!value) return null;
  if (sort === "received") {
    const match = /^(\d{1,15})\.(\d{1,15})$/.exec(value);
    return match ? { sort, receivedAt: Number(match[1]), id: Number(match[2]) } : null;
  }
  const match = /^(\d{4}-\d{2}-\d{2})\.(\d{1,15})$/.exec(value);
  return match && isCalendarDate(match[1]!) ? { sort, dueOn: match[1]!, id: Number(match[2]) } : null;
}

export function parseQueueQuery(params: SearchParams): QueueQuery {
  const sort = oneOf(QUEUE_SORTS, first(params.sort)) ?? "received";
  const search = parseQueueSearch(first(params.q));
  return {
    status: oneOf(REQUEST_STATUSES, first(params.status)),
    type: oneOf(REQUEST_TYPES, first(params.type)),
    deadline: oneOf(DEADLINE_FILTERS, first(params.deadline)),
    assigned: oneOf(ASSIGNMENT_FILTERS, first(params.assigned)),
    duplicates: oneOf(DUPLICATE_FILTERS, first(params.duplicates)),
    q: search ? (first(params.q) ?? "").trim() : "",
    search,
    sort,
    after: decodeCursor(first(params.after), sort),
  };
}

export type QueueView = Pick<QueueQuery, "status" | "type" | "deadline" | "assigned" | "duplicates" | "q" | "sort" | "after">;

/**
 * The queue's address for a view: only what differs from the defaults, in a
 * fixed order, so equal views have equal links.
 */
export function queueHref(view: QueueView): string {
  // The filter form's order, so a submitted form often needs no rewriting.
  const params = new URLSearchParams();
  if (view.q) params.set("q", view.q);
  if (view.status) params.set("status", view.status);
  if (view.type) params.set("type", view.type);
  if (view.deadline) params.set("deadline", view.deadline);
  if (view.assigned) params.set("assigned", view.assigned);
  if (view.duplicates) params.set("duplicates", view.duplicates);
  if (view.sort !== "received") params.set("sort", view.sort);
  if (view.after) params.set("after", encodeCursor(view.after));
  const query = params.toString();
  return query ? `/staff?${query}` : "/staff";
}

/**
 * The link to send the browser to when its query string is not the canonical
 * one for the view it asks for (empty fields from the form, values that were
 * ignored, repeated keys, another order), or null when it already is. The
 * address bar then shows exactly the view on screen, ready to share.
 */
export function canonicalQueueRedirect(params: SearchParams, query: QueueQuery): string | null {
  const href = queueHref(query);
  const wanted = [...new URLSearchParams(href.split("?")[1] ?? "").entries()].map(([k, v]) => `${k}=${v}`).sort();
  const given = Object.entries(params)
    .flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((one) => `${k}=${one}`))
    .sort();
  return wanted.length === given.length && wanted.every((pair, i) => pair === given[i]) ? null : href;
}
