/**
 * The second factor after the emailed link. Anyone who controls a staff
 * member's mailbox could follow their link; once the member has a passkey,
 * the link alone starts a session that waits for it ("passkey"), and where
 * the organisation requires passkeys a member without one must add one first
 * ("enrol"). Until the wait is over the session reaches no staff page, route
 * or action (lib/auth/load-viewer.ts reads it as a supporter's).
 */
import { randomUUID } from "node:crypto";
import { and, count, eq, isNull, lt } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { passkeys, sessions, signInPolicy, staff, users, webauthnChallenges, type SecondFactor } from "@/db/schema";
import { storedSessionToken } from "./sessions";

/** How long a passkey ceremony's challenge may be answered. */
export const CHALLENGE_MINUTES = 5;

export function passkeysRequired(tx: Executor): boolean {
  return tx.select({ required: signInPolicy.passkeysRequired }).from(signInPolicy).get()?.required ?? false;
}

export function passkeyCountOf(tx: Executor, email: string): number {
  return tx.select({ n: count() }).from(passkeys).innerJoin(staff, eq(staff.id, passkeys.staffId)).where(eq(staff.email, email)).get()?.n ?? 0;
}

/** What a session started by the emailed link for `email` must wait for, if anything. Supporters wait for nothing. */
export function secondFactorFor(tx: Executor, email: string): SecondFactor | null {
  const member = tx.select({ id: staff.id }).from(staff).where(eq(staff.email, email)).get();
  if (!member) return null;
  if (passkeyCountOf(tx, email) > 0) return "passkey";
  return passkeysRequired(tx) ? "enrol" : null;
}

/**
 * A person just put on the staff list may already be signed in (as a
 * supporter, by the same emailed link). Those sessions now wait for what a
 * member's account asks, as a new sign-in would: where passkeys are required,
 * adding one first. Returns how many sessions now wait.
 */
export function holdSessionsOfNewMember(tx: Executor, email: string): number {
  const waitFor = secondFactorFor(tx, email);
  const user = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (!waitFor || !user) return 0;
  return tx.update(sessions).set({ secondFactor: waitFor }).where(and(eq(sessions.userId, user.id), isNull(sessions.secondFactor))).run().changes;
}

/**
 * The member now has a passkey (added in one of their sessions): their other
 * sessions still waiting to add a first one wait instead to use one, as a
 * new sign-in would. Returns how many changed.
 */
export function awaitPasskeyInsteadOfEnrolling(tx: Executor, email: string): number {
  const user = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (!user) return 0;
  return tx.update(sessions).set({ secondFactor: "passkey" }).where(and(eq(sessions.userId, user.id), eq(sessions.secondFactor, "enrol"))).run().changes;
}

/** Passkeys are no longer required: no session waits any more to add a first one. Returns how many were waiting. */
export function releaseSessionsWaitingToEnrol(tx: Executor): number {
  return tx.update(sessions).set({ secondFactor: null }).where(eq(sessions.secondFactor, "enrol")).run().changes;
}

/** A session's new token, for the browser's cookie, and when the session ends (unchanged). */
export type RenewedSession = { token: string; expires: Date };

/**
 * The session has shown its second factor (or added its first passkey): it
 * may now reach the dashboard. A session that was waiting gets a new token
 * as it does (`renewed`, for the cookie), so that a token known before the
 * passkey was used (one planted in the browser by someone who read the
 * member's mail, say) opens nothing after it. Null when the session is gone.
 */
export function clearSecondFactor(tx: Executor, token: string): { renewed: RenewedSession | null } | null {
  const where = eq(sessions.sessionToken, storedSessionToken(token));
  const row = tx.select({ secondFactor: sessions.secondFactor, expires: sessions.expires }).from(sessions).where(where).get();
  if (!row) return null;
  if (!row.secondFactor) return { renewed: null };
  const renewed = { token: randomUUID(), expires: row.expires };
  tx.update(sessions).set({ secondFactor: null, sessionToken: storedSessionToken(renewed.token) }).where(where).run();
  return { renewed };
}

export type CeremonyPurpose = "register" | "authenticate";

/** Keeps the challenge just issued to this session for this purpose, replacing any earlier one; clears out stale ones. */
export function storeChallenge(tx: Executor, input: { sessionHandle: string; purpose: CeremonyPurpose; challenge: string; now: Date }): void {
  tx.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, input.now)).run();
  tx.insert(webauthnChallenges)
    .values({ sessionHandle: input.sessionHandle, purpose: input.purpose, challenge: input.challenge, expiresAt: new Date(input.now.getTime() + CHALLENGE_MINUTES * 60_000) })
    .onConflictDoUpdate({
      target: [webauthnChallenges.sessionHandle, webauthnChallenges.purpose],
      set: { challenge: input.challenge, expiresAt: new Date(input.now.getTime() + CHALLENGE_MINUTES * 60_000) },
    })
    .run();
}

/** Spends the session's challenge for this purpose: it is deleted whatever happens next, and null if there is none or it expired. */
export function takeChallenge(tx: Executor, input: { sessionHandle: string; purpose: CeremonyPurpose; now: Date }): string | null {
  const where = and(eq(webauthnChallenges.sessionHandle, input.sessionHandle), eq(webauthnChallenges.purpose, input.purpose));
  const row = tx.select().from(webauthnChallenges).where(where).get();
  if (!row) return null;
  tx.delete(webauthnChallenges).where(where).run();
  return row.expiresAt.getTime() >= input.now.getTime() ? row.challenge : null;
}
