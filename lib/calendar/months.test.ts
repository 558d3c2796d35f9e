import { describe, expect, it } from "vitest";
import { addMonths, endOfDayIn, monthName, monthOf, monthSpan, monthsEndingWith, shortMonthName, startOfDayIn } from "./months";

describe("months", () => {
  it.each([
    ["2026-05", 0, "2026-05"],
    ["2026-05", 1, "2026-06"],
    ["2026-12", 1, "2027-01"],
    ["2026-01", -1, "2025-12"],
    ["2026-05", -11, "2025-06"],
    ["2026-05", -24, "2024-05"],
    ["2026-05", 20, "2028-01"],
  ])("addMonths(%s, %i) = %s", (month, n, expected) => {
    expect(addMonths(month, n)).toBe(expected);
  });

  it("lists the last months, oldest first", () => {
    expect(monthsEndingWith("2026-02", 4)).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(monthsEndingWith("2026-02", 12)).toHaveLength(12);
    expect(monthsEndingWith("2026-02", 12)[0]).toBe("2025-03");
  });

  it("names months", () => {
    expect(monthOf("2026-05-31")).toBe("2026-05");
    expect(monthName("2026-05")).toBe("May 2026");
    expect(shortMonthName("2025-09")).toBe("Sept");
    expect(shortMonthName("2025-06")).toBe("Jun");
    expect(monthName("0050-06")).toBe("June 50");
  });

  it.each(["2026-13", "2026-00", "2026-5", "May", ""])("refuses %j", (month) => {
    expect(() => addMonths(month, 1)).toThrow(RangeError);
  });
});

describe("startOfDayIn", () => {
  it.each([
    ["2026-03-01", "UTC", "2026-03-01T00:00:00.000Z"],
    ["2026-03-01", "Europe/London", "2026-03-01T00:00:00.000Z"],
    // Summer time: midnight in London is 23:00 UTC the day before.
    ["2026-04-01", "Europe/London", "2026-03-31T23:00:00.000Z"],
    ["2026-11-01", "Europe/London", "2026-11-01T00:00:00.000Z"],
    // The day the clocks go forward (at 01:00 UTC) and back (at 01:00 UTC).
    ["2026-03-29", "Europe/London", "2026-03-29T00:00:00.000Z"],
    ["2026-10-25", "Europe/London", "2026-10-24T23:00:00.000Z"],
    ["2026-04-01", "Pacific/Auckland", "2026-03-31T11:00:00.000Z"],
    ["2026-05-01", "Pacific/Auckland", "2026-04-30T12:00:00.000Z"],
    ["2026-05-01", "Asia/Kolkata", "2026-04-30T18:30:00.000Z"],
    ["2026-11-01", "America/New_York", "2026-11-01T04:00:00.000Z"],
    ["2026-12-01", "America/New_York", "2026-12-01T05:00:00.000Z"],
    ["2026-01-01", "Pacific/Kiritimati", "2025-12-31T10:00:00.000Z"],
    ["2026-01-01", "Pacific/Pago_Pago", "2026-01-01T11:00:00.000Z"],
    // Chile moves its clocks from 00:00 to 01:00: the day starts at 01:00 local, 04:00 UTC.
    ["2026-09-06", "America/Santiago", "2026-09-06T04:00:00.000Z"],
    ["2026-09-05", "America/Santiago", "2026-09-05T04:00:00.000Z"],
  ])("%s in %s starts at %s", (date, timeZone, expected) => {
    expect(startOfDayIn(date, timeZone).toISOString()).toBe(expected);
  });

  it("spans a month from its first instant to the next month's", () => {
    expect(monthSpan("2026-03", "Europe/London")).toEqual({
      starts: new Date("2026-03-01T00:00:00Z"),
      ends: new Date("2026-03-31T23:00:00Z"),
    });
    expect(monthSpan("2026-12", "UTC")).toEqual({ starts: new Date("2026-12-01T00:00:00Z"), ends: new Date("2027-01-01T00:00:00Z") });
  });
});

describe("endOfDayIn", () => {
  it.each([
    ["2026-06-04", "UTC", "2026-06-04T23:59:59.000Z"],
    ["2026-06-04", "Europe/London", "2026-06-04T22:59:59.000Z"],
    ["2026-01-15", "Europe/London", "2026-01-15T23:59:59.000Z"],
    ["2026-06-04", "America/Los_Angeles", "2026-06-05T06:59:59.000Z"],
    ["2026-03-08", "America/Denver", "2026-03-09T05:59:59.000Z"],
    // Clocks jump from 24:00 to 01:00 as 6 September 2026 starts in Chile: the 5th ends at 23:59:59 at -04.
    ["2026-09-05", "America/Santiago", "2026-09-06T03:59:59.000Z"],
    // ... and the 6th, 23 hours long, at 23:59:59 at -03.
    ["2026-09-06", "America/Santiago", "2026-09-07T02:59:59.000Z"],
    // Back from 24:00 to 23:00 as 5 April 2026 starts: the 4th is 25 hours long and ends at its second 23:59:59.
    ["2026-04-04", "America/Santiago", "2026-04-05T03:59:59.000Z"],
  ])("%s in %s ends at %s", (day, zone, expected) => {
    expect(endOfDayIn(day, zone).toISOString()).toBe(expected);
  });
});
