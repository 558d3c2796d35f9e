import type { Db } from "@/db/connection";

/**
 * One named piece of background work. The scheduler runs every job on each
 * of its beats, in order; a job does whatever has fallen due by `now` and
 * nothing else, so a beat with nothing to do takes no write lock.
 *
 * The work itself is queued elsewhere, inside the transaction of the change
 * that causes it (a message in the outbox, a task for an outside system, an
 * erased address), so nothing is lost if the process stops between beats.
 */
export type Job = {
  /** Names the job in the log. */
  name: string;
  /** Does what is due. True when it queued mail that should go out at once, on the next beat. */
  run(db: Db, now: Date): Promise<boolean | void> | boolean | void;
};
