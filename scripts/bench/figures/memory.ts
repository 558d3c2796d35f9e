/** The server's peak resident memory through the whole run; it runs last, after everything else has loaded the server. */
import { withinBudget, type Figure } from "../figure";

export const peakMemory: Figure = {
  name: "server memory (peak RSS)",
  async measure(ctx) {
    const value = ctx.peakMemoryMb();
    const during = ctx.peakMemoryDuring();
    const budget = { kind: "below", limit: 300 } as const;
    if (during) console.log(`  (the server's memory peaked while measuring: ${during})`);
    return { name: "server memory (peak RSS)", value, unit: "MB", budget, passed: withinBudget(value, budget), ...(during ? { detail: { during } } : {}) };
  },
};
