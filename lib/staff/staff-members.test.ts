import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sessions, staff, staffEvents, users } from "@/db/schema";
import { latestStaffEvents } from "./staff-record";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { addStaffMember, changeStaffRole, isStaffRole, listStaffMembers, parseStaffEmail, removeStaffMember } from "./staff-members";

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

  // The team page's add form: someone already listed is refused whatever role was chosen, and nothing is recorded.
  it.each([
    ["the same role", "admin" as const],
    ["another role", "reviewer" as const],
  ])("the add form refuses someone already listed, with %s", (_what, role) => {
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now });
    const eventsBefore = countRows(t.db, staffEvents);
    expect(addStaffMember(t.db, { email: " LEAD@example.org", role, now, by: "other@example.org", ifListed: "refuse" })).toEqual({
      ok: false,
      message: 'lead@example.org is already on the staff list, as admin, so nothing was changed. To change their role, use the buttons in their row under "Current staff".',
    });
    expect(listStaffMembers(t.db)).toEqual([{ email: "lead@example.org", role: "admin", addedAt: now }]);
    expect(countRows(t.db, staffEvents)).toBe(eventsBefore);
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

describe("the last admin", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  const ONLY_ADMIN = "lead@example.org is the only admin. Make another staff member an admin first, so someone can still manage the team.";

  function staffList() {
    return listStaffMembers(t.db).map((m) => `${m.email} ${m.role}`);
  }

  it.each<[string, (db: TempDatabase["db"]) => unknown]>([
    ["removing them", (db) => removeStaffMember(db, { email: "lead@example.org" })],
    ["removing them, typed in another case", (db) => removeStaffMember(db, { email: " LEAD@example.org" })],
    ["making them a reviewer", (db) => changeStaffRole(db, { email: "lead@example.org", role: "reviewer" })],
    ["adding them again as a reviewer", (db) => addStaffMember(db, { email: "Lead@example.org", role: "reviewer", now })],
  ])("%s is refused with a sentence and changes nothing", (_name, act) => {
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now });
    addStaffMember(t.db, { email: "rev@example.org", role: "reviewer", now });
    t.db.insert(users).values({ id: "u-lead", email: "lead@example.org" }).run();
    t.db.insert(sessions).values({ sessionToken: "lead-session", userId: "u-lead", expires: new Date(Date.now() + 3_600_000) }).run();

    expect(act(t.db)).toEqual({ ok: false, message: ONLY_ADMIN });
    expect(staffList()).toEqual(["lead@example.org admin", "rev@example.org reviewer"]);
    expect(countRows(t.db, sessions)).toBe(1);
  });

  it.each<[string, (db: TempDatabase["db"]) => unknown, string[]]>([
    ["one admin removes another", (db) => removeStaffMember(db, { email: "lead@example.org" }), ["second@example.org admin"]],
    ["an admin removes themselves while another remains", (db) => removeStaffMember(db, { email: "second@example.org" }), ["lead@example.org admin"]],
    ["an admin is made a reviewer while another remains", (db) => changeStaffRole(db, { email: "lead@example.org", role: "reviewer" }), ["lead@example.org reviewer", "second@example.org admin"]],
  ])("with two admins, %s", (_name, act, after) => {
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now });
    addStaffMember(t.db, { email: "second@example.org", role: "admin", now });
    expect(act(t.db)).toMatchObject({ ok: true });
    expect(staffList()).toEqual(after);
  });

  it("of two admins, only one can be demoted: the second attempt finds the first done", () => {
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now });
    addStaffMember(t.db, { email: "second@example.org", role: "admin", now });
    expect(changeStaffRole(t.db, { email: "second@example.org", role: "reviewer" })).toMatchObject({ ok: true });
    expect(changeStaffRole(t.db, { email: "lead@example.org", role: "reviewer" })).toEqual({ ok: false, message: ONLY_ADMIN });
    expect(removeStaffMember(t.db, { email: "lead@example.org" })).toEqual({ ok: false, message: ONLY_ADMIN });
    expect(staffList()).toEqual(["lead@example.org admin", "second@example.org reviewer"]);
  });

  it("reviewers can always be removed or promoted, even with no admin at all", () => {
    addStaffMember(t.db, { email: "rev@example.org", role: "reviewer", now });
    addStaffMember(t.db, { email: "rev2@example.org", role: "reviewer", now });
    expect(changeStaffRole(t.db, { email: "rev@example.org", role: "admin" })).toEqual({ ok: true, message: "rev@example.org is now admin (was reviewer)." });
    expect(removeStaffMember(t.db, { email: "rev2@example.org" })).toMatchObject({ ok: true });
    expect(staffList()).toEqual(["rev@example.org admin"]);
  });
});

describe("changeStaffRole", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now });
  });
  afterEach(() => t.close());

  it("changes the role of someone listed", () => {
    addStaffMember(t.db, { email: "rev@example.org", role: "reviewer", now });
    expect(changeStaffRole(t.db, { email: "REV@example.org", role: "admin" })).toEqual({ ok: true, message: "rev@example.org is now admin (was reviewer)." });
    expect(changeStaffRole(t.db, { email: "rev@example.org", role: "admin" })).toEqual({ ok: true, message: "rev@example.org is already admin." });
    expect(listStaffMembers(t.db).find((m) => m.email === "rev@example.org")).toEqual({ email: "rev@example.org", role: "admin", addedAt: now });
  });

  it("never adds anyone", () => {
    expect(changeStaffRole(t.db, { email: "new@example.org", role: "admin" })).toEqual({ ok: false, message: "new@example.org is not on the staff list." });
    expect(countRows(t.db, staff)).toBe(1);
  });

  it("puts every change to the list on the staff record, naming who made it", () => {
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now, by: null });
    addStaffMember(t.db, { email: "rev@example.org", role: "reviewer", now, by: "lead@example.org" });
    changeStaffRole(t.db, { email: "rev@example.org", role: "auditor", now, by: "lead@example.org" });
    // Nothing changed, nothing recorded; a refusal records nothing either.
    changeStaffRole(t.db, { email: "rev@example.org", role: "auditor", now, by: "lead@example.org" });
    removeStaffMember(t.db, { email: "lead@example.org", now, by: "lead@example.org" });
    removeStaffMember(t.db, { email: "rev@example.org", now, by: "lead@example.org" });
    expect(t.db.select().from(staffEvents).all().map((e) => [e.kind, e.subjectEmail, e.actorEmail, e.note])).toEqual([
      ["member_added", "lead@example.org", null, "As admin."],
      ["member_added", "rev@example.org", "lead@example.org", "As reviewer."],
      ["role_changed", "rev@example.org", "lead@example.org", "From reviewer to auditor."],
      ["member_removed", "rev@example.org", "lead@example.org", "Was auditor; every session ended."],
    ]);
    expect(latestStaffEvents(t.db)[0]).toMatchObject({ what: "Removed from the staff list", by: "lead@example.org", subject: "rev@example.org" });
    expect(latestStaffEvents(t.db).at(-1)).toMatchObject({ what: "Added to the staff list", by: "the command line on the server" });
  });
});
