/**
 * Sessions, kept the way next-auth's database strategy keeps them, so that
 * next-auth (which still reads them) and lib/auth/load-viewer.ts see a
 * session started here like one of its own: a row in `users` for the address,
 * a random token in `sessions`, and that token in the browser's cookie.
 *
 * Each session also records when it started, when it was last used and the
 * device it was started from, so staff can see their sessions and end any.
 * A session is named on pages by a hash of its token (its "handle"), never
 * by the token, which is as good as the cookie.
 */
import { createHash, randomUUID } from "node:crypto";
import { and, desc, eq, gt } from "drizzle-orm";
import type { Db, Executor } from "@/db/connection";
import { sessions, users, type SecondFactor } from "@/db/schema";

export const SESSION_HOURS = 12;

/** How often, at most, a session's "last seen" moves forward: often enough for idle time, rarely enough not to write on every page. */
export const TOUCH_EVERY_MS = 60_000;

export type StartedSession = { token: string; expires: Date; secondFactor: SecondFactor | null };

/**
 * Signs `email` in: its user row is created, or marked verified again, and a
 * new session is stored. The session this browser had before (`replacing`),
 * whoever it belonged to, ends, as its cookie is about to be overwritten.
 */
export function startSession(
  tx: Executor,
  input: { email: string; now: Date; replacing: string | null; device?: string | null; secondFactor?: SecondFactor | null },
): StartedSession {
  const { email, now } = input;
  const existing = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  const userId = existing?.id ?? randomUUID();
  if (existing) tx.update(users).set({ emailVerified: now }).where(eq(users.id, userId)).run();
  else tx.insert(users).values({ id: userId, email, emailVerified: now }).run();
  if (input.replacing) tx.delete(sessions).where(eq(sessions.sessionToken, input.replacing)).run();
  const session = { token: randomUUID(), expires: new Date(now.getTime() + SESSION_HOURS * 3_600_000), secondFactor: input.secondFactor ?? null };
  tx.insert(sessions)
    .values({
      sessionToken: session.token,
      userId,
      expires: session.expires,
      createdAt: now,
      lastSeenAt: now,
      device: input.device ?? null,
      secondFactor: input.secondFactor ?? null,
    })
    .run();
  return session;
}

/** The name a session goes by on pages and in forms: a hash of its token, from which the token cannot be found. */
export function sessionHandle(token: string): string {
  return createHash("sha256").update(`session:${token}`).digest("hex").slice(0, 32);
}

/** Whether a session last used at `seen` has been idle longer than `idleMs` by `now`. Null: not seen since these were kept. */
export function idleTooLong(seen: Date | null, now: Date, idleMs: number): boolean {
  return seen !== null && now.getTime() - seen.getTime() > idleMs;
}

/** Whether it is time to move the session's "last seen" forward. */
export function touchDue(lastSeenAt: Date | null, now: Date, idleMs: number): boolean {
  return lastSeenAt === null || now.getTime() - lastSeenAt.getTime() >= Math.min(TOUCH_EVERY_MS, idleMs / 4);
}

/** Records that the session was used now. */
export function touchSession(db: Db, token: string, now: Date): void {
  db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.sessionToken, token)).run();
}

export type SessionSummary = {
  handle: string;
  device: string;
  startedAt: Date | null;
  lastSeenAt: Date | null;
  /** The session of the browser looking at the list. */
  current: boolean;
};

/**
 * The sessions of the address that are still live: not expired and, when
 * `idleMs` is given (a staff member's), not idle for longer than that. Most
 * recently used first.
 */
export function liveSessionsOf(db: Executor, input: { email: string; now: Date; idleMs: number | null; currentToken?: string | null }): SessionSummary[] {
  const rows = db
    .select({ token: sessions.sessionToken, device: sessions.device, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(users.email, input.email), gt(sessions.expires, input.now)))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt))
    .all();
  return rows
    .filter((r) => input.idleMs === null || !idleTooLong(r.lastSeenAt ?? r.createdAt, input.now, input.idleMs))
    .map((r) => ({
      handle: sessionHandle(r.token),
      device: r.device ?? "A browser (signed in before devices were recorded)",
      startedAt: r.createdAt,
      lastSeenAt: r.lastSeenAt,
      current: input.currentToken != null && r.token === input.currentToken,
    }));
}

/**
 * Ends one of the address's sessions, named by its handle. Returns what it
 * ended (for the record), or null when the address has no such session.
 */
export function endSessionByHandle(tx: Executor, input: { email: string; handle: string }): { device: string; token: string } | null {
  const rows = tx
    .select({ token: sessions.sessionToken, device: sessions.device })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(users.email, input.email))
    .all();
  const found = rows.find((r) => sessionHandle(r.token) === input.handle);
  if (!found) return null;
  tx.delete(sessions).where(eq(sessions.sessionToken, found.token)).run();
  return { device: found.device ?? "a browser", token: found.token };
}

/** Ends every session of the address but `keepToken`'s; returns how many ended. */
export function endOtherSessions(tx: Executor, input: { email: string; keepToken: string }): number {
  const user = tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
  if (!user) return 0;
  const others = tx.select({ token: sessions.sessionToken }).from(sessions).where(eq(sessions.userId, user.id)).all().filter((r) => r.token !== input.keepToken);
  for (const other of others) tx.delete(sessions).where(eq(sessions.sessionToken, other.token)).run();
  return others.length;
}
