/**
 * The staff queue, a page at a time, filtered, searched and sorted. Pages
 * continue from the last row seen (keyset, never OFFSET), and every filter is
 * written so SQLite can answer it from an index on `requests`, so page 500
 * costs what page 1 costs.
 */
import { and, asc, count, desc, eq, gt, gte, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { POSSIBLE_DUPLICATE_SQL, requests, RUNNING_CLOCK_SQL, type RequestStatus, type RequestType } from "@/db/schema";
import { isErasedSubject, subjectAddressLabel } from "@/lib/requests/fulfilment/erasure";
import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { calendarDateIn, type CalendarDate } from "@/lib/calendar/dates";
import { deadlineOf, type Deadline } from "@/lib/requests/lifecycle/deadlines";
import { describeStatus, isOpen } from "@/lib/requests/lifecycle/transitions";
import type { DeadlineFilter, QueueCursor, QueueQuery, QueueSearch } from "./queue-query";

export const QUEUE_PAGE_SIZE = 50;

export type QueueRow = {
  reference: string;
  type: RequestType;
  typeLabel: string;
  status: RequestStatus;
  statusLabel: string;
  /** The requester's address, or "erased" once their data was erased (the stored marker is never shown). */
  email: string;
  erased: boolean;
  receivedAt: Date;
  dueOn: string;
  deadline: Deadline | null;
  assigneeEmail: string | null;
  /** An open question of a duplicate is on it. */
  possibleDuplicate: boolean;
};

export type QueuePage = { rows: QueueRow[]; next: QueueCursor | null };

export type QueueFilters = Pick<QueueQuery, "status" | "type" | "deadline" | "assigned" | "search" | "sort" | "after"> & Partial<Pick<QueueQuery, "duplicates">>;

export type QueueInput = {
  query: QueueFilters;
  /** Whose "assigned to me" this is. */
  viewerEmail: string;
  now: Date;
  timeZone: string;
  pageSize?: number;
};

/**
 * The deadline filters in SQL, matching `deadlineOf`: overdue once the due
 * day has passed; due soon when less than a quarter of the answering period
 * is left. Requests with a stopped clock are neither. Dates are "YYYY-MM-DD"
 * text, so julianday differences are whole days.
 *
 * "Running" is written exactly as the partial indexes on running requests
 * are (db/schema.ts): SQLite uses such an index only for a query that holds
 * its very terms, so the pages walk those few rows instead of the history.
 */
function deadlineCondition(filter: DeadlineFilter, today: CalendarDate): SQL {
  const running = sql.raw(`(${RUNNING_CLOCK_SQL})`);
  if (filter === "overdue") return and(running, lt(requests.dueOn, today))!;
  return and(
    running,
    gte(requests.dueOn, today),
    sql`(julianday(${requests.dueOn}) - julianday(${today})) * 4 < max(1, julianday(${requests.dueOn}) - julianday(${requests.receivedOn}))`,
  )!;
}

/**
 * The first string after every string that starts with `prefix`, in SQLite's
 * binary (code point) order, or null when there is none.
 */
export function prefixEnd(prefix: string): string | null {
  const chars = [...prefix];
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate range, which no stored text uses.
      return chars.join("") + String.fromCodePoint(last + 1 === 0xd800 ? 0xe000 : last + 1);
    }
  }
  return null;
}

/**
 * How a search by the start of an address reads: "range" seeks the matching
 * addresses in their index and sorts them, which is cheap when they are few;
 * "walk" goes down the page's order index, checking the address kept in it,
 * which is cheap when they are many (a page fills after a short walk).
 */
export type PrefixPlan = "range" | "walk";

/** Up to this many matching requests are sorted; more, and the order index is walked instead. */
export const PREFIX_SORT_LIMIT = 2000;

/** The addresses that start with `prefix`, as a range rather than LIKE: LIKE ignores case and so cannot use an index. */
function prefixRange(prefix: string, plan: PrefixPlan): SQL {
  // The unary plus keeps SQLite off the address index, so it walks the order index instead.
  const address = plan === "walk" ? sql`+${requests.subjectEmail}` : sql`${requests.subjectEmail}`;
  const end = prefixEnd(prefix);
  return end === null ? sql`${address} >= ${prefix}` : sql`${address} >= ${prefix} and ${address} < ${end}`;
}

/** Which plan suits this prefix: one look at at most PREFIX_SORT_LIMIT + 1 entries of the address index. */
export function prefixPlanFor(db: Db, prefix: string): PrefixPlan {
  const matches = db.select({ one: sql`1` }).from(requests).where(prefixRange(prefix, "range")).limit(PREFIX_SORT_LIMIT + 1).as("matches");
  const found = db.select({ n: count() }).from(matches).get()?.n ?? 0;
  return found > PREFIX_SORT_LIMIT ? "walk" : "range";
}

function searchCondition(search: QueueSearch, prefixPlan: PrefixPlan): SQL {
  switch (search.kind) {
    case "reference":
      return eq(requests.reference, search.reference);
    case "email":
      return eq(requests.subjectEmail, search.email);
    case "email_prefix":
      return prefixRange(search.prefix, prefixPlan);
  }
}

/**
 * Rows after the cursor. The first bound is a plain range on the sort column,
 * which SQLite seeks to in the index; the second settles ties on the id.
 */
function afterCondition(cursor: QueueCursor): SQL {
  if (cursor.sort === "received") {
    const at = new Date(cursor.receivedAt);
    return and(lte(requests.receivedAt, at), or(lt(requests.receivedAt, at), lt(requests.id, cursor.id)))!;
  }
  return and(gte(requests.dueOn, cursor.dueOn), or(gt(requests.dueOn, cursor.dueOn), gt(requests.id, cursor.id)))!;
}

/** The page's query, unexecuted, so its plan can be checked in tests. */
export function queueQuery(
  db: Db,
  input: { query: QueueFilters; viewerEmail: string; today: CalendarDate; pageSize: number; prefixPlan?: PrefixPlan },
) {
  const { query } = input;
  const conditions: SQL[] = [];
  if (query.status) conditions.push(eq(requests.status, query.status));
  if (query.type) conditions.push(eq(requests.type, query.type));
  if (query.deadline) conditions.push(deadlineCondition(query.deadline, input.today));
  if (query.assigned === "me") conditions.push(eq(requests.assigneeEmail, input.viewerEmail));
  if (query.assigned === "none") conditions.push(isNull(requests.assigneeEmail));
  // Written as the partial indexes of flagged requests hold it, so the filter walks those few rows.
  if (query.duplicates === "flagged") conditions.push(sql.raw(`(${POSSIBLE_DUPLICATE_SQL})`));
  if (query.search) conditions.push(searchCondition(query.search, input.prefixPlan ?? "range"));
  // A cursor made for the other sort would skip rows, so it is ignored.
  if (query.after && query.after.sort === query.sort) conditions.push(afterCondition(query.after));
  const order = query.sort === "received" ? [desc(requests.receivedAt), desc(requests.id)] : [asc(requests.dueOn), asc(requests.id)];
  return db
    .select({
      id: requests.id,
      reference: requests.reference,
      type: requests.type,
      status: requests.status,
      email: requests.subjectEmail,
      receivedAt: requests.receivedAt,
      receivedOn: requests.receivedOn,
      dueOn: requests.dueOn,
      clockStoppedOn: requests.clockStoppedOn,
      assigneeEmail: requests.assigneeEmail,
      possibleDuplicate: requests.possibleDuplicate,
    })
    .from(requests)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(input.pageSize + 1);
}

export function listQueue(db: Db, input: QueueInput): QueuePage {
  const pageSize = input.pageSize ?? QUEUE_PAGE_SIZE;
  const today = calendarDateIn(input.now, input.timeZone);
  const search = input.query.search;
  const prefixPlan = search?.kind === "email_prefix" ? prefixPlanFor(db, search.prefix) : undefined;
  const rows = queueQuery(db, { query: input.query, viewerEmail: input.viewerEmail, today, pageSize, prefixPlan }).all();
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  const next: QueueCursor | null =
    rows.length > pageSize && last
      ? input.query.sort === "received"
        ? { sort: "received", receivedAt: last.receivedAt.getTime(), id: last.id }
        : { sort: "due", dueOn: last.dueOn, id: last.id }
      : null;
  return {
    rows: page.map((r) => ({
      reference: r.reference,
      type: r.type,
      typeLabel: requestTypeLabel(r.type),
      status: r.status,
      statusLabel: describeStatus(r.status),
      email: subjectAddressLabel(r.email),
      erased: isErasedSubject(r.email),
      receivedAt: r.receivedAt,
      dueOn: r.dueOn,
      deadline: isOpen(r.status) ? deadlineOf(r.receivedOn, r.dueOn, today, r.clockStoppedOn) : null,
      assigneeEmail: r.assigneeEmail,
      possibleDuplicate: r.possibleDuplicate,
    })),
    next,
  };
}
