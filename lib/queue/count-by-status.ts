/**
 * How many requests stand in each status, across the whole queue. Read from
 * `request_status_counts`, which triggers on `requests` keep in step with
 * every insert, status change and delete in the same transaction (see
 * db/schema.ts), so this costs seven rows however long the history grows.
 */
import type { Db } from "@/db/connection";
import { requestStatusCounts, REQUEST_STATUSES, type RequestStatus } from "@/db/schema";
import { describeStatus } from "@/lib/vocabulary/request-statuses";

export type StatusCount = { status: RequestStatus; label: string; count: number };

export type StatusCounts = { byStatus: StatusCount[]; total: number };

export function statusCountsQuery(db: Db) {
  return db.select({ status: requestStatusCounts.status, n: requestStatusCounts.count }).from(requestStatusCounts);
}

/** Every status in workflow order, zero where none stand in it. */
export function countByStatus(db: Db): StatusCounts {
  const found = new Map(statusCountsQuery(db).all().map((r) => [r.status, r.n]));
  const byStatus = REQUEST_STATUSES.map((status) => ({ status, label: describeStatus(status), count: found.get(status) ?? 0 }));
  return { byStatus, total: byStatus.reduce((sum, s) => sum + s.count, 0) };
}
