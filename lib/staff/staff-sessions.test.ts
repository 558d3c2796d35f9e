import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sessions, staffEvents } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { sessionHandle, startSession, storedSessionToken } from "@/lib/auth/sessions";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { addStaffMember } from "./staff-members";
import { endOwnOtherSessions, endOwnSession, endStaffSession, ownSessions, teamSessions } from "./staff-sessions";

const now = new Date("2026-05-04T10:00:00Z");
const IDLE = 30 * 60_000;

describe("staff sessions", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now });
    addStaffMember(t.db, { email: "rev@example.org", role: "reviewer", now });
    addStaffMember(t.db, { email: "trustee@example.org", role: "auditor", now });
  });
  afterEach(() => t.close());

  const start = (email: string, device: string) => inTransaction(t.db, (tx) => startSession(tx, { email, now, replacing: null, device }));
  /** The sessions left, as stored; `stored` gives what that is for tokens. */
  const tokens = () => t.db.select({ token: sessions.sessionToken }).from(sessions).all().map((r) => r.token).sort();
  const stored = (...tokens: string[]) => tokens.map(storedSessionToken).sort();
  const record = () => t.db.select().from(staffEvents).all().filter((e) => e.kind === "session_ended");

  it("lists the viewer's own sessions, the one in use first", () => {
    const phone = start("rev@example.org", "Safari 17 on iOS (iPhone)");
    const laptop = start("rev@example.org", "Firefox 133 on Linux");
    start("lead@example.org", "Chrome 131 on Linux");
    const mine = ownSessions(t.db, { email: "rev@example.org", now, idleMs: IDLE, currentToken: phone.token });
    expect(mine.map((s) => [s.device, s.current])).toEqual([
      ["Safari 17 on iOS (iPhone)", true],
      ["Firefox 133 on Linux", false],
    ]);
    expect(laptop.token).not.toBe(phone.token);
  });

  it("a member ends one of their sessions; ending the one in use says so", () => {
    const phone = start("rev@example.org", "Safari 17 on iOS (iPhone)");
    const laptop = start("rev@example.org", "Firefox 133 on Linux");
    expect(endOwnSession(t.db, { email: "rev@example.org", handle: sessionHandle(laptop.token), currentToken: phone.token })).toEqual({
      ok: true,
      endedCurrent: false,
      message: "The session on Firefox 133 on Linux has ended.",
    });
    expect(endOwnSession(t.db, { email: "rev@example.org", handle: sessionHandle(laptop.token), currentToken: phone.token })).toEqual({
      ok: false,
      message: "That session has already ended.",
    });
    expect(endOwnSession(t.db, { email: "rev@example.org", handle: sessionHandle(phone.token), currentToken: phone.token })).toMatchObject({ ok: true, endedCurrent: true });
    expect(tokens()).toEqual([]);
    // A member's own doing is not an admin's act on someone's account.
    expect(record()).toEqual([]);
  });

  it("a member cannot end someone else's session with its handle", () => {
    const lead = start("lead@example.org", "Chrome 131 on Linux");
    const mine = start("rev@example.org", "Firefox 133 on Linux");
    expect(endOwnSession(t.db, { email: "rev@example.org", handle: sessionHandle(lead.token), currentToken: mine.token })).toMatchObject({ ok: false });
    expect(tokens()).toEqual(stored(lead.token, mine.token));
  });

  it("a member ends every other session of theirs at once", () => {
    const keep = start("trustee@example.org", "a");
    start("trustee@example.org", "b");
    const lead = start("lead@example.org", "c");
    expect(endOwnOtherSessions(t.db, { email: "trustee@example.org", currentToken: keep.token })).toEqual({ ok: true, endedCurrent: false, message: "Ended 1 other session." });
    expect(endOwnOtherSessions(t.db, { email: "trustee@example.org", currentToken: keep.token })).toEqual({ ok: true, endedCurrent: false, message: "You had no other session." });
    expect(tokens()).toEqual(stored(keep.token, lead.token));
  });

  it("an admin sees every staff member's sessions, and no supporter's", () => {
    const lead = start("lead@example.org", "Chrome 131 on Linux");
    start("rev@example.org", "Firefox 133 on Linux");
    start("ann@example.org", "Safari 17 on iOS (iPhone)");
    expect(teamSessions(t.db, { now, idleMs: IDLE, currentToken: lead.token }).map((s) => [s.email, s.device, s.current])).toEqual([
      ["lead@example.org", "Chrome 131 on Linux", true],
      ["rev@example.org", "Firefox 133 on Linux", false],
    ]);
  });

  it("an admin ends a member's session, on the record", () => {
    const lead = start("lead@example.org", "Chrome 131 on Linux");
    const rev = start("rev@example.org", "Firefox 133 on Linux");
    const at = new Date(now.getTime() + 60_000);
    expect(endStaffSession(t.db, { adminEmail: "lead@example.org", email: "rev@example.org", handle: sessionHandle(rev.token), now: at, currentToken: lead.token })).toEqual({
      ok: true,
      endedCurrent: false,
      message: "rev@example.org's session on Firefox 133 on Linux has ended.",
    });
    expect(tokens()).toEqual(stored(lead.token));
    expect(record()).toEqual([
      { id: expect.any(Number), at, actorEmail: "lead@example.org", subjectEmail: "rev@example.org", kind: "session_ended", note: "The session on Firefox 133 on Linux." },
    ]);
  });

  it("an admin cannot reach a supporter's session through the staff list", () => {
    const lead = start("lead@example.org", "Chrome 131 on Linux");
    const ann = start("ann@example.org", "Safari");
    expect(endStaffSession(t.db, { adminEmail: "lead@example.org", email: "ann@example.org", handle: sessionHandle(ann.token), now, currentToken: lead.token })).toEqual({
      ok: false,
      message: "ann@example.org is not on the staff list.",
    });
    expect(tokens()).toEqual(stored(lead.token, ann.token));
  });
});
