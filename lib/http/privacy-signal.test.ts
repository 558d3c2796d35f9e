import { describe, expect, it } from "vitest";
import { GPC_SUPPORT, sendsPrivacySignal } from "./privacy-signal";

describe("the Global Privacy Control header", () => {
  it.each<[string | null, boolean]>([
    ["1", true],
    [" 1 ", true],
    // Repeated headers, folded into one by the runtime: one exact "1" is enough.
    ["0, 1", true],
    ["1, 1", true],
    // Anything but exactly "1" is ignored, as if no header had been sent.
    [null, false],
    ["", false],
    ["0", false],
    ["true", false],
    ["yes", false],
    ["11", false],
    ["1;q=1", false],
    ["01", false],
  ])("%j means a signal: %s", (value, expected) => {
    expect(sendsPrivacySignal(value)).toBe(expected);
  });

  it("the support resource is a JSON object with gpc true and a full-date lastUpdate", () => {
    expect(GPC_SUPPORT.gpc).toBe(true);
    expect(GPC_SUPPORT.lastUpdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Number.isNaN(Date.parse(`${GPC_SUPPORT.lastUpdate}T00:00:00Z`))).toBe(false);
  });
});
