/**
 * One staff action on many requests: assign, start review, approve, refuse
 * with one reason, or close. The requests are fixed when the action starts
 * (chosen rows, or every request matching a queue filter) and each is then
 * carried out on its own, through the very step a person would take on its
 * page (lib/requests/casework: the change path, the transition table, the
 * completion gate, its own event and its own email). A request that cannot
 * move (wrong state, an open task, the erasure box not ticked) is left as it
 * was, and the sentence saying why is kept against it.
 *
 * Exactly once, whatever happens to the process: each request's step runs
 * inside the transaction that marks its item done (better-sqlite3 turns the
 * step's own transaction into a savepoint of that one), so a request is
 * never changed without its item saying so, nor marked without its change.
 * A restart picks up the items still pending; two workers cannot both take
 * one, since the item is checked again inside its write-locked transaction.
 */
import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { bulkJobItems, bulkJobs, requestEvents, requests, staff, type BulkAction, type BulkJobStatus, type RequestRow } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { preparedOnce } from "@/db/prepared";
import { worksRequests } from "@/lib/auth/load-viewer";
import type { CalendarDate } from "@/lib/calendar/dates";
import { countOf } from "@/lib/language/plural";
import { assignRequest } from "@/lib/requests/casework/assign-request";
import { cancelRequestByStaff, denyRequest } from "@/lib/requests/casework/close-request";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { FIRST_APPROVAL_ACTION } from "@/lib/requests/fulfilment/erasure-approval";
import { requestById, type ChangeResult, type RequestActor } from "@/lib/requests/lifecycle/request-change";
import type { PortalContext } from "@/lib/settings/portal-context";
import { prefixPlanFor, queueQuery, type PrefixPlan, type QueueFilters } from "./list-queue";

/** Up to this many requests are carried out at once, while the page waits; more go to the background. */
export const SMALL_BATCH = 25;

/** The most requests one action may cover: a filter matching more must be narrowed first. */
export const MOST_IN_ONE_ACTION = 50_000;

export const BULK_ACTION_WORDS: Record<BulkAction, { label: string; done: string }> = {
  assign: { label: "Assign", done: "assigned" },
  start_review: { label: "Start review", done: "in review" },
  approve: { label: "Approve", done: "approved" },
  refuse: { label: "Refuse", done: "refused" },
  close: { label: "Close without acting", done: "closed" },
};

export type BulkParams = { assignee?: string | null; reason?: string; confirmedErasure?: boolean };

/** Which requests: the rows chosen on a page, or every request the queue's filter matches, however many pages. */
export type BulkSelection =
  | { kind: "references"; references: string[] }
  | { kind: "filter"; query: QueueFilters; viewerEmail: string; today: CalendarDate };

type Resolved = { ok: true; ids: number[] } | { ok: false; message: string };

const TOO_MANY = `More than ${MOST_IN_ONE_ACTION.toLocaleString("en-GB")} requests match this filter. Narrow it (by type, status or deadline) and try again.`;

function resolveSelection(db: Db, selection: BulkSelection): Resolved {
  if (selection.kind === "references") {
    const wanted = [...new Set(selection.references)];
    if (wanted.length === 0) return { ok: false, message: "Choose at least one request." };
    if (wanted.length > MOST_IN_ONE_ACTION) return { ok: false, message: TOO_MANY };
    const found = new Map<string, number>();
    for (let from = 0; from < wanted.length; from += 500) {
      const rows = db.select({ id: requests.id, reference: requests.reference }).from(requests).where(inArray(requests.reference, wanted.slice(from, from + 500))).all();
      for (const row of rows) found.set(row.reference, row.id);
    }
    const ids = wanted.flatMap((ref) => (found.has(ref) ? [found.get(ref)!] : []));
    return ids.length > 0 ? { ok: true, ids } : { ok: false, message: "None of the chosen requests could be found. Reload the queue and choose again." };
  }
  // The queue's own query, in its own order, for every page at once: the first page's plan, walked further.
  const search = selection.query.search;
  const prefixPlan: PrefixPlan | undefined = search?.kind === "email_prefix" ? prefixPlanFor(db, search.prefix) : undefined;
  const rows = queueQuery(db, { query: { ...selection.query, after: null }, viewerEmail: selection.viewerEmail, today: selection.today, pageSize: MOST_IN_ONE_ACTION, prefixPlan }).all();
  if (rows.length > MOST_IN_ONE_ACTION) return { ok: false, message: TOO_MANY };
  if (rows.length === 0) return { ok: false, message: "No request matches this filter." };
  return { ok: true, ids: rows.map((r) => r.id) };
}

/** How many requests a selection covers, for the question "Approve all N matching this filter?". */
export function countSelection(db: Db, selection: BulkSelection): { ok: true; count: number } | { ok: false; message: string } {
  const resolved = resolveSelection(db, selection);
  return resolved.ok ? { ok: true, count: resolved.ids.length } : resolved;
}

/** Starts a bulk action: the job and one item per request, in one transaction. */
export function createBulkJob(
  db: Db,
  input: { action: BulkAction; params: BulkParams; selection: BulkSelection; by: string; now: Date },
): { ok: true; jobId: number; total: number } | { ok: false; message: string } {
  const resolved = resolveSelection(db, input.selection);
  if (!resolved.ok) return resolved;
  const ids = resolved.ids;
  return inTransaction(db, (tx) => {
    const job = tx
      .insert(bulkJobs)
      .values({ action: input.action, params: input.params, startedBy: input.by, status: "queued", total: ids.length, createdAt: input.now })
      .returning({ id: bulkJobs.id })
      .get();
    for (let from = 0; from < ids.length; from += 500) {
      tx.insert(bulkJobItems)
        .values(ids.slice(from, from + 500).map((requestId, i) => ({ jobId: job.id, position: from + i, requestId, outcome: "pending" as const })))
        .run();
    }
    return { ok: true as const, jobId: job.id, total: ids.length };
  });
}

type ItemOutcome = { outcome: "moved" | "unchanged"; message: string | null };

/** The step a person would take on the request's page, for this action. */
function carryOut(db: Db, request: RequestRow, job: { action: BulkAction; params: BulkParams }, actor: RequestActor, now: Date, ctx: PortalContext): ItemOutcome {
  const step = { reference: request.reference, actor, expectedVersion: request.version, now };
  const { params } = job;
  let result: ChangeResult;
  switch (job.action) {
    case "assign":
      result = assignRequest(db, { ...step, assigneeEmail: params.assignee ?? null });
      break;
    case "start_review":
      result = startReview(db, step);
      break;
    case "approve":
      result = approveRequest(db, { ...step, ctx, confirmedErasure: params.confirmedErasure === true });
      break;
    case "refuse":
      result = denyRequest(db, { ...step, note: params.reason ?? "", ctx });
      break;
    case "close":
      result = cancelRequestByStaff(db, { ...step, note: params.reason ?? "", ctx });
      break;
  }
  if (!result.ok) return { outcome: "unchanged", message: result.message };
  if (job.action === "approve" && result.request.status === "in_review") {
    const last = db.select({ action: requestEvents.action }).from(requestEvents).where(eq(requestEvents.requestId, request.id)).orderBy(desc(requestEvents.id)).limit(1).get();
    if (last?.action === FIRST_APPROVAL_ACTION) return { outcome: "moved", message: "First of two approvals recorded: a different staff member must give the second." };
  }
  return { outcome: "moved", message: null };
}

/** Who the action runs as, read again for every request: someone removed from the staff list, or made an auditor, stops. */
function actorOf(tx: Tx, email: string): RequestActor | { refused: string } {
  const member = preparedOnce(tx, "bulk: a staff member's role", (ex) =>
    ex.select({ role: staff.role }).from(staff).where(eq(staff.email, sql.placeholder("email"))).prepare(),
  ).get({ email });
  if (!member || !worksRequests(member.role)) return { refused: `${email}, who started this, may no longer change requests; it was left as it was.` };
  return { type: "staff", email, role: member.role };
}

function finishItem(tx: Tx, job: { id: number; total: number }, position: number, result: ItemOutcome, now: Date): void {
  preparedOnce(tx, "bulk: an item's outcome", (ex) =>
    ex
      .update(bulkJobItems)
      .set({ outcome: sql`${sql.placeholder("outcome")}`, message: sql`${sql.placeholder("message")}`, at: sql`${sql.placeholder("at")}` })
      .where(and(eq(bulkJobItems.jobId, sql.placeholder("jobId")), eq(bulkJobItems.position, sql.placeholder("position"))))
      .prepare(),
  ).run({ outcome: result.outcome, message: result.message, at: now.getTime(), jobId: job.id, position });
  preparedOnce(tx, "bulk: an action's progress", (ex) =>
    ex
      .update(bulkJobs)
      .set({
        done: sql`${bulkJobs.done} + 1`,
        moved: sql`${bulkJobs.moved} + ${sql.placeholder("moved")}`,
        status: sql`case when ${bulkJobs.done} + 1 >= ${bulkJobs.total} then 'done' else 'running' end`,
        finishedAt: sql`case when ${bulkJobs.done} + 1 >= ${bulkJobs.total} then ${sql.placeholder("now")} else null end`,
      })
      .where(eq(bulkJobs.id, sql.placeholder("jobId")))
      .prepare(),
  ).run({ moved: result.outcome === "moved" ? 1 : 0, now: now.getTime(), jobId: job.id });
}

/** An item of an action by its place in it. */
function itemAt(tx: Tx, jobId: number, position: number) {
  return preparedOnce(tx, "bulk: an item", (ex) =>
    ex
      .select({ requestId: bulkJobItems.requestId, outcome: bulkJobItems.outcome })
      .from(bulkJobItems)
      .where(and(eq(bulkJobItems.jobId, sql.placeholder("jobId")), eq(bulkJobItems.position, sql.placeholder("position"))))
      .prepare(),
  ).get({ jobId, position });
}

/**
 * Carries out one item, in one transaction with its outcome. Returns false
 * if it was no longer pending (another worker took it).
 */
function processItem(db: Db, job: { id: number; action: BulkAction; params: BulkParams; startedBy: string; total: number }, position: number, ctx: PortalContext, now: Date): boolean {
  try {
    return inTransaction(db, (tx) => {
      const item = itemAt(tx, job.id, position);
      if (!item || item.outcome !== "pending") return false;
      const actor = actorOf(tx, job.startedBy);
      const request = requestById(tx, item.requestId);
      const result: ItemOutcome =
        "refused" in actor
          ? { outcome: "unchanged", message: actor.refused }
          : !request
            ? { outcome: "unchanged", message: "This request no longer exists." }
            : carryOut(db, request, job, actor, now, ctx);
      finishItem(tx, job, position, result, now);
      return true;
    });
  } catch (error) {
    // A fault in the code, not in the request: its change rolled back; it is left as it was, and the rest go on.
    const id = randomUUID().slice(0, 8);
    console.error(`[bulk ${job.id}] [error ${id}]`, error);
    return inTransaction(db, (tx) => {
      const item = itemAt(tx, job.id, position);
      if (item?.outcome !== "pending") return false;
      finishItem(tx, job, position, { outcome: "unchanged", message: `Something went wrong on our side with this request (error ${id}); it was left as it was.` }, now);
      return true;
    });
  }
}

export type BulkWorkOptions = {
  ctx: PortalContext;
  now: () => Date;
  /** Stop after this long, to let other work run; more is done on the next call. */
  budgetMs: number;
  /** Hand the event loop back this often (the web server answers pages in between). */
  sliceMs: number;
  pause: () => Promise<void>;
  /** Only this job (the small batch an action carries out at once); otherwise the oldest unfinished. */
  jobId?: number;
};

function nextJob(db: Db, jobId?: number) {
  const unfinished = inArray(bulkJobs.status, ["queued", "running"] satisfies BulkJobStatus[]);
  return db
    .select({ id: bulkJobs.id, action: bulkJobs.action, params: bulkJobs.params, startedBy: bulkJobs.startedBy, total: bulkJobs.total })
    .from(bulkJobs)
    .where(jobId === undefined ? unfinished : and(unfinished, eq(bulkJobs.id, jobId)))
    .orderBy(asc(bulkJobs.id))
    .limit(1)
    .get();
}

/**
 * Works through the pending items, oldest job first, within the time
 * budget. Returns whether anything is left for the next call.
 */
export async function processBulkWork(db: Db, options: BulkWorkOptions): Promise<boolean> {
  const start = performance.now();
  let sliceStart = start;
  for (;;) {
    const job = nextJob(db, options.jobId);
    if (!job) return false;
    const pending = db
      .select({ position: bulkJobItems.position })
      .from(bulkJobItems)
      .where(and(eq(bulkJobItems.jobId, job.id), eq(bulkJobItems.outcome, "pending")))
      .orderBy(asc(bulkJobItems.position))
      .limit(50)
      .all();
    if (pending.length === 0) {
      // Every item is dealt with but the job was not marked (it had none left to mark it): close it now.
      inTransaction(db, (tx) => tx.update(bulkJobs).set({ status: "done", finishedAt: options.now() }).where(eq(bulkJobs.id, job.id)).run());
      continue;
    }
    for (const { position } of pending) {
      processItem(db, job, position, options.ctx, options.now());
      const now = performance.now();
      if (now - start >= options.budgetMs) return true;
      if (now - sliceStart >= options.sliceMs) {
        await options.pause();
        sliceStart = performance.now();
      }
    }
  }
}

export type BulkJobView = {
  id: number;
  action: BulkAction;
  actionLabel: string;
  startedBy: string;
  createdAt: Date;
  finishedAt: Date | null;
  status: BulkJobStatus;
  total: number;
  done: number;
  moved: number;
  /** What the action was given, in words: the assignee, the reason. */
  given: string | null;
  /** The requests left as they were, with why (the first 500), and how many in all. */
  unchanged: Array<{ reference: string; message: string }>;
  unchangedCount: number;
  /** Notes on requests that moved (a first of two approvals). */
  notes: Array<{ reference: string; message: string }>;
};

const LISTED = 500;

export function bulkJobView(db: Db, jobId: number): BulkJobView | null {
  const job = db.select().from(bulkJobs).where(eq(bulkJobs.id, jobId)).get();
  if (!job) return null;
  const itemsWith = (outcome: "moved" | "unchanged", onlyWithMessage: boolean) =>
    db
      .select({ reference: requests.reference, message: bulkJobItems.message })
      .from(bulkJobItems)
      .innerJoin(requests, eq(requests.id, bulkJobItems.requestId))
      .where(and(eq(bulkJobItems.jobId, jobId), eq(bulkJobItems.outcome, outcome), onlyWithMessage ? sql`${bulkJobItems.message} is not null` : undefined))
      .orderBy(asc(bulkJobItems.position))
      .limit(LISTED)
      .all()
      .map((r) => ({ reference: r.reference, message: r.message ?? "" }));
  const unchangedCount = db.select({ n: count() }).from(bulkJobItems).where(and(eq(bulkJobItems.jobId, jobId), eq(bulkJobItems.outcome, "unchanged"))).get()?.n ?? 0;
  const given = job.action === "assign" ? `To ${job.params.assignee ?? "nobody (back to the team)"}` : job.params.reason ? `Reason: ${job.params.reason}` : null;
  return {
    id: job.id,
    action: job.action,
    actionLabel: BULK_ACTION_WORDS[job.action].label,
    startedBy: job.startedBy,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    status: job.status,
    total: job.total,
    done: job.done,
    moved: job.moved,
    given,
    unchanged: itemsWith("unchanged", false),
    unchangedCount,
    notes: itemsWith("moved", true),
  };
}

export type BulkJobSummary = { id: number; action: BulkAction; actionLabel: string; startedBy: string; createdAt: Date; status: BulkJobStatus; total: number; done: number; moved: number };

/** The latest bulk actions, newest first, for the list of them. */
export function recentBulkJobs(db: Db, limit = 20): BulkJobSummary[] {
  return db
    .select()
    .from(bulkJobs)
    .orderBy(desc(bulkJobs.id))
    .limit(limit)
    .all()
    .map((j) => ({ id: j.id, action: j.action, actionLabel: BULK_ACTION_WORDS[j.action].label, startedBy: j.startedBy, createdAt: j.createdAt, status: j.status, total: j.total, done: j.done, moved: j.moved }));
}

/** "200 requests: 198 approved, 2 left as they were." */
export function bulkSummary(view: Pick<BulkJobView, "action" | "total" | "done" | "moved">): string {
  const unchanged = view.done - view.moved;
  return `${countOf(view.total, "request")}: ${view.moved.toLocaleString("en-GB")} ${BULK_ACTION_WORDS[view.action].done}, ${countOf(unchanged, "left as it was", "left as they were")}${view.done < view.total ? `, ${(view.total - view.done).toLocaleString("en-GB")} still to do` : ""}.`;
}
