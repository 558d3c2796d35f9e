import { describe, expect, it } from "vitest";
import { describeDevice } from "./device";

describe("describeDevice", () => {
  it.each<[string, string | null | undefined, string]>([
    ["Chrome on Linux", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome 131 on Linux"],
    [
      "Safari on an iPhone",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      "Safari 17 on iOS (iPhone)",
    ],
    ["Firefox on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133 on Windows"],
    ["a program that names itself", "curl/8.1.2", "An unknown browser"],
    ["no header", undefined, "An unknown browser"],
    ["an empty header", "   ", "An unknown browser"],
    ["markup in the header", "<script>alert(1)</script>", "An unknown browser"],
  ])("%s", (_what, header, expected) => {
    expect(describeDevice(header)).toBe(expected);
  });

  it("keeps no more than a short line, whatever the header", () => {
    expect(describeDevice(`Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 ${"x".repeat(5000)}`).length).toBeLessThanOrEqual(80);
  });
});
