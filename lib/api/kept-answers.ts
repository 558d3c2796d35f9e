/**
 * Answers to read calls kept while the database is unchanged. Programs poll:
 * a CRM asks for the newest requests every minute, a dashboard every few
 * seconds, and most of those polls find nothing new. While nothing at all
 * has been written to the database (`changeVersion`), the same call on the
 * same day gets the same answer, so it is given again as it was written out,
 * without reading the page or serialising it a second time. Anything written,
 * by this server or any other program on the database file, and the next
 * call works its answer out afresh.
 */
import type { Db } from "@/db/connection";
import { keptWhileUnchanged } from "@/db/change-version";

/**
 * The JSON text of `work()`'s answer for `key` (which must name everything
 * besides the database that the answer depends on), kept from an earlier
 * call when the database has not changed since.
 */
export function keptAnswer(db: Db, key: string, work: () => unknown): string {
  return keptWhileUnchanged(db, `api ${key}`, () => JSON.stringify(work()));
}
