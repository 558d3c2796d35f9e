/**
 * next-auth still reads sessions (GET /api/auth/session) and ends them
 * (POST /api/auth/signout) through its database adapter, which looks rows up
 * by the token it is given. This wraps the adapter so that every session
 * method hashes the cookie's token first (lib/auth/sessions.ts
 * `storedSessionToken`) and hands back the token, never the stored hash.
 */
import type { Adapter, AdapterSession } from "next-auth/adapters";
import { storedSessionToken } from "./sessions";

/** A session as next-auth sees it: with the cookie's token in place of the stored hash. */
function asSeen<S extends AdapterSession | null | undefined>(session: S, token: string): S {
  return session ? { ...session, sessionToken: token } : session;
}

export function withStoredSessionTokens(adapter: Adapter): Adapter {
  const { createSession, getSessionAndUser, updateSession, deleteSession } = adapter;
  return {
    ...adapter,
    ...(createSession && {
      createSession: async (session) => asSeen(await createSession({ ...session, sessionToken: storedSessionToken(session.sessionToken) }), session.sessionToken),
    }),
    ...(getSessionAndUser && {
      getSessionAndUser: async (token) => {
        const found = await getSessionAndUser(storedSessionToken(token));
        return found ? { ...found, session: asSeen(found.session, token) } : null;
      },
    }),
    ...(updateSession && {
      updateSession: async (session) => asSeen(await updateSession({ ...session, sessionToken: storedSessionToken(session.sessionToken) }), session.sessionToken),
    }),
    ...(deleteSession && {
      deleteSession: async (token): Promise<AdapterSession | null | undefined> => {
        const ended = await deleteSession(storedSessionToken(token));
        return ended ? asSeen(ended, token) : null;
      },
    }),
  };
}
