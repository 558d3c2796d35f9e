import { describe, expect, it } from "vitest";
import config from "../../playwright.config";
import { E2E_PARTS } from "./e2e-parts";

describe("the two parts npm run test:e2e runs side by side", () => {
  const projects = config.projects ?? [];

  it("hold every Playwright project once, so none is left out of npm test", () => {
    const named = [...E2E_PARTS.shared, ...E2E_PARTS.serial];
    expect(new Set(named).size).toBe(named.length);
    expect([...named].sort()).toEqual(projects.map((p) => p.name).sort());
  });

  it("run the second part's projects one at a time, each after the one before it", () => {
    const byName = new Map(projects.map((p) => [p.name, p]));
    E2E_PARTS.serial.forEach((name, i) => {
      const project = byName.get(name)!;
      expect(project.workers, name).toBe(1);
      // Run as one, the first waits for the shared tests; run as a part of its own (E2E_PART=serial), for nothing.
      expect(project.dependencies, name).toEqual(i === 0 ? [...E2E_PARTS.shared] : [E2E_PARTS.serial[i - 1]]);
    });
  });
});
