import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sessions, staff, users } from "@/db/schema";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { addStaffMember, isStaffRole, listStaffMembers, parseStaffEmail, removeStaffMember } from "./staff-members";

const now = new Date("2026-05-04T10:00:00Z");

describe("staff members", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  it("adds a member with a normalised address", () => {
    const result = addStaffMember(t.db, { email: "  Lead@Example.ORG ", role: "admin", now });
    expect(result).toEqual({
      ok: true,
      message: "Added lead@example.org as admin. They sign in with an emailed link at /signin.",
    });
    expect(listStaffMembers(t.db)).toEqual([{ email: "lead@example.org", role: "admin", addedAt: now }]);
  });

  it("adding again with the same role makes no duplicate", () => {
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now });
    expect(addStaffMember(t.db, { email: "LEAD@example.org", role: "admin", now: new Date() })).toEqual({
      ok: true,
      message: "lead@example.org is already admin.",
    });
    expect(countRows(t.db, staff)).toBe(1);
    expect(listStaffMembers(t.db)[0]?.addedAt).toEqual(now);
  });

  it("adding again with another role changes the role", () => {
    addStaffMember(t.db, { email: "rev@example.org", role: "reviewer", now });
    expect(addStaffMember(t.db, { email: "rev@example.org", role: "admin", now })).toEqual({
      ok: true,
      message: "rev@example.org is now admin (was reviewer).",
    });
    expect(listStaffMembers(t.db)).toEqual([{ email: "rev@example.org", role: "admin", addedAt: now }]);
  });

  it("removing a member also ends their sessions, and only theirs", () => {
    addStaffMember(t.db, { email: "rev@example.org", role: "reviewer", now });
    t.db.insert(users).values([
      { id: "u-rev", email: "rev@example.org" },
      { id: "u-ann", email: "ann@example.org" },
    ]).run();
    const expires = new Date(Date.now() + 60 * 60_000);
    t.db.insert(sessions).values([
      { sessionToken: "rev-phone", userId: "u-rev", expires },
      { sessionToken: "rev-laptop", userId: "u-rev", expires },
      { sessionToken: "ann-session", userId: "u-ann", expires },
    ]).run();

    expect(removeStaffMember(t.db, { email: " REV@example.org" })).toEqual({
      ok: true,
      message: "Removed rev@example.org; any session they had has ended.",
    });
    expect(listStaffMembers(t.db)).toEqual([]);
    expect(t.db.select({ token: sessions.sessionToken }).from(sessions).all()).toEqual([{ token: "ann-session" }]);
    // The person can still sign in as a supporter: their user row stays.
    expect(countRows(t.db, users)).toBe(2);
  });

  it("removing someone not listed is refused and changes nothing", () => {
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now });
    expect(removeStaffMember(t.db, { email: "nobody@example.org" })).toEqual({
      ok: false,
      message: "nobody@example.org is not on the staff list.",
    });
    expect(countRows(t.db, staff)).toBe(1);
  });

  it("lists members sorted by address", () => {
    for (const [email, role] of [
      ["zoe@example.org", "reviewer"],
      ["adam@example.org", "admin"],
      ["mia@example.org", "reviewer"],
    ] as const) {
      addStaffMember(t.db, { email, role, now });
    }
    expect(listStaffMembers(t.db).map((m) => m.email)).toEqual(["adam@example.org", "mia@example.org", "zoe@example.org"]);
  });
});

describe("parseStaffEmail", () => {
  it.each([
    [" Lead@Example.org ", { ok: true, email: "lead@example.org" }],
    ["", { ok: false, message: "Give the staff member's email address." }],
    [undefined, { ok: false, message: "Give the staff member's email address." }],
    ["lead", { ok: false, message: "The staff member's email address must be a valid address, like name@example.org." }],
  ])("%j → %j", (input, expected) => {
    expect(parseStaffEmail(input)).toEqual(expected);
  });
});

describe("isStaffRole", () => {
  it.each([
    ["admin", true],
    ["reviewer", true],
    ["supporter", false],
    ["Admin", false],
    [undefined, false],
  ])("%j → %s", (value, expected) => {
    expect(isStaffRole(value)).toBe(expected);
  });
});
