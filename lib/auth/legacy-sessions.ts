/**
 * Sessions started before tokens were kept hashed hold the token itself in
 * `sessions.sessionToken`, the same value as the browser's cookie. Migration
 * converts them once (db/migrate.ts), in one transaction: each such value is
 * replaced by its stored form, so nobody is signed out and the database no
 * longer holds a working cookie. A value that already is a hash (64 hex
 * characters; tokens are UUIDs) is left as it is, so running this again
 * changes nothing.
 */
import type { Db } from "@/db/connection";
import { inRawTransaction } from "@/db/transaction";
import { isStoredSessionToken, storedSessionToken } from "./sessions";

/** Hashes every session token still stored as it is; returns how many were converted. */
export function convertLegacySessions(db: Db): number {
  const sqlite = db.$client;
  // Sessions live twelve hours, so there are few rows; what counts as already hashed has one home (isStoredSessionToken).
  const plain = (sqlite.prepare("select sessionToken from sessions").pluck().all() as string[]).filter((token) => !isStoredSessionToken(token));
  if (plain.length === 0) return 0;
  return inRawTransaction(sqlite, () => {
    // By value, so a token another process converted in between is simply not found.
    const write = sqlite.prepare("update sessions set sessionToken = ? where sessionToken = ?");
    let converted = 0;
    for (const token of plain) converted += write.run(storedSessionToken(token), token).changes;
    return converted;
  });
}
