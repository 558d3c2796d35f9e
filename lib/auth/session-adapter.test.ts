import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { Adapter } from "next-auth/adapters";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { withStoredSessionTokens } from "./session-adapter";
import { startSession, storedSessionToken } from "./sessions";

const now = new Date("2026-05-04T10:00:00Z");
const HOUR = 3_600_000;
const TOKEN = "5b0c2d0e-8a6f-4c1e-9d7a-2f3b4c5d6e7f";

/** What next-auth is handed as the cookie: the real one, or the value a copy of the database holds. */
const BY: Array<{ what: string; cookieOf: (token: string) => string; works: boolean }> = [
  { what: "the cookie's token", cookieOf: (token) => token, works: true },
  { what: "the value stored in the database", cookieOf: storedSessionToken, works: false },
];

/** next-auth's adapter as server/auth.ts builds it, on a temporary database. */
describe("next-auth's adapter, on sessions kept by their hash", () => {
  let t: TempDatabase;
  let adapter: Required<Pick<Adapter, "createSession" | "getSessionAndUser" | "updateSession" | "deleteSession">>;
  beforeEach(() => {
    t = openTempDatabase();
    const wrapped = withStoredSessionTokens(
      DrizzleAdapter(t.db, { usersTable: users, accountsTable: accounts, sessionsTable: sessions, verificationTokensTable: verificationTokens }) as unknown as Adapter,
    );
    adapter = wrapped as typeof adapter;
    t.db.insert(users).values({ id: "u-ann", email: "ann@example.org" }).run();
  });
  afterEach(() => t.close());

  const storedValues = () => t.db.select({ value: sessions.sessionToken, expires: sessions.expires }).from(sessions).all();
  const expires = new Date(now.getTime() + HOUR);

  it("creates a session stored by its hash, and hands next-auth the token for its cookie", async () => {
    const created = await adapter.createSession({ sessionToken: TOKEN, userId: "u-ann", expires });
    expect(created).toMatchObject({ sessionToken: TOKEN, userId: "u-ann" });
    expect(storedValues()).toEqual([{ value: storedSessionToken(TOKEN), expires }]);
  });

  it.each(BY)("reads a session by $what: found $works", async ({ cookieOf, works: found }) => {
    const token = inTransaction(t.db, (tx) => startSession(tx, { email: "ann@example.org", now, replacing: null })).token;
    const read = await adapter.getSessionAndUser(cookieOf(token));
    if (!found) return expect(read).toBeNull();
    expect(read?.user).toMatchObject({ id: "u-ann", email: "ann@example.org" });
    expect(read?.session.sessionToken).toBe(token);
  });

  it.each(BY)("updates and ends a session by $what: done $works", async ({ cookieOf, works: done }) => {
    await adapter.createSession({ sessionToken: TOKEN, userId: "u-ann", expires });
    const later = new Date(expires.getTime() + HOUR);
    const updated = await adapter.updateSession({ sessionToken: cookieOf(TOKEN), expires: later });
    expect(updated?.sessionToken ?? null).toBe(done ? TOKEN : null);
    expect(storedValues()).toEqual([{ value: storedSessionToken(TOKEN), expires: done ? later : expires }]);
    await adapter.deleteSession(cookieOf(TOKEN));
    expect(storedValues()).toHaveLength(done ? 0 : 1);
  });
});
