/**
 * The record's daily jobs (anchor, retention, backup) each claim their
 * calendar day in `daily_runs` before starting, so two workers (the
 * server's and `npm run mail:worker`) never both do a day's work. A claim
 * whose job never finished (its process died) may be taken again after an
 * hour.
 */
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { dailyRuns } from "@/db/schema";
import { inTransaction } from "@/db/transaction";

export const RECORD_JOBS = ["anchor", "retention", "backup"] as const;
export type RecordJob = (typeof RECORD_JOBS)[number];

const ABANDONED_AFTER_MS = 60 * 60_000;

/** Claims the day for the job; false when it was already claimed (and not abandoned). */
export function claimDay(db: Db, input: { job: RecordJob; day: string; now: Date }): boolean {
  return inTransaction(db, (tx) => {
    const inserted = tx.insert(dailyRuns).values({ job: input.job, day: input.day, startedAt: input.now }).onConflictDoNothing().run().changes;
    if (inserted > 0) return true;
    const retaken = tx
      .update(dailyRuns)
      .set({ startedAt: input.now, outcome: null })
      .where(
        and(
          eq(dailyRuns.job, input.job),
          eq(dailyRuns.day, input.day),
          isNull(dailyRuns.finishedAt),
          lt(dailyRuns.startedAt, new Date(input.now.getTime() - ABANDONED_AFTER_MS)),
        ),
      )
      .run().changes;
    return retaken > 0;
  });
}

/**
 * Whether the job's day is taken: done, or claimed within the hour. One
 * look-up by primary key, cheap enough for every beat of the worker.
 */
export function dayTaken(db: Db, input: { job: RecordJob; day: string; now: Date }): boolean {
  const run = db.select().from(dailyRuns).where(and(eq(dailyRuns.job, input.job), eq(dailyRuns.day, input.day))).get();
  if (!run) return false;
  return run.finishedAt !== null || run.startedAt.getTime() >= input.now.getTime() - ABANDONED_AFTER_MS;
}

export function finishDay(db: Db, input: { job: RecordJob; day: string; now: Date; outcome: string }): void {
  db.update(dailyRuns)
    .set({ finishedAt: input.now, outcome: input.outcome })
    .where(and(eq(dailyRuns.job, input.job), eq(dailyRuns.day, input.day)))
    .run();
}
