import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { orgStatement } from "@/db/schema";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { DEFAULT_STATEMENT, loadStatement, parseStatementForm, saveStatement } from "./statement";

const form = { purposes: "A", recipients: "B", retention: "C", sources: "D", rights: "E", donationRetentionYears: "7" };

describe("the organisation's statement", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  it("is the defaults until an admin saves one, then theirs, in one row", () => {
    expect(loadStatement(t.db)).toEqual({ ...DEFAULT_STATEMENT, updatedAt: null, updatedBy: null });
    const now = new Date("2026-05-04T10:00:00Z");
    saveStatement(t.db, { ...DEFAULT_STATEMENT, purposes: "Campaigning." }, { email: "admin@example.org", now });
    saveStatement(t.db, { ...DEFAULT_STATEMENT, purposes: "Campaigning and fundraising." }, { email: "admin@example.org", now });
    expect(loadStatement(t.db)).toMatchObject({ purposes: "Campaigning and fundraising.", updatedBy: "admin@example.org", updatedAt: now });
    expect(countRows(t.db, orgStatement)).toBe(1);
  });

  it("reads the form", () => {
    expect(parseStatementForm({ ...form, purposes: " A\r\nA2 " })).toEqual({ ok: true, value: { ...form, purposes: "A\nA2", donationRetentionYears: 7 } });
  });

  it.each([
    [{ purposes: "" }, "purposes", "Write the purposes."],
    [{ rights: "x\u0007" }, "rights", "control characters"],
    [{ donationRetentionYears: "six" }, "donationRetentionYears", "whole number of years"],
    [{ donationRetentionYears: "31" }, "donationRetentionYears", "whole number of years"],
    [{ donationRetentionYears: "-1" }, "donationRetentionYears", "whole number of years"],
  ])("refuses %j", (change, field, message) => {
    const parsed = parseStatementForm({ ...form, ...change });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.fieldErrors[field]).toContain(message);
  });
});
