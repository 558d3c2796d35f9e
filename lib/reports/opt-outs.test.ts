import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inTransaction } from "@/db/transaction";
import { leaveLists, objectToSaleAndSharing } from "@/lib/consent/choices";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { ALL_LISTS_LABEL, buildOptOutReport, choiceRecords, SALE_SHARING_LABEL } from "./opt-outs";

const page = { route: "page" as const, wording: "Preference page." };

describe("opt-outs per month, by list", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    for (const email of ["a@example.org", "b@example.org", "c@example.org"]) seedSupporter(t.db, { email, lists: ["newsletter", "appeals"] });
  });
  afterEach(() => t.close());

  const leave = (email: string, lists: string[] | "all", at: string) =>
    inTransaction(t.db, (tx) => leaveLists(tx, { email, lists, at: new Date(at), now: new Date(at), source: page }));

  it.each([
    // London is back on GMT by 31 October, so 23:30 UTC is still 31 October there.
    ["UTC", "2026-10-31T23:30:00Z", "October 2026"],
    ["Europe/London", "2026-10-31T23:30:00Z", "October 2026"],
    // In Berlin (UTC+1 in November) 23:30 UTC on 30 November is 00:30 on 1 December.
    ["Europe/Berlin", "2026-11-30T23:30:00Z", "December 2026"],
    ["UTC", "2026-11-30T23:30:00Z", "November 2026"],
    ["America/Los_Angeles", "2026-12-01T05:00:00Z", "November 2026"],
  ])("in %s, an opt-out at %s counts in %s", (timeZone, at, month) => {
    leave("a@example.org", ["newsletter"], at);
    const report = buildOptOutReport(t.db, { now: new Date("2026-12-05T10:00:00Z"), timeZone, months: 3 });
    const newsletter = report.rows.find((r) => r.key === "newsletter")!;
    const column = report.months.findIndex((m) => m.label === month);
    expect(column).toBeGreaterThanOrEqual(0);
    expect(newsletter.counts[column]).toBe(1);
    expect(newsletter.total).toBe(1);
  });

  it("counts each list, every list at once and selling and sharing, in their own rows, and nothing outside the months shown", () => {
    leave("a@example.org", ["newsletter"], "2026-11-03T10:00:00Z");
    leave("b@example.org", "all", "2026-12-02T10:00:00Z");
    leave("c@example.org", ["appeals"], "2026-06-01T10:00:00Z");
    inTransaction(t.db, (tx) => objectToSaleAndSharing(tx, { email: "c@example.org", at: new Date("2026-12-03T10:00:00Z"), now: new Date(), source: { route: "gpc", wording: "Sec-GPC: 1" } }));
    const report = buildOptOutReport(t.db, { now: new Date("2026-12-05T10:00:00Z"), timeZone: "UTC", months: 3 });
    expect(report.months.map((m) => m.label)).toEqual(["October 2026", "November 2026", "December 2026"]);
    expect(report.rows.map((r) => [r.label, r.counts])).toEqual([
      ["Appeals", [0, 0, 1]],
      ["Newsletter", [0, 1, 1]],
      [ALL_LISTS_LABEL, [0, 0, 1]],
      [SALE_SHARING_LABEL, [0, 0, 1]],
    ]);
    expect(report.totals).toEqual([0, 1, 4]);
  });

  it("the choices as they stand, as CSV for other systems", () => {
    leave("a@example.org", ["newsletter"], "2026-11-03T10:00:00Z");
    expect([...choiceRecords(t.db, 1)]).toEqual(["email,topic,list,state,since,route\r\n", "a@example.org,mailing_list,newsletter,withdrawn,2026-11-03T10:00:00.000Z,page\r\n"]);
  });
});
