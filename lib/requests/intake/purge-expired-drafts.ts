import { lte } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { requestDrafts, usedSignInLinks, usedUnsubscribeLinks, verificationTokens } from "@/db/schema";
import { SPENT_LINK_MEMORY_MS } from "@/lib/auth/sign-in-link";

/**
 * Forgets drafts nobody confirmed within a day, sign-in tokens (unused or
 * used) a week after their time (until then a click on one can be told
 * "expired" or "already used" rather than "not valid"), and used one-click
 * unsubscribe links once they have expired (from then on they are refused
 * whether remembered or not).
 */
export function purgeExpiredDrafts(
  db: Db,
  now: Date,
): { drafts: number; tokens: number; usedLinks: number; usedUnsubscribeLinks: number } {
  const forgetBefore = new Date(now.getTime() - SPENT_LINK_MEMORY_MS);
  const drafts = db.delete(requestDrafts).where(lte(requestDrafts.expiresAt, now)).run().changes;
  const tokens = db.delete(verificationTokens).where(lte(verificationTokens.expires, forgetBefore)).run().changes;
  const usedLinks = db.delete(usedSignInLinks).where(lte(usedSignInLinks.expires, forgetBefore)).run().changes;
  const unsubscribed = db.delete(usedUnsubscribeLinks).where(lte(usedUnsubscribeLinks.expires, now)).run().changes;
  return { drafts, tokens, usedLinks, usedUnsubscribeLinks: unsubscribed };
}
