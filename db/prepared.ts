/**
 * Queries prepared once per connection and kept: building a query's SQL and
 * having SQLite compile it costs more than running it, on the pages every
 * visitor loads. A prepared query takes its values by name
 * (`sql.placeholder("name")`) each time it runs.
 */
import type { Db } from "./connection";

const prepared = new WeakMap<Db, Map<string, unknown>>();

export function preparedOnce<T>(db: Db, name: string, prepare: (db: Db) => T): T {
  let byName = prepared.get(db);
  if (!byName) {
    byName = new Map();
    prepared.set(db, byName);
  }
  if (!byName.has(name)) byName.set(name, prepare(db));
  return byName.get(name) as T;
}
