import { lte } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { requestDrafts, verificationTokens } from "@/db/schema";

/** Forgets drafts nobody confirmed within a day, and sign-in tokens past their time. */
export function purgeExpiredDrafts(db: Db, now: Date): { drafts: number; tokens: number } {
  const drafts = db.delete(requestDrafts).where(lte(requestDrafts.expiresAt, now)).run().changes;
  const tokens = db.delete(verificationTokens).where(lte(verificationTokens.expires, now)).run().changes;
  return { drafts, tokens };
}
