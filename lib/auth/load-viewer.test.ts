import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sessions, staff, users } from "@/db/schema";
import { addStaffMember, removeStaffMember } from "@/lib/staff/staff-members";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { isStaff, loadSession, loadViewer } from "./load-viewer";
import { storedSessionToken } from "./sessions";

const now = new Date("2026-05-04T10:00:00Z");
const HOUR = 60 * 60_000;

describe("loadViewer", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    t.db.insert(users).values([
      { id: "u-ann", email: "ann@example.org" },
      { id: "u-lead", email: "lead@example.org" },
      { id: "u-rev", email: "rev@example.org" },
    ]).run();
    // Stored as sign-in stores them: by the hash of the cookie's token.
    t.db.insert(sessions).values([
      { sessionToken: storedSessionToken("ann-token"), userId: "u-ann", expires: new Date(now.getTime() + HOUR) },
      { sessionToken: storedSessionToken("lead-token"), userId: "u-lead", expires: new Date(now.getTime() + HOUR) },
      { sessionToken: storedSessionToken("rev-token"), userId: "u-rev", expires: new Date(now.getTime() + HOUR) },
      { sessionToken: storedSessionToken("ann-old"), userId: "u-ann", expires: new Date(now.getTime() - 1) },
      { sessionToken: storedSessionToken("ann-ending"), userId: "u-ann", expires: now },
    ]).run();
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now });
    addStaffMember(t.db, { email: "rev@example.org", role: "reviewer", now });
  });
  afterEach(() => t.close());

  it.each([
    ["ann-token", { userId: "u-ann", email: "ann@example.org", role: "supporter" }],
    ["lead-token", { userId: "u-lead", email: "lead@example.org", role: "admin" }],
    ["rev-token", { userId: "u-rev", email: "rev@example.org", role: "reviewer" }],
    ["ann-old", null],
    ["ann-ending", null],
    ["no-such-token", null],
    ["", null],
    // What the database holds is no cookie: a copy of it signs nobody in.
    [storedSessionToken("ann-token"), null],
    [storedSessionToken("lead-token"), null],
  ])("session %j → %j", (token, expected) => {
    expect(loadViewer(t.db, token, now)).toEqual(expected);
  });

  it("tells staff from supporters", () => {
    expect(isStaff(loadViewer(t.db, "lead-token", now))).toBe(true);
    expect(isStaff(loadViewer(t.db, "rev-token", now))).toBe(true);
    expect(isStaff(loadViewer(t.db, "ann-token", now))).toBe(false);
    expect(isStaff(null)).toBe(false);
  });

  it("reads the role on every call: a removed staff member's next session is a supporter's", () => {
    expect(loadViewer(t.db, "rev-token", now)?.role).toBe("reviewer");
    removeStaffMember(t.db, { email: "rev@example.org" });
    // Their sessions ended with the removal...
    expect(loadViewer(t.db, "rev-token", now)).toBeNull();
    // ...and when they sign in again they are only a supporter.
    t.db.insert(sessions).values({ sessionToken: storedSessionToken("rev-new"), userId: "u-rev", expires: new Date(now.getTime() + HOUR) }).run();
    expect(loadViewer(t.db, "rev-new", now)).toEqual({ userId: "u-rev", email: "rev@example.org", role: "supporter" });
  });

  it("reads the role on every call: the same session is a supporter's once the staff row is gone", () => {
    expect(loadViewer(t.db, "lead-token", now)?.role).toBe("admin");
    // Only the staff row goes (removeStaffMember would also end the session, tested above).
    t.db.delete(staff).where(eq(staff.email, "lead@example.org")).run();
    expect(loadViewer(t.db, "lead-token", now)).toEqual({ userId: "u-lead", email: "lead@example.org", role: "supporter" });
  });

  it("demotes an admin to reviewer at once", () => {
    // The last admin cannot be demoted, so the team gets a second one first.
    addStaffMember(t.db, { email: "second@example.org", role: "admin", now });
    addStaffMember(t.db, { email: "lead@example.org", role: "reviewer", now });
    expect(loadViewer(t.db, "lead-token", now)?.role).toBe("reviewer");
  });
});

describe("idle staff sessions (STAFF_IDLE_MINUTES)", () => {
  let t: TempDatabase;
  const MINUTE = 60_000;
  const rules = { staffIdleMs: 30 * MINUTE };
  beforeEach(() => {
    t = openTempDatabase();
    t.db.insert(users).values([
      { id: "u-ann", email: "ann@example.org" },
      { id: "u-rev", email: "rev@example.org" },
    ]).run();
    addStaffMember(t.db, { email: "rev@example.org", role: "reviewer", now });
  });
  afterEach(() => t.close());

  function session(token: string, userId: string, seen: { lastSeenAt?: Date | null; createdAt?: Date | null }) {
    t.db.insert(sessions).values({ sessionToken: storedSessionToken(token), userId, expires: new Date(now.getTime() + 6 * HOUR), ...seen }).run();
  }

  it.each<[string, { lastSeenAt?: Date | null; createdAt?: Date | null }, boolean]>([
    ["seen a minute ago", { lastSeenAt: new Date(now.getTime() - MINUTE) }, true],
    ["seen exactly 30 minutes ago", { lastSeenAt: new Date(now.getTime() - 30 * MINUTE) }, true],
    ["seen 30 minutes and a second ago", { lastSeenAt: new Date(now.getTime() - 30 * MINUTE - 1000) }, false],
    ["never seen, started 31 minutes ago", { lastSeenAt: null, createdAt: new Date(now.getTime() - 31 * MINUTE) }, false],
    ["started before sessions were timed (neither kept)", { lastSeenAt: null, createdAt: null }, true],
  ])("a staff session %s: live %s", (_what, seen, live) => {
    session("rev-s", "u-rev", seen);
    expect(loadViewer(t.db, "rev-s", now, rules)?.role ?? null).toBe(live ? "reviewer" : null);
    // Without an idle limit, only the session's expiry counts.
    expect(loadViewer(t.db, "rev-s", now)?.role).toBe("reviewer");
  });

  it("leaves a supporter's session alone however long it sat unused", () => {
    session("ann-s", "u-ann", { lastSeenAt: new Date(now.getTime() - 5 * HOUR) });
    expect(loadViewer(t.db, "ann-s", now, rules)).toEqual({ userId: "u-ann", email: "ann@example.org", role: "supporter" });
  });

  it("hands back when the session was last seen, for the caller to move it forward", () => {
    const seen = new Date(now.getTime() - 2 * MINUTE);
    session("rev-s", "u-rev", { lastSeenAt: seen });
    expect(loadSession(t.db, "rev-s", now, rules)).toEqual({ viewer: { userId: "u-rev", email: "rev@example.org", role: "reviewer" }, lastSeenAt: seen });
  });
});
