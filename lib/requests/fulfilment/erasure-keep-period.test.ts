/**
 * The donation-keeping period of an erasure is counted back from the
 * organisation's calendar day, not the UTC one: in the evening west of UTC,
 * or the morning east of it, the two differ by a day, and a donation dated
 * exactly at the period's edge must be kept (or deleted) as the
 * organisation's own calendar says.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { donations } from "@/db/schema";
import { keepPeriodStart } from "@/lib/calendar/dates";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { filed } from "@/lib/testing/filed";
import { getFulfilmentView } from "./staff-fulfilment-view";
import { planErasure } from "./erasure";

const ADMIN: RequestActor = { type: "staff", email: "lead@example.org", role: "admin" };
const ANN = "ann@example.org";

// Six years (the default): each case's `now` is one instant whose calendar day differs between UTC and the zone.
const CASES = [
  // 21:00 on 30 November in Los Angeles, already 1 December in UTC: the period starts on 30 November 2020.
  { zone: "America/Los_Angeles", now: "2026-12-01T05:00:00Z", start: "2020-11-30", kept: ["2020-11-30", "2020-12-01"], deleted: ["2020-11-29"] },
  // 01:00 on 1 December in Auckland, still 30 November in UTC: the period starts on 1 December 2020.
  { zone: "Pacific/Auckland", now: "2026-11-30T12:00:00Z", start: "2020-12-01", kept: ["2020-12-01"], deleted: ["2020-11-30", "2020-11-29"] },
  // 00:30 on 1 December in Paris, still 30 November in UTC.
  { zone: "Europe/Paris", now: "2026-11-30T23:30:00Z", start: "2020-12-01", kept: ["2020-12-01", "2021-06-01"], deleted: ["2020-11-30"] },
  // UTC itself, at the same instant as Los Angeles' case: 1 December.
  { zone: "UTC", now: "2026-12-01T05:00:00Z", start: "2020-12-01", kept: ["2020-12-01"], deleted: ["2020-11-30", "2020-11-29"] },
  // 22:00 on 29 February 2028 in New York (1 March in UTC): six years back there is no 29 February, and the period starts on 1 March.
  { zone: "America/New_York", now: "2028-03-01T03:00:00Z", start: "2022-03-01", kept: ["2022-03-01"], deleted: ["2022-02-28"] },
] as const;

describe("the keeping period of an erasure's donations, in the organisation's time zone", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  it.each(CASES)("$zone at $now: the period starts on $start", ({ zone, now, start }) => {
    expect(keepPeriodStart(new Date(now), 6, zone)).toBe(start);
  });

  it.each(CASES)("$zone at $now: the plan, the staff page and the erasure itself keep $kept and delete $deleted", ({ zone, now: at, kept, deleted }) => {
    const now = new Date(at);
    const ctx = { ...TEST_CONTEXT, timeZone: zone };
    const dates = [...kept, ...deleted];
    const ann = seedSupporter(t.db, { email: ANN, donations: dates.length });
    const dateOf = new Map<number, string>();
    dates.forEach((date, i) => {
      t.db.update(donations).set({ donatedOn: date }).where(eq(donations.id, ann.donationIds[i]!)).run();
      dateOf.set(ann.donationIds[i]!, date);
    });

    const plan = planErasure(t.db, { email: ANN, now, timeZone: zone });
    expect(plan.kept.find((k) => k.key === "donations")!.count).toBe(kept.length);
    expect(plan.deleted.find((d) => d.what.startsWith("Donations older"))!.count).toBe(deleted.length);

    const reference = filed(fileVerifiedRequest(t.db, { submission: { type: "erasure", email: ANN, details: { type: "erasure", confirmed: true } }, now, ctx })).reference;
    expect(startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now })).toMatchObject({ ok: true });
    const shown = getFulfilmentView(t.db, { reference, now, timeZone: zone })!.erasurePlan!;
    expect(shown.kept.find((k) => k.key === "donations")!.count).toBe(kept.length);

    expect(approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: 2, now, ctx, confirmedErasure: true })).toMatchObject({ ok: true });
    const left = t.db.select().from(donations).all();
    expect(left.map((d) => d.donatedOn).sort()).toEqual([...kept].sort());
    expect(left.every((d) => d.supporterId === null && d.cardLast4 === null)).toBe(true);
  });
});
