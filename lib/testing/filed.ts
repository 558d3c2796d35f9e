import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { requests } from "@/db/schema";

/** Test helper: the successful result of filing, or an error saying why it was not filed. */
export function filed<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`Expected the request to be filed, but: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

/**
 * For test files that file request after request from one address into one
 * database: the address's earlier requests still open are marked cancelled,
 * straight in the table, so the next one is not flagged as their possible
 * duplicate. Flagging itself is tested in
 * lib/requests/casework/duplicate-decision.test.ts.
 */
export function closeEarlierRequestsOf(db: Db, email: string): void {
  db.update(requests)
    .set({ status: "canceled", closedAt: new Date(0) })
    .where(and(eq(requests.subjectEmail, email), inArray(requests.status, ["received", "in_review", "awaiting_supporter", "approved"])))
    .run();
}
