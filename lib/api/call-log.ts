/**
 * The staff-only record of API use: every call made with a key (which key,
 * which route, which request, the answer's status), and the key's last use.
 * Kept for CALL_LOG_DAYS, then forgotten.
 */
import { lt } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { apiCalls } from "@/db/schema";
import { inRawTransaction } from "@/db/transaction";
import { withoutVersionChange } from "@/db/change-version";

export const CALL_LOG_DAYS = 90;

type CallRecord = { keyId: number; at: Date; method: string; route: string; status: number; reference: string | null };

const statements = new WeakMap<Db, { insert: import("better-sqlite3").Statement; touch: import("better-sqlite3").Statement }>();

/** The call and the key's last use, together; prepared once per connection, since every call writes them. */
export function recordApiCall(db: Db, call: CallRecord): void {
  let prepared = statements.get(db);
  if (!prepared) {
    prepared = {
      insert: db.$client.prepare("insert into api_calls (key_id, at, method, route, status, reference) values (?, ?, ?, ?, ?, ?)"),
      touch: db.$client.prepare("update api_keys set last_used_at = ? where id = ?"),
    };
    statements.set(db, prepared);
  }
  const { insert, touch } = prepared;
  const at = call.at.getTime();
  // No answer kept for a poll reads the call log, so recording a poll does not discard the next poll's answer.
  withoutVersionChange(db, () =>
    inRawTransaction(db.$client, () => {
      insert.run(call.keyId, at, call.method, call.route, call.status, call.reference);
      touch.run(at, call.keyId);
    }),
  );
}

/** Forgets calls older than CALL_LOG_DAYS. */
export function forgetOldCalls(db: Db, now: Date): number {
  return db.delete(apiCalls).where(lt(apiCalls.at, new Date(now.getTime() - CALL_LOG_DAYS * 24 * 60 * 60_000))).run().changes;
}
