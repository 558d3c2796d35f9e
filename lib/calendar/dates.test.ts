import { describe, expect, it, vi } from "vitest";
import { addCalendarMonths, addDays, calendarDateIn, daysBetween, daysInMonth, isCalendarDate, utcTime } from "./dates";

describe("addCalendarMonths", () => {
  it.each([
    ["2026-01-15", 1, "2026-02-15"],
    ["2026-01-31", 1, "2026-02-28"],
    ["2028-01-31", 1, "2028-02-29"],
    ["2100-01-31", 1, "2100-02-28"],
    ["2000-01-31", 1, "2000-02-29"],
    ["2026-03-31", 1, "2026-04-30"],
    ["2026-05-31", 1, "2026-06-30"],
    ["2026-11-30", 1, "2026-12-30"],
    ["2026-12-31", 1, "2027-01-31"],
    ["2026-12-15", 2, "2027-02-15"],
    ["2028-02-29", 12, "2029-02-28"],
    ["2028-02-29", 48, "2032-02-29"],
    ["2026-08-31", 0, "2026-08-31"],
    ["2026-03-31", -1, "2026-02-28"],
    ["2028-03-31", -1, "2028-02-29"],
    ["2026-01-15", -1, "2025-12-15"],
    ["2026-01-31", -13, "2024-12-31"],
    ["2029-02-28", -12, "2028-02-28"],
  ])("%s + %i months = %s", (date, months, expected) => {
    expect(addCalendarMonths(date, months)).toBe(expected);
  });

  it.each(["2026-1-31", "31/01/2026", ""])("refuses %j, which is not a calendar date", (date) => {
    expect(() => addCalendarMonths(date, 1)).toThrow(RangeError);
  });
});

describe("addDays", () => {
  it.each([
    ["2026-01-15", 0, "2026-01-15"],
    ["2026-01-31", 1, "2026-02-01"],
    ["2026-02-28", 1, "2026-03-01"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2028-02-29", 1, "2028-03-01"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2026-03-01", -1, "2026-02-28"],
    ["2028-03-01", -1, "2028-02-29"],
    ["2027-01-01", -1, "2026-12-31"],
    ["2026-01-01", 365, "2027-01-01"],
    ["2028-01-01", 366, "2029-01-01"],
    // Daylight-saving changes in Europe and the US do not shift a calendar date.
    ["2026-03-28", 2, "2026-03-30"],
    ["2026-10-31", 2, "2026-11-02"],
    ["2026-11-07", 45, "2026-12-22"],
  ])("%s + %i days = %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe("daysBetween", () => {
  it.each([
    ["2026-01-01", "2026-01-01", 0],
    ["2026-01-01", "2026-02-01", 31],
    ["2026-02-01", "2026-01-01", -31],
    ["2026-02-01", "2026-03-01", 28],
    ["2028-02-01", "2028-03-01", 29],
    ["2026-12-31", "2027-01-01", 1],
    ["2026-01-01", "2027-01-01", 365],
    ["2028-01-01", "2029-01-01", 366],
    ["2026-03-28", "2026-03-30", 2],
    ["2026-10-24", "2026-10-26", 2],
  ])("from %s to %s is %i days", (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });
});

describe("isCalendarDate", () => {
  it.each([
    ["2026-01-01", true],
    ["2026-04-30", true],
    ["2026-12-31", true],
    ["2028-02-29", true],
    ["2000-02-29", true],
    ["2026-02-28", true],
    ["2026-09-29", true],
    ["2026-02-29", false],
    ["2100-02-29", false],
    ["2026-06-31", false],
    ["2026-02-99", false],
    ["2026-0a-01", false],
    ["2026-04-31", false],
    ["2026-13-01", false],
    ["2026-00-10", false],
    ["2026-01-00", false],
    ["2026-1-01", false],
    ["20260101", false],
    [" 2026-01-01", false],
    ["2026-01-01T00:00:00Z", false],
    ["", false],
  ])("%j → %s", (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});

describe("calendarDateIn", () => {
  it.each([
    ["2026-01-31T23:30:00Z", "UTC", "2026-01-31"],
    ["2026-01-31T23:30:00Z", "Europe/Berlin", "2026-02-01"],
    ["2026-01-31T22:59:59Z", "Europe/Berlin", "2026-01-31"],
    ["2026-12-31T23:00:00Z", "Europe/Berlin", "2027-01-01"],
    // Kiritimati is UTC+14: its day starts at 10:00 UTC the day before.
    ["2026-01-31T09:59:59Z", "Pacific/Kiritimati", "2026-01-31"],
    ["2026-01-31T10:00:00Z", "Pacific/Kiritimati", "2026-02-01"],
    // Los Angeles is UTC-8 in winter and UTC-7 in summer.
    ["2026-02-01T07:59:59Z", "America/Los_Angeles", "2026-01-31"],
    ["2026-02-01T08:00:00Z", "America/Los_Angeles", "2026-02-01"],
    ["2026-07-01T06:59:59Z", "America/Los_Angeles", "2026-06-30"],
    ["2026-07-01T07:00:00Z", "America/Los_Angeles", "2026-07-01"],
    ["2028-02-29T12:00:00Z", "UTC", "2028-02-29"],
  ])("%s in %s is %s", (instant, timeZone, expected) => {
    const date = calendarDateIn(new Date(instant), timeZone);
    expect(date).toBe(expected);
    expect(isCalendarDate(date)).toBe(true);
  });
});

describe("calendarDateIn, asked again within the same second", () => {
  it.each([
    // The last millisecond of a day and the first of the next, in the zone asked: a new second, a new answer.
    ["Europe/Berlin", "2031-05-05T21:59:59.999Z", "2031-05-05", "2031-05-05T22:00:00.000Z", "2031-05-06"],
    ["America/Los_Angeles", "2031-03-09T07:59:59.999Z", "2031-03-08", "2031-03-09T08:00:00.000Z", "2031-03-09"],
    // Kiritimati (UTC+14) and UTC at the same instant: the answer kept for one zone is not another zone's.
    ["Pacific/Kiritimati", "2031-05-05T10:00:00.250Z", "2031-05-06", "2031-05-05T10:00:00.500Z", "2031-05-06"],
    ["UTC", "2031-05-05T10:00:00.250Z", "2031-05-05", "2031-05-05T10:00:00.500Z", "2031-05-05"],
  ])("in %s, %s is %s and %s is %s", (timeZone, first, firstDate, second, secondDate) => {
    expect(calendarDateIn(new Date(first), timeZone)).toBe(firstDate);
    expect(calendarDateIn(new Date(second), timeZone)).toBe(secondDate);
    expect(calendarDateIn(new Date(first), timeZone)).toBe(firstDate);
  });

  it("asks Intl once for a burst of instants in one second and zone, and again for the next second", () => {
    const asked = vi.spyOn(Intl.DateTimeFormat.prototype, "formatToParts");
    try {
      const start = Date.parse("2032-08-17T09:41:07Z");
      const dates = Array.from({ length: 50 }, (_, i) => calendarDateIn(new Date(start + i * 19), "Asia/Tokyo"));
      expect(new Set(dates)).toEqual(new Set(["2032-08-17"]));
      expect(asked).toHaveBeenCalledTimes(1);
      expect(calendarDateIn(new Date(start + 1000), "Asia/Tokyo")).toBe("2032-08-17");
      expect(asked).toHaveBeenCalledTimes(2);
    } finally {
      asked.mockRestore();
    }
  });
});

describe("the years 0000-0099, which Date.UTC alone reads as 1900-1999", () => {
  it.each([
    // [year, month index, day, the instant as ISO 8601 with its extended year]
    [0, 0, 1, "0000-01-01T00:00:00.000Z"],
    [0, 1, 29, "0000-02-29T00:00:00.000Z"],
    [50, 5, 15, "0050-06-15T00:00:00.000Z"],
    [99, 11, 32, "0100-01-01T00:00:00.000Z"],
    [100, 0, 1, "0100-01-01T00:00:00.000Z"],
    [2026, 11, 7, "2026-12-07T00:00:00.000Z"],
  ])("utcTime(%s, %s, %s) is %s", (year, monthIndex, day, iso) => {
    expect(new Date(utcTime(year, monthIndex, day)).toISOString()).toBe(iso);
  });

  it("is Date.UTC itself from the year 100 on, hours, minutes and seconds included", () => {
    for (const year of [100, 1899, 1900, 1970, 2000, 9999]) expect(utcTime(year, 6, 14, 23, 59, 59)).toBe(Date.UTC(year, 6, 14, 23, 59, 59));
  });

  it.each([
    [0, 2, 29],
    [4, 2, 29],
    [1, 2, 28],
    [100, 2, 28],
    [400, 2, 29],
    [99, 12, 31],
  ])("daysInMonth(%s, %s) is %s", (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });

  it.each([
    ["0000-02-29", true],
    ["0001-02-29", false],
    ["0096-02-29", true],
    ["0100-02-29", false],
  ])("isCalendarDate(%s) is %s", (date, valid) => {
    expect(isCalendarDate(date)).toBe(valid);
  });

  it.each([
    ["0099-12-31", 1, "0100-01-01"],
    ["0000-03-01", -1, "0000-02-29"],
    ["0050-01-01", 365, "0051-01-01"],
  ])("addDays(%s, %s) is %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it("counts the days from 0000-01-01 to 1970-01-01 as the proleptic Gregorian calendar has them", () => {
    expect(daysBetween("0000-01-01", "1970-01-01")).toBe(719_528);
    expect(daysBetween("0099-12-31", "0100-01-01")).toBe(1);
  });
});
