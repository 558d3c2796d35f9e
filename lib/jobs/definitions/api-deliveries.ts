/**
 * Other programs' background work (lib/api/chores.ts): the deadline sweep
 * that writes "due soon" and "overdue" into the log, the feed from the log to
 * the delivery outbox, event deliveries to subscriptions and status
 * callbacks to authorised agents, and forgetting old calls and messages.
 */
import { apiChores, type ApiChoreOptions } from "@/lib/api/chores";
import type { Db } from "@/db/connection";
import type { Job } from "./job";

export function apiDeliveriesJob(options: ApiChoreOptions): Job {
  let chores: ReturnType<typeof apiChores> | null = null;
  return {
    name: "api-deliveries",
    async run(db: Db, now) {
      chores ??= apiChores(db, options);
      await chores.run(now);
    },
  };
}
