/**
 * Sessions, kept the way next-auth's database strategy keeps them, so that
 * next-auth (which still reads them) and lib/auth/load-viewer.ts see a
 * session started here like one of its own: a row in `users` for the address,
 * a row in `sessions`, and a random token in the browser's cookie.
 *
 * The row keeps only a hash of the token (`storedSessionToken`), as sign-in
 * links and API keys are kept: a copy of the database signs nobody in. Every
 * read and write by token goes through that one function, next-auth's too
 * (server/auth.ts).
 *
 * Each session also records when it started, when it was last used and the
 * device it was started from, so staff can see their sessions and end any.
 * A session is named on pages by its "handle", the start of that hash,
 * never by the token, which is as good as the cookie.
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
  if (input.replacing) tx.delete(sessions).where(eq(sessions.sessionToken, storedSessionToken(input.replacing))).run();
  const session = { token: randomUUID(), expires: new Date(now.getTime() + SESSION_HOURS * 3_600_000), secondFactor: input.secondFactor ?? null };
  tx.insert(sessions)
    .values({
      sessionToken: storedSessionToken(session.token),
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

/**
 * What `sessions.sessionToken` holds for a token: its SHA-256 hash, in hex.
 * The token is a random UUID, so the hash cannot be turned back into it, and
 * a stored value sent as a cookie finds no session.
 */
export function storedSessionToken(token: string): string {
  return createHash("sha256").update(`session:${token}`).digest("hex");
}

/** Whether a stored value is already a hash (64 lowercase hex characters); tokens are UUIDs, which never are. */
export function isStoredSessionToken(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

const HANDLE_LENGTH = 32;

/** The handle of a stored session: the start of its hash, so handles did not change when tokens began to be stored hashed. */
function handleOfStored(stored: string): string {
  return stored.slice(0, HANDLE_LENGTH);
}

/** The name a session goes by on pages and in forms: a hash of its token, from which the token cannot be found. */
export function sessionHandle(token: string): string {
  return handleOfStored(storedSessionToken(token));
}

/** Whether the stored session `stored` is the one behind the cookie `token`. */
export function isSessionOf(stored: string, token: string | null | undefined): boolean {
  return token != null && stored === storedSessionToken(token);
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
  db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.sessionToken, storedSessionToken(token))).run();
}

/** Ends the session behind the cookie `token` (signing out); returns whether there was one. */
export function endSession(db: Executor, token: string): boolean {
  return db.delete(sessions).where(eq(sessions.sessionToken, storedSessionToken(token))).run().changes > 0;
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
    .select({ stored: sessions.sessionToken, device: sessions.device, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(users.email, input.email), gt(sessions.expires, input.now)))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt))
    .all();
  const current = input.currentToken != null ? storedSessionToken(input.currentToken) : null;
  return rows
    .filter((r) => input.idleMs === null || !idleTooLong(r.lastSeenAt ?? r.createdAt, input.now, input.idleMs))
    .map((r) => summaryOf(r, current));
}

/** How a stored session reads in a list; `current` is the stored form of the viewer's own token, if any. */
export function summaryOf(
  row: { stored: string; device: string | null; createdAt: Date | null; lastSeenAt: Date | null },
  current: string | null,
): SessionSummary {
  return {
    handle: handleOfStored(row.stored),
    device: row.device ?? "A browser (signed in before devices were recorded)",
    startedAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    current: current !== null && row.stored === current,
  };
}

/**
 * Ends one of the address's sessions, named by its handle. Returns what it
 * ended (for the record) and its stored form, or null when the address has
 * no such session.
 */
export function endSessionByHandle(tx: Executor, input: { email: string; handle: string }): { device: string; stored: string } | null {
  const rows = tx
    .select({ stored: sessions.sessionToken, device: sessions.device })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(users.email, input.email))
    .all();
  const found = rows.find((r) => handleOfStored(r.stored) === input.handle);
  if (!found) return null;
  tx.delete(sessions).where(eq(sessions.sessionToken, found.stored)).run();
  return { device: found.device ?? "a browser", stored: found.stored };
}

/** Ends every session of the address but `keepToken`'s; returns how many ended. */
export function endOtherSessions(tx: Executor, input: { email: string; keepToken: string }): number {
  const user = tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
  if (!user) return 0;
  const keep = storedSessionToken(input.keepToken);
  const others = tx.select({ stored: sessions.sessionToken }).from(sessions).where(eq(sessions.userId, user.id)).all().filter((r) => r.stored !== keep);
  for (const other of others) tx.delete(sessions).where(eq(sessions.sessionToken, other.stored)).run();
  return others.length;
}
