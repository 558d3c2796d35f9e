import { describe, expect, it } from "vitest";
import { REQUEST_STATUSES, RUNNING_CLOCK_SQL } from "@/db/schema";
import { isOpen } from "@/lib/requests/lifecycle/transitions";

describe("RUNNING_CLOCK_SQL", () => {
  it("names exactly the open statuses, so the deadline filters and the deadline shown on each row agree", () => {
    const listed = /\+status in \(([^)]*)\)/.exec(RUNNING_CLOCK_SQL)?.[1];
    expect(listed).toBeDefined();
    const statuses = listed!.split(",").map((s) => s.trim().replace(/^'|'$/g, ""));
    expect(statuses.sort()).toEqual(REQUEST_STATUSES.filter(isOpen).sort());
  });
});
