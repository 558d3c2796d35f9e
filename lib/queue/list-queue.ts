/**
 * The staff queue, a page at a time, filtered, searched and sorted. Pages
 * continue from the last row seen (keyset, never OFFSET), and every filter is
 * written so SQLite can answer it from an index on `requests`, so page 500
 * costs what page 1 costs.
 */
import type { Language } from "@/lib/language/languages";
import { and, asc, count, desc, eq, gt, gte, isNull, lt, lte, or, Placeholder, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { POSSIBLE_DUPLICATE_SQL, requests, RUNNING_CLOCK_SQL, type RequestStatus, type RequestType } from "@/db/schema";
import { isErasedSubject, subjectAddressLabel } from "@/lib/requests/fulfilment/erasure";
import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { calendarDateIn, type CalendarDate } from "@/lib/calendar/dates";
import { deadlineOf, type Deadline } from "@/lib/calendar/deadlines";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { describeStatus } from "@/lib/vocabulary/request-statuses";
import type { DeadlineFilter, QueueCursor, QueueQuery, QueueSearch } from "./queue-query";

export const QUEUE_PAGE_SIZE = 50;

export type QueueRow = {
  reference: string;
  type: RequestType;
  typeLabel: string;
  /** The language the request was made in, which staff write to the supporter in. */
  language: Language;
  status: RequestStatus;
  statusLabel: string;
  /** The requester's address, or "erased" once their data was erased (the stored marker is never shown). */
  email: string;
  erased: boolean;
  receivedAt: Date;
  dueOn: string;
  deadline: Deadline | null;
  assigneeEmail: string | null;
  /** Set when another program filed it (lib/api): who that was is looked up by this id. */
  intakeId: string | null;
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
 * Where a page's values go: straight into the query, or (for a statement
 * prepared once per shape of page) as named placeholders, collecting the
 * values to run it with. `driver` is the value as SQLite stores it, where
 * the query's own value is richer (a Date, stored as milliseconds).
 */
type Bind = <T>(name: string, value: T, driver?: unknown) => T | Placeholder;

const inline: Bind = (_name, value) => value;

function collecting(values: Record<string, unknown>): Bind {
  return (name, value, driver = value) => {
    values[name] = driver;
    return sql.placeholder(name);
  };
}

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
function deadlineCondition(filter: DeadlineFilter, today: CalendarDate | Placeholder): SQL {
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
function prefixRange(prefix: string, plan: PrefixPlan, bind: Bind = inline): SQL {
  // The unary plus keeps SQLite off the address index, so it walks the order index instead.
  const address = plan === "walk" ? sql`+${requests.subjectEmail}` : sql`${requests.subjectEmail}`;
  const end = prefixEnd(prefix);
  return end === null
    ? sql`${address} >= ${bind("prefix", prefix)}`
    : sql`${address} >= ${bind("prefix", prefix)} and ${address} < ${bind("prefixEnd", end)}`;
}

/** Which plan suits this prefix: one look at at most PREFIX_SORT_LIMIT + 1 entries of the address index. */
export function prefixPlanFor(db: Db, prefix: string): PrefixPlan {
  const matches = db.select({ one: sql`1` }).from(requests).where(prefixRange(prefix, "range")).limit(PREFIX_SORT_LIMIT + 1).as("matches");
  const found = db.select({ n: count() }).from(matches).get()?.n ?? 0;
  return found > PREFIX_SORT_LIMIT ? "walk" : "range";
}

function searchCondition(search: QueueSearch, prefixPlan: PrefixPlan, bind: Bind): SQL {
  switch (search.kind) {
    case "reference":
      return eq(requests.reference, bind("search", search.reference));
    case "email":
      return eq(requests.subjectEmail, bind("search", search.email));
    case "email_prefix":
      return prefixRange(search.prefix, prefixPlan, bind);
  }
}

/**
 * Rows after the cursor. The first bound is a plain range on the sort column,
 * which SQLite seeks to in the index; the second settles ties on the id.
 */
function afterCondition(cursor: QueueCursor, bind: Bind): SQL {
  const id = bind("afterId", cursor.id);
  if (cursor.sort === "received") {
    const at = bind("afterAt", new Date(cursor.receivedAt), cursor.receivedAt);
    return and(lte(requests.receivedAt, at), or(lt(requests.receivedAt, at), lt(requests.id, id)))!;
  }
  const dueOn = bind("afterDue", cursor.dueOn);
  return and(gte(requests.dueOn, dueOn), or(gt(requests.dueOn, dueOn), gt(requests.id, id)))!;
}

type PageInput = { query: QueueFilters; viewerEmail: string; today: CalendarDate; pageSize: number; prefixPlan?: PrefixPlan };

/** The page's conditions, order and size, with each value given by `bind`. */
function pageParts(input: PageInput, bind: Bind) {
  const { query } = input;
  const conditions: SQL[] = [];
  if (query.status) conditions.push(eq(requests.status, bind("status", query.status)));
  if (query.type) conditions.push(eq(requests.type, bind("type", query.type)));
  if (query.deadline) conditions.push(deadlineCondition(query.deadline, bind("today", input.today)));
  if (query.assigned === "me") conditions.push(eq(requests.assigneeEmail, bind("viewer", input.viewerEmail)));
  if (query.assigned === "none") conditions.push(isNull(requests.assigneeEmail));
  // Written as the partial indexes of flagged requests hold it, so the filter walks those few rows.
  if (query.duplicates === "flagged") conditions.push(sql.raw(`(${POSSIBLE_DUPLICATE_SQL})`));
  if (query.search) conditions.push(searchCondition(query.search, input.prefixPlan ?? "range", bind));
  // A cursor made for the other sort would skip rows, so it is ignored.
  if (query.after && query.after.sort === query.sort) conditions.push(afterCondition(query.after, bind));
  const order = query.sort === "received" ? [desc(requests.receivedAt), desc(requests.id)] : [asc(requests.dueOn), asc(requests.id)];
  return { conditions, order, limit: bind("limit", input.pageSize + 1) };
}

/** The page's query from its parts. */
function buildPage(db: Db, input: PageInput, bind: Bind) {
  const { conditions, order, limit } = pageParts(input, bind);
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
      intakeId: requests.intakeId,
      // After the columns above, so they keep their places in the rows read as arrays.
      language: requests.language,
      possibleDuplicate: requests.possibleDuplicate,
    })
    .from(requests)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(limit);
}

/** The page's query, unexecuted, with its values in place, so its plan can be checked in tests. */
export function queueQuery(db: Db, input: PageInput) {
  return buildPage(db, input, inline);
}

/**
 * What decides a page's SQL (never its values): pages of the same shape run
 * one statement, prepared once per connection, since building the query
 * costs more than running it.
 */
function shapeOf(input: PageInput): string {
  const { query } = input;
  const search = query.search;
  return JSON.stringify([
    query.status !== null,
    query.type !== null,
    query.deadline,
    query.assigned,
    query.duplicates ?? null,
    search?.kind ?? null,
    search?.kind === "email_prefix" ? [input.prefixPlan ?? "range", prefixEnd(search.prefix) === null] : null,
    query.sort,
    Boolean(query.after && query.after.sort === query.sort),
  ]);
}

type PageRow = {
  id: number;
  reference: string;
  type: RequestType;
  status: RequestStatus;
  email: string;
  receivedAt: Date;
  receivedOn: string;
  dueOn: string;
  clockStoppedOn: string | null;
  assigneeEmail: string | null;
  intakeId: string | null;
  language: Language;
  possibleDuplicate: boolean;
};

/**
 * The statement for a shape of page: the SQL Drizzle writes for it, compiled
 * once by SQLite and run as it is, its rows read as arrays in the select's
 * order. Reading them through Drizzle cost more than running the statement.
 */
function pageStatement(db: Db, input: PageInput): { statement: import("better-sqlite3").Statement<unknown[], unknown[]>; names: string[] } {
  return preparedOnce(db, `queue-page:${shapeOf(input)}`, (d) => {
    const { sql: text, params } = buildPage(d, input, collecting({})).toSQL();
    const names = params.map((param) => {
      if (!(param instanceof Placeholder)) throw new Error("Every value of a queue page is bound by name.");
      return param.name;
    });
    return { statement: d.$client.prepare<unknown[], unknown[]>(text).raw(true), names };
  });
}

/** The page's rows, through the statement prepared for its shape. */
function runPage(db: Db, input: PageInput): PageRow[] {
  const { statement, names } = pageStatement(db, input);
  // The parts again, only to gather this page's values: the SQL is the statement's.
  const values: Record<string, unknown> = {};
  pageParts(input, collecting(values));
  return statement.all(...names.map((name) => values[name])).map((r) => ({
    id: r[0] as number,
    reference: r[1] as string,
    type: r[2] as RequestType,
    status: r[3] as RequestStatus,
    email: r[4] as string,
    receivedAt: new Date(r[5] as number),
    receivedOn: r[6] as string,
    dueOn: r[7] as string,
    clockStoppedOn: r[8] as string | null,
    assigneeEmail: r[9] as string | null,
    intakeId: r[10] as string | null,
    language: r[11] as Language,
    possibleDuplicate: r[12] === 1,
  }));
}

export function listQueue(db: Db, input: QueueInput): QueuePage {
  const pageSize = input.pageSize ?? QUEUE_PAGE_SIZE;
  const today = calendarDateIn(input.now, input.timeZone);
  const search = input.query.search;
  const prefixPlan = search?.kind === "email_prefix" ? prefixPlanFor(db, search.prefix) : undefined;
  const rows = runPage(db, { query: input.query, viewerEmail: input.viewerEmail, today, pageSize, prefixPlan });
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
      language: r.language,
      status: r.status,
      statusLabel: describeStatus(r.status),
      email: subjectAddressLabel(r.email),
      erased: isErasedSubject(r.email),
      receivedAt: r.receivedAt,
      dueOn: r.dueOn,
      deadline: isOpen(r.status) ? deadlineOf(r.receivedOn, r.dueOn, today, r.clockStoppedOn) : null,
      assigneeEmail: r.assigneeEmail,
      intakeId: r.intakeId,
      possibleDuplicate: r.possibleDuplicate,
    })),
    next,
  };
}
