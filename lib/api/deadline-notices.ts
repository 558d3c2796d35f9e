/**
 * "Due soon" and "overdue" are not steps anyone takes: the calendar brings
 * them. This sweep writes each into the request's log the first time it is
 * true for a due date (the same tests as the queue's deadline filters), so
 * the event stream and subscriptions hear of them in the log's order, once.
 * A new due date (an extension, a stopped clock) can bring them again.
 */
import { and, eq, isNull, lt, gte, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db/connection";
import { deadlineNotices, requests, RUNNING_CLOCK_SQL } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { recordEvent } from "@/lib/requests/lifecycle/events";
import { calendarDateIn } from "@/lib/calendar/dates";
import { DUE_SOON_ACTION, OVERDUE_ACTION } from "./event-kinds";

/** Notices written per transaction, so a first sweep over a large backlog never holds the write lock for long. */
export const NOTICE_BATCH = 200;

type Kind = "due_soon" | "overdue";

function dueWithoutNotice(db: Executor, kind: Kind, today: string, limit: number) {
  const running = sql.raw(`(${RUNNING_CLOCK_SQL})`);
  const test =
    kind === "overdue"
      ? lt(requests.dueOn, today)
      : and(gte(requests.dueOn, today), sql`(julianday(${requests.dueOn}) - julianday(${today})) * 4 < max(1, julianday(${requests.dueOn}) - julianday(${requests.receivedOn}))`);
  return db
    .select({ id: requests.id, dueOn: requests.dueOn })
    .from(requests)
    .leftJoin(deadlineNotices, and(eq(deadlineNotices.requestId, requests.id), eq(deadlineNotices.kind, kind), eq(deadlineNotices.dueOn, requests.dueOn)))
    .where(and(running, test, isNull(deadlineNotices.requestId)))
    .orderBy(requests.dueOn, requests.id)
    .limit(limit)
    .all();
}

/** Records the notices due now; how many it wrote. */
export function recordDeadlineNotices(db: Db, input: { now: Date; timeZone: string; batch?: number; maxBatches?: number }): number {
  const today = calendarDateIn(input.now, input.timeZone);
  const batch = input.batch ?? NOTICE_BATCH;
  let written = 0;
  for (const kind of ["overdue", "due_soon"] as const) {
    for (let round = 0; round < (input.maxBatches ?? 10); round++) {
      const count = inTransaction(db, (tx) => {
        // Read again inside the write lock, so two workers never record the same notice.
        const due = dueWithoutNotice(tx, kind, today, batch);
        for (const request of due) {
          tx.insert(deadlineNotices).values({ requestId: request.id, kind, dueOn: request.dueOn }).run();
          recordEvent(tx, {
            requestId: request.id,
            at: input.now,
            actorType: "system",
            actorEmail: null,
            action: kind === "overdue" ? OVERDUE_ACTION : DUE_SOON_ACTION,
            fromStatus: null,
            toStatus: null,
            note: `Due on ${request.dueOn}.`,
          });
        }
        return due.length;
      });
      written += count;
      if (count < batch) break;
    }
  }
  return written;
}
