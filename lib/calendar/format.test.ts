import { describe, expect, it } from "vitest";
import type { Language } from "@/lib/language/languages";
import { formatCalendarDate, formatInstant } from "./format";

describe("formatCalendarDate", () => {
  it.each<[Language | undefined, string]>([
    [undefined, "12 December 2026"],
    ["en", "12 December 2026"],
    ["fr", "12 décembre 2026"],
    ["es", "12 de diciembre de 2026"],
    ["de", "12. Dezember 2026"],
  ])("in %s reads %j", (language, expected) => {
    expect(formatCalendarDate("2026-12-12", language)).toBe(expected);
  });

  it("shows the calendar day itself, whatever the machine's time zone or the reader's language", () => {
    for (const language of ["en", "fr", "es", "de"] as const) expect(formatCalendarDate("2027-01-01", language)).toMatch(/\b1\b|1er|1\./);
    expect(formatCalendarDate("2027-01-01", "fr")).toBe("1 janvier 2027");
  });

  it.each([
    ["0050-06-15", "15 June 50"],
    ["0004-02-29", "29 February 4"],
    ["0100-03-01", "1 March 100"],
  ])("shows %s as the year it holds, not 1900 and some (%j)", (date, expected) => {
    expect(formatCalendarDate(date, "en")).toBe(expected);
  });
});

describe("formatInstant", () => {
  // 23:30 UTC on 31 December is already the next day and year in Berlin, but not in London in winter.
  const lateOnNewYearsEve = new Date("2026-12-31T23:30:00Z");
  it.each<[string, Language, string]>([
    ["Europe/London", "en", "31 December 2026 at 23:30"],
    ["Europe/Berlin", "en", "1 January 2027 at 00:30"],
    ["Europe/Berlin", "de", "1. Januar 2027 um 00:30"],
    ["Europe/Paris", "fr", "1 janvier 2027 à 00:30"],
    ["America/Mexico_City", "es", "31 de diciembre de 2026 a las 17:30"],
  ])("in %s, for a %s reader: %j", (timeZone, language, expected) => {
    expect(formatInstant(lateOnNewYearsEve, timeZone, language)).toBe(expected);
  });
});
