import { describe, expect, it } from "vitest";
import { dateFormat } from "./date-format";

describe("dateFormat", () => {
  it("makes one formatter per locale, options and time zone, and formats as Intl does", () => {
    const london = dateFormat("en-GB", { hour: "2-digit", hourCycle: "h23", timeZone: "Europe/London" });
    expect(dateFormat("en-GB", { hour: "2-digit", hourCycle: "h23", timeZone: "Europe/London" })).toBe(london);
    const tokyo = dateFormat("en-GB", { hour: "2-digit", hourCycle: "h23", timeZone: "Asia/Tokyo" });
    expect(tokyo).not.toBe(london);
    expect(dateFormat("en-CA", { hour: "2-digit", hourCycle: "h23", timeZone: "Europe/London" })).not.toBe(london);
    const noon = new Date("2026-07-01T12:00:00Z");
    expect(london.format(noon)).toBe("13");
    expect(tokyo.format(noon)).toBe("21");
  });
});
