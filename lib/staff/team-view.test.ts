import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { addStaffMember } from "./staff-members";
import { listTeam } from "./team-view";

describe("listTeam", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  it("shows each member with their role, the day they were added there, and which one is you", () => {
    addStaffMember(t.db, { email: "rev@example.org", role: "reviewer", now: new Date("2026-05-04T23:30:00Z") });
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now: new Date("2026-05-01T10:00:00Z") });
    addStaffMember(t.db, { email: "trustee@example.org", role: "auditor", now: new Date("2026-05-02T10:00:00Z") });
    const admin = { role: "admin", label: "Admin" };
    const reviewer = { role: "reviewer", label: "Reviewer" };
    const auditor = { role: "auditor", label: "Auditor" };
    expect(listTeam(t.db, { viewerEmail: "Lead@Example.org", timeZone: "Europe/London" })).toEqual([
      { email: "lead@example.org", role: "admin", roleLabel: "Admin", otherRoles: [reviewer, auditor], addedOn: "2026-05-01", isYou: true, passkeys: 0 },
      // 23:30 UTC is already the next day in London in May.
      { email: "rev@example.org", role: "reviewer", roleLabel: "Reviewer", otherRoles: [admin, auditor], addedOn: "2026-05-05", isYou: false, passkeys: 0 },
      { email: "trustee@example.org", role: "auditor", roleLabel: "Auditor", otherRoles: [admin, reviewer], addedOn: "2026-05-02", isYou: false, passkeys: 0 },
    ]);
  });
});
