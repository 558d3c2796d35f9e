/**
 * Queries prepared once per connection and kept: building a query's SQL and
 * having SQLite compile it costs more than running it, on the pages every
 * visitor loads and on the paths that write most (filing a request, each
 * event on the record, each email queued). A prepared query takes its
 * values by name (`sql.placeholder("name")`) each time it runs.
 *
 * A transaction runs on its database's connection, so a query prepared
 * through either is kept for both, and runs inside whichever transaction is
 * open when it runs.
 */
import type { Executor } from "./connection";

const prepared = new WeakMap<object, Map<string, unknown>>();

/** The connection a database or transaction handle runs on: drizzle's session, which a transaction shares with its database. */
function connectionOf(executor: Executor): object {
  const session = (executor as unknown as { session?: object }).session;
  if (!session) throw new Error("A query can only be prepared on a drizzle database or transaction.");
  return session;
}

/** The query `name` on this connection, prepared by `prepare` the first time. One name, one query. */
export function preparedOnce<E extends Executor, T>(executor: E, name: string, prepare: (executor: E) => T): T {
  const connection = connectionOf(executor);
  let byName = prepared.get(connection);
  if (!byName) {
    byName = new Map();
    prepared.set(connection, byName);
  }
  if (!byName.has(name)) byName.set(name, prepare(executor));
  return byName.get(name) as T;
}
