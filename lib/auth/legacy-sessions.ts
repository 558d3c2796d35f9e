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

/** A stored value that cannot be a hash: not 64 characters, or one that is not lowercase hex. */
const PLAIN = "length(sessionToken) != 64 or sessionToken glob '*[^0-9a-f]*'";

/** Hashes every session token still stored as it is; returns how many were converted. */
export function convertLegacySessions(db: Db): number {
  const sqlite = db.$client;
  if (!sqlite.prepare(`select 1 from sessions where ${PLAIN} limit 1`).get()) return 0;
  return inRawTransaction(sqlite, () => {
    const plain = sqlite.prepare(`select sessionToken from sessions where ${PLAIN}`).pluck().all() as string[];
    const write = sqlite.prepare("update sessions set sessionToken = ? where sessionToken = ?");
    let converted = 0;
    for (const token of plain) {
      // The query and the check say the same; the check is the one the rest of the code trusts.
      if (isStoredSessionToken(token)) continue;
      converted += write.run(storedSessionToken(token), token).changes;
    }
    return converted;
  });
}
