import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { sessions, users } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { loadSession } from "./load-viewer";
import { clearSecondFactor } from "./second-factor";
import {
  endOtherSessions,
  endSession,
  endSessionByHandle,
  isStoredSessionToken,
  liveSessionsOf,
  sessionHandle,
  startSession,
  storedSessionToken,
  touchDue,
  touchSession,
} from "./sessions";

const now = new Date("2026-05-04T10:00:00Z");
const MINUTE = 60_000;

describe("touchDue", () => {
  it.each<[string, Date | null, number, boolean]>([
    ["never seen", null, 30 * MINUTE, true],
    ["seen 59 seconds ago", new Date(now.getTime() - 59_000), 30 * MINUTE, false],
    ["seen a minute ago", new Date(now.getTime() - MINUTE), 30 * MINUTE, true],
    // A short idle time is counted finely enough: a quarter of it.
    ["seen 16 seconds ago with a one-minute idle time", new Date(now.getTime() - 16_000), MINUTE, true],
    ["seen 14 seconds ago with a one-minute idle time", new Date(now.getTime() - 14_000), MINUTE, false],
  ])("%s: %s", (_what, seen, idleMs, expected) => {
    expect(touchDue(seen, now, idleMs)).toBe(expected);
  });
});

describe("staff sessions in the database", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  const start = (email: string, at: Date, device: string) => inTransaction(t.db, (tx) => startSession(tx, { email, now: at, replacing: null, device }));

  it("records when and where each session started; handles name them without giving the token away", () => {
    const laptop = start("rev@example.org", now, "Firefox 133 on Linux");
    const phone = start("rev@example.org", new Date(now.getTime() + MINUTE), "Safari 17 on iOS (iPhone)");
    start("ann@example.org", now, "Chrome 131 on Windows");
    const live = liveSessionsOf(t.db, { email: "rev@example.org", now: new Date(now.getTime() + 2 * MINUTE), idleMs: 30 * MINUTE, currentToken: laptop.token });
    expect(live).toEqual([
      { handle: sessionHandle(phone.token), device: "Safari 17 on iOS (iPhone)", startedAt: new Date(now.getTime() + MINUTE), lastSeenAt: new Date(now.getTime() + MINUTE), current: false },
      { handle: sessionHandle(laptop.token), device: "Firefox 133 on Linux", startedAt: now, lastSeenAt: now, current: true },
    ]);
    expect(sessionHandle(laptop.token)).not.toContain(laptop.token);
    expect(sessionHandle(laptop.token)).toMatch(/^[0-9a-f]{32}$/);
  });

  it("lists neither an expired nor an idle session", () => {
    const old = start("rev@example.org", now, "Firefox 133 on Linux");
    const fresh = start("rev@example.org", now, "Chrome 131 on Linux");
    touchSession(t.db, fresh.token, new Date(now.getTime() + 40 * MINUTE));
    const later = new Date(now.getTime() + 45 * MINUTE);
    expect(liveSessionsOf(t.db, { email: "rev@example.org", now: later, idleMs: 30 * MINUTE }).map((s) => s.handle)).toEqual([sessionHandle(fresh.token)]);
    expect(liveSessionsOf(t.db, { email: "rev@example.org", now: later, idleMs: null })).toHaveLength(2);
    expect(liveSessionsOf(t.db, { email: "rev@example.org", now: new Date(now.getTime() + 13 * 60 * MINUTE), idleMs: null })).toEqual([]);
    expect(old.token).not.toBe(fresh.token);
  });

  it("ends a session by its handle, and only the address's own", () => {
    const mine = start("rev@example.org", now, "Firefox 133 on Linux");
    const ann = start("ann@example.org", now, "Chrome 131 on Windows");
    // Someone else's handle does not reach their session.
    expect(inTransaction(t.db, (tx) => endSessionByHandle(tx, { email: "rev@example.org", handle: sessionHandle(ann.token) }))).toBeNull();
    expect(inTransaction(t.db, (tx) => endSessionByHandle(tx, { email: "rev@example.org", handle: sessionHandle(mine.token) }))).toEqual({ device: "Firefox 133 on Linux", stored: storedSessionToken(mine.token) });
    expect(t.db.select({ token: sessions.sessionToken }).from(sessions).all()).toEqual([{ token: storedSessionToken(ann.token) }]);
  });

  it("ends every other session of the address and keeps the one in use", () => {
    const keep = start("rev@example.org", now, "a");
    start("rev@example.org", now, "b");
    start("rev@example.org", now, "c");
    const ann = start("ann@example.org", now, "d");
    expect(inTransaction(t.db, (tx) => endOtherSessions(tx, { email: "rev@example.org", keepToken: keep.token }))).toBe(2);
    expect(t.db.select({ token: sessions.sessionToken }).from(sessions).all().map((r) => r.token).sort()).toEqual([keep.token, ann.token].map(storedSessionToken).sort());
    expect(t.db.select().from(users).all()).toHaveLength(2);
  });
});

describe("the stored form of a session token", () => {
  it.each([
    // Pinned: handles named sessions on pages before tokens were stored hashed, and must not change.
    ["5b0c2d0e-8a6f-4c1e-9d7a-2f3b4c5d6e7f", "d02ea70427cfb1aba7161dc851a96c6a08bb93bbfedf2f30c0b1546e107cd28a"],
  ])("%s is stored as %s, and its handle is the start of that", (token, stored) => {
    expect(storedSessionToken(token)).toBe(stored);
    expect(sessionHandle(token)).toBe(stored.slice(0, 32));
    expect(isStoredSessionToken(stored)).toBe(true);
    expect(isStoredSessionToken(token)).toBe(false);
  });

  it.each<[string, string, boolean]>([
    ["a hash", "d02ea70427cfb1aba7161dc851a96c6a08bb93bbfedf2f30c0b1546e107cd28a", true],
    ["a UUID token", "5b0c2d0e-8a6f-4c1e-9d7a-2f3b4c5d6e7f", false],
    ["64 characters, not hex", "z".repeat(64), false],
    ["64 hex characters in capitals", "D02EA70427CFB1ABA7161DC851A96C6A08BB93BBFEDF2F30C0B1546E107CD28A", false],
    ["63 hex characters", "d02ea70427cfb1aba7161dc851a96c6a08bb93bbfedf2f30c0b1546e107cd28", false],
    ["empty", "", false],
  ])("%s: already stored form %s", (_what, value, expected) => {
    expect(isStoredSessionToken(value)).toBe(expected);
  });
});

describe("sessions are kept by the hash of their token", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  const start = (email: string, secondFactor: "passkey" | null = null) =>
    inTransaction(t.db, (tx) => startSession(tx, { email, now, replacing: null, device: "Firefox 133 on Linux", secondFactor })).token;
  const row = (token: string) => t.db.select().from(sessions).where(eq(sessions.sessionToken, storedSessionToken(token))).get();

  it("stores the hash, never the token the cookie carries", () => {
    const token = start("rev@example.org");
    const stored = t.db.select({ value: sessions.sessionToken }).from(sessions).all();
    expect(stored).toEqual([{ value: storedSessionToken(token) }]);
    expect(stored[0]!.value).not.toContain(token);
    expect(isStoredSessionToken(stored[0]!.value)).toBe(true);
  });

  it("a new session replaces the browser's old one by its token", () => {
    const old = start("rev@example.org");
    const fresh = inTransaction(t.db, (tx) => startSession(tx, { email: "ann@example.org", now, replacing: old, device: null })).token;
    expect(t.db.select({ value: sessions.sessionToken }).from(sessions).all()).toEqual([{ value: storedSessionToken(fresh) }]);
  });

  const later = new Date(now.getTime() + 5 * MINUTE);

  /** Each operation given what the cookie carries works; given what the database holds (a stolen value), it finds nothing. */
  it.each<[string, (argument: string, token: string) => boolean]>([
    ["loading", (argument) => loadSession(t.db, argument, now) !== null],
    [
      "touching",
      (argument, token) => {
        touchSession(t.db, argument, later);
        return row(token)?.lastSeenAt?.getTime() === later.getTime();
      },
    ],
    [
      "signing out",
      (argument, token) => {
        endSession(t.db, argument);
        return row(token) === undefined;
      },
    ],
    [
      "clearing the second factor",
      (argument, token) => {
        const cleared = inTransaction(t.db, (tx) => clearSecondFactor(tx, argument));
        // Cleared under a new token, which replaces the old one.
        return cleared?.renewed != null && row(cleared.renewed.token)?.secondFactor === null && row(token) === undefined;
      },
    ],
    [
      "ending the others but this one",
      (argument, token) => {
        inTransaction(t.db, (tx) => endOtherSessions(tx, { email: "rev@example.org", keepToken: argument }));
        return row(token) !== undefined;
      },
    ],
    ["listing it as the current one", (argument) => liveSessionsOf(t.db, { email: "rev@example.org", now, idleMs: null, currentToken: argument }).some((s) => s.current)],
    [
      "ending it by the handle of its token",
      (argument, token) => {
        inTransaction(t.db, (tx) => endSessionByHandle(tx, { email: "rev@example.org", handle: sessionHandle(argument) }));
        return row(token) === undefined;
      },
    ],
  ])("%s works by the token, not by the stored value", (_what, works) => {
    // Each attempt on a fresh pair of sessions, so what the first did cannot decide the second.
    const stolen = start("rev@example.org", "passkey");
    start("rev@example.org");
    expect(works(storedSessionToken(stolen), stolen)).toBe(false);
    t.db.delete(sessions).run();
    const token = start("rev@example.org", "passkey");
    start("rev@example.org");
    expect(works(token, token)).toBe(true);
  });
});
