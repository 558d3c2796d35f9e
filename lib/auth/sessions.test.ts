import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sessions, users } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { endOtherSessions, endSessionByHandle, liveSessionsOf, sessionHandle, startSession, touchDue, touchSession } from "./sessions";

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
    expect(inTransaction(t.db, (tx) => endSessionByHandle(tx, { email: "rev@example.org", handle: sessionHandle(mine.token) }))).toEqual({ device: "Firefox 133 on Linux", token: mine.token });
    expect(t.db.select({ token: sessions.sessionToken }).from(sessions).all()).toEqual([{ token: ann.token }]);
  });

  it("ends every other session of the address and keeps the one in use", () => {
    const keep = start("rev@example.org", now, "a");
    start("rev@example.org", now, "b");
    start("rev@example.org", now, "c");
    const ann = start("ann@example.org", now, "d");
    expect(inTransaction(t.db, (tx) => endOtherSessions(tx, { email: "rev@example.org", keepToken: keep.token }))).toBe(2);
    expect(t.db.select({ token: sessions.sessionToken }).from(sessions).all().map((r) => r.token).sort()).toEqual([keep.token, ann.token].sort());
    expect(t.db.select().from(users).all()).toHaveLength(2);
  });
});
