import type { Db } from "@/db/connection";

/** A query unexecuted, with its values: what drizzle's `toSQL()` gives. */
export type PlannedQuery = { toSQL(): { sql: string; params: unknown[] } };

/** SQLite's plan for a query, one step per line, as `EXPLAIN QUERY PLAN` words it. */
export function queryPlan(db: Db, query: PlannedQuery): string[] {
  const { sql, params } = query.toSQL();
  return (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
}
