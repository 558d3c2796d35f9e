import { describe, expect, it } from "vitest";
import type { Regime } from "@/db/schema";
import { addDays } from "@/lib/calendar/dates";
import { deadlineOf, dueDateFor, extendDueDate, extensionChoices, restartClock } from "@/lib/calendar/deadlines";

const ALREADY = "This deadline has already been extended once; it cannot be extended again.";
const PASSED = "The deadline has passed: an extension must be made and explained before the original due date.";
const GDPR_AMOUNT = "Choose an extension of one or two months.";
const CCPA_AMOUNT = "Choose an extension of 45 days.";

/** A request received on `receivedOn` whose clock has stood still `stopped` days, with its due date as the workflow keeps it. */
function received(regime: Regime, receivedOn: string, stopped = 0) {
  return { regime, receivedOn, daysClockStopped: stopped, dueOn: addDays(dueDateFor(receivedOn, regime), stopped) };
}

/** For the refusals, which do not depend on the day of receipt. */
const ANY_RECEIPT = { receivedOn: "2026-02-28", daysClockStopped: 0 };

describe("extendDueDate", () => {
  it.each<[Regime, string, number, string, string, string]>([
    // gdpr: two or three calendar months from receipt, the month's last day where the date does not exist.
    ["gdpr", "2025-12-31", 0, "2026-01-20", "1", "2026-02-28"],
    ["gdpr", "2025-12-31", 0, "2026-01-20", "2", "2026-03-31"],
    ["gdpr", "2026-02-28", 0, "2026-03-02", "1", "2026-04-28"],
    ["gdpr", "2027-12-31", 0, "2028-01-10", "1", "2028-02-29"],
    ["gdpr", "2027-12-30", 0, "2028-01-10", "1", "2028-02-29"],
    ["gdpr", "2026-11-30", 0, "2026-12-01", "2", "2027-02-28"],
    ["gdpr", "2026-11-22", 0, "2026-12-01", "2", "2027-02-22"],
    ["gdpr", "2026-10-15", 0, "2026-11-01", "1", "2026-12-15"],
    // Received on 31 January: due 28 February, and three months from receipt is 30 April, not two months after 28 February.
    ["gdpr", "2026-01-31", 0, "2026-02-10", "2", "2026-04-30"],
    // A day stopped, then extended: 30 March and the stopped day, not a month after the moved due date (1 April).
    ["gdpr", "2026-01-30", 1, "2026-02-20", "1", "2026-03-31"],
    ["gdpr", "2026-03-10", 10, "2026-04-15", "2", "2026-06-20"],
    // ccpa: 90 calendar days from receipt, and the days stopped.
    ["ccpa", "2026-01-01", 0, "2026-02-01", "45", "2026-04-01"],
    ["ccpa", "2026-11-16", 0, "2026-12-01", "45", "2027-02-14"],
    ["ccpa", "2027-12-18", 0, "2028-01-20", "45", "2028-03-17"],
    ["ccpa", "2026-01-01", 3, "2026-02-01", "45", "2026-04-04"],
  ])("%s: received %s, stopped %i days, today %s, +%s → due %s", (regime, receivedOn, stopped, today, amount, newDueOn) => {
    expect(extendDueDate({ ...received(regime, receivedOn, stopped), today, alreadyExtended: false, amount })).toEqual({ ok: true, newDueOn });
  });

  it.each<[Regime, string, string, string]>([
    ["gdpr", "2026-01-28", "1", "2026-03-28"],
    ["gdpr", "2026-01-28", "2", "2026-04-28"],
    ["ccpa", "2026-02-14", "45", "2026-05-15"],
  ])("%s: allowed on the due date itself (received %s, +%s → %s)", (regime, receivedOn, amount, newDueOn) => {
    const request = received(regime, receivedOn);
    expect(extendDueDate({ ...request, today: request.dueOn, alreadyExtended: false, amount })).toEqual({ ok: true, newDueOn });
  });

  it("gives the same date whether the clock stopped before or after the extension", () => {
    // Received 30 January, due 28 February; a day stopped, then extended by a month; or extended, then a day stopped.
    const stoppedFirst = extendDueDate({ ...received("gdpr", "2026-01-30", 1), today: "2026-02-20", alreadyExtended: false, amount: "1" });
    const extendedFirst = extendDueDate({ ...received("gdpr", "2026-01-30"), today: "2026-02-10", alreadyExtended: false, amount: "1" });
    expect(stoppedFirst).toEqual({ ok: true, newDueOn: "2026-03-31" });
    expect(extendedFirst.ok && restartClock({ dueOn: extendedFirst.newDueOn, stoppedOn: "2026-02-20", restartedOn: "2026-02-21" }).dueOn).toBe("2026-03-31");
  });

  it.each<[string, { regime: Regime; dueOn: string; today: string; alreadyExtended: boolean; amount: string }, string]>([
    ["already extended", { regime: "gdpr", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: true, amount: "1" }, ALREADY],
    ["already extended (ccpa)", { regime: "ccpa", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: true, amount: "45" }, ALREADY],
    ["already extended and past due: the first reason wins", { regime: "gdpr", dueOn: "2026-03-31", today: "2026-04-05", alreadyExtended: true, amount: "1" }, ALREADY],
    ["the day after the due date", { regime: "gdpr", dueOn: "2026-03-31", today: "2026-04-01", alreadyExtended: false, amount: "1" }, PASSED],
    ["a month after the due date (ccpa)", { regime: "ccpa", dueOn: "2026-03-31", today: "2026-05-01", alreadyExtended: false, amount: "45" }, PASSED],
    ["past due with a bad amount: the date wins", { regime: "gdpr", dueOn: "2026-03-31", today: "2026-04-01", alreadyExtended: false, amount: "3" }, PASSED],
    ["gdpr, 3 months", { regime: "gdpr", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: false, amount: "3" }, GDPR_AMOUNT],
    ["gdpr, 45 (days are not months)", { regime: "gdpr", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: false, amount: "45" }, GDPR_AMOUNT],
    ["gdpr, 0", { regime: "gdpr", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: false, amount: "0" }, GDPR_AMOUNT],
    ["gdpr, -1", { regime: "gdpr", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: false, amount: "-1" }, GDPR_AMOUNT],
    ["gdpr, 1.0", { regime: "gdpr", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: false, amount: "1.0" }, GDPR_AMOUNT],
    ["gdpr, empty", { regime: "gdpr", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: false, amount: "" }, GDPR_AMOUNT],
    ["ccpa, 1", { regime: "ccpa", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: false, amount: "1" }, CCPA_AMOUNT],
    ["ccpa, 2", { regime: "ccpa", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: false, amount: "2" }, CCPA_AMOUNT],
    ["ccpa, 90", { regime: "ccpa", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: false, amount: "90" }, CCPA_AMOUNT],
    ["ccpa, empty", { regime: "ccpa", dueOn: "2026-03-31", today: "2026-03-01", alreadyExtended: false, amount: "" }, CCPA_AMOUNT],
  ])("refuses: %s", (_what, input, message) => {
    expect(extendDueDate({ ...ANY_RECEIPT, ...input })).toEqual({ ok: false, message });
  });
});

describe("extensionChoices", () => {
  it.each<[Regime, string[]]>([
    ["gdpr", ["1", "2"]],
    ["ccpa", ["45"]],
  ])("%s offers %j, each with a label", (regime, values) => {
    const choices = extensionChoices(regime);
    expect(choices.map((c) => c.value)).toEqual(values);
    for (const choice of choices) expect(choice.label.length).toBeGreaterThan(0);
  });

  it.each<Regime>(["gdpr", "ccpa"])("every choice offered under %s is one extendDueDate accepts", (regime) => {
    for (const { value } of extensionChoices(regime)) {
      expect(extendDueDate({ ...received(regime, "2026-05-30"), today: "2026-06-01", alreadyExtended: false, amount: value }).ok).toBe(true);
    }
  });
});

describe("restartClock", () => {
  it.each([
    // dueOn, stoppedOn, restartedOn → dueOn, daysStopped
    ["2026-06-06", "2026-05-06", "2026-05-06", "2026-06-06", 0],
    ["2026-06-06", "2026-05-06", "2026-05-07", "2026-06-07", 1],
    ["2026-06-06", "2026-05-06", "2026-05-10", "2026-06-10", 4],
    // Across month ends, in the stop and in the due date.
    ["2026-02-27", "2026-01-30", "2026-02-02", "2026-03-02", 3],
    ["2026-04-30", "2026-04-20", "2026-05-20", "2026-05-30", 30],
    ["2028-02-27", "2028-02-10", "2028-02-13", "2028-03-01", 3],
    ["2026-12-31", "2026-12-30", "2027-01-04", "2027-01-05", 5],
    // A restart "before" the stop (a time-zone change) never moves the date earlier.
    ["2026-06-06", "2026-05-06", "2026-05-05", "2026-06-06", 0],
  ] as const)("due %s, stopped %s, restarted %s → due %s after %i days", (dueOn, stoppedOn, restartedOn, newDueOn, daysStopped) => {
    expect(restartClock({ dueOn, stoppedOn, restartedOn })).toEqual({ dueOn: newDueOn, daysStopped });
  });
});

describe("deadlineOf with a stopped clock", () => {
  // Received 2026-02-01, due 2026-03-01 (28 days); stopped 2026-02-10 with 19 days left.
  it.each(["2026-02-10", "2026-02-20", "2026-02-28", "2026-03-01", "2026-03-02", "2026-06-01"])(
    "is paused with 19 days left whatever today is (%s)",
    (today) => {
      expect(deadlineOf("2026-02-01", "2026-03-01", today, "2026-02-10")).toEqual({
        dueOn: "2026-03-01",
        daysLeft: 19,
        state: "paused",
      });
    },
  );

  it("stays paused even when the stop came on the last days (it would otherwise be due soon)", () => {
    expect(deadlineOf("2026-02-01", "2026-03-01", "2026-03-20", "2026-02-27")).toEqual({
      dueOn: "2026-03-01",
      daysLeft: 2,
      state: "paused",
    });
  });

  it("without a stop (null) counts from today as before", () => {
    expect(deadlineOf("2026-02-01", "2026-03-01", "2026-03-02", null)).toEqual({
      dueOn: "2026-03-01",
      daysLeft: -1,
      state: "overdue",
    });
  });
});

describe("extendDueDate while the clock is stopped", () => {
  it.each([
    // stopped before the due date: the date passing while stopped does not forbid an extension
    { dueOn: "2026-12-22", stoppedOn: "2026-12-10", today: "2027-01-15", ok: true },
    { dueOn: "2026-12-22", stoppedOn: "2026-12-22", today: "2027-01-15", ok: true },
    { dueOn: "2026-12-22", stoppedOn: null, today: "2027-01-15", ok: false },
  ])("due $dueOn, stopped $stoppedOn, today $today → allowed: $ok", ({ dueOn, stoppedOn, today, ok }) => {
    const result = extendDueDate({ regime: "gdpr", ...ANY_RECEIPT, dueOn, today, alreadyExtended: false, amount: "1", clockStoppedOn: stoppedOn });
    expect(result.ok).toBe(ok);
  });
});
