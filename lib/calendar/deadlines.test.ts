import { describe, expect, it } from "vitest";
import { deadlineOf, dueDateFor, type DeadlineState } from "./deadlines";

describe("dueDateFor", () => {
  it.each([
    // gdpr: one calendar month, the month's last day where the date does not exist.
    ["2026-01-15", "gdpr", "2026-02-15"],
    ["2026-01-31", "gdpr", "2026-02-28"],
    ["2028-01-31", "gdpr", "2028-02-29"],
    ["2028-01-30", "gdpr", "2028-02-29"],
    ["2026-02-28", "gdpr", "2026-03-28"],
    ["2028-02-29", "gdpr", "2028-03-29"],
    ["2026-03-31", "gdpr", "2026-04-30"],
    ["2026-11-22", "gdpr", "2026-12-22"],
    ["2026-12-31", "gdpr", "2027-01-31"],
    // ccpa: 45 calendar days.
    ["2026-01-01", "ccpa", "2026-02-15"],
    ["2026-02-01", "ccpa", "2026-03-18"],
    ["2028-02-01", "ccpa", "2028-03-17"],
    ["2026-11-30", "ccpa", "2027-01-14"],
    ["2026-12-31", "ccpa", "2027-02-14"],
  ] as const)("received %s under %s → due %s", (receivedOn, regime, expected) => {
    expect(dueDateFor(receivedOn, regime)).toBe(expected);
  });
});

describe("deadlineOf", () => {
  // 2026-02-01 → 2026-03-01 is 28 days, so a quarter is exactly 7 days.
  it.each<[string, string, string, number, DeadlineState]>([
    ["2026-02-01", "2026-03-01", "2026-02-01", 28, "on_track"],
    ["2026-02-01", "2026-03-01", "2026-02-21", 8, "on_track"],
    ["2026-02-01", "2026-03-01", "2026-02-22", 7, "on_track"],
    ["2026-02-01", "2026-03-01", "2026-02-23", 6, "due_soon"],
    ["2026-02-01", "2026-03-01", "2026-02-28", 1, "due_soon"],
    ["2026-02-01", "2026-03-01", "2026-03-01", 0, "due_soon"],
    ["2026-02-01", "2026-03-01", "2026-03-02", -1, "overdue"],
    ["2026-02-01", "2026-03-01", "2026-04-01", -31, "overdue"],
    // ccpa, 45 days: a quarter is 11.25 days.
    ["2026-01-01", "2026-02-15", "2026-02-03", 12, "on_track"],
    ["2026-01-01", "2026-02-15", "2026-02-04", 11, "due_soon"],
    // gdpr across a year end, 31 days: a quarter is 7.75 days.
    ["2026-12-31", "2027-01-31", "2027-01-23", 8, "on_track"],
    ["2026-12-31", "2027-01-31", "2027-01-24", 7, "due_soon"],
    ["2026-12-31", "2027-01-31", "2027-02-01", -1, "overdue"],
  ])("received %s, due %s, today %s → %i days left, %s", (receivedOn, dueOn, today, daysLeft, state) => {
    expect(deadlineOf(receivedOn, dueOn, today)).toEqual({ dueOn, daysLeft, state });
  });
});
