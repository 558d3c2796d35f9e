/**
 * Sessions, kept the way next-auth's database strategy keeps them, so that
 * next-auth (which still reads them) and lib/auth/load-viewer.ts see a
 * session started here like one of its own: a row in `users` for the address,
 * a random token in `sessions`, and that token in the browser's cookie.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { sessions, users } from "@/db/schema";

export const SESSION_HOURS = 12;

export type StartedSession = { token: string; expires: Date };

/**
 * Signs `email` in: its user row is created, or marked verified again, and a
 * new session is stored. The session this browser had before (`replacing`),
 * whoever it belonged to, ends, as its cookie is about to be overwritten.
 */
export function startSession(tx: Executor, input: { email: string; now: Date; replacing: string | null }): StartedSession {
  const { email, now } = input;
  const existing = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  const userId = existing?.id ?? randomUUID();
  if (existing) tx.update(users).set({ emailVerified: now }).where(eq(users.id, userId)).run();
  else tx.insert(users).values({ id: userId, email, emailVerified: now }).run();
  if (input.replacing) tx.delete(sessions).where(eq(sessions.sessionToken, input.replacing)).run();
  const session = { token: randomUUID(), expires: new Date(now.getTime() + SESSION_HOURS * 3_600_000) };
  tx.insert(sessions).values({ sessionToken: session.token, userId, expires: session.expires }).run();
  return session;
}
