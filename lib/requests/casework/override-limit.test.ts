import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requests } from "@/db/schema";
import { DEFAULT_LIMITS } from "@/lib/limits/policy";
import type { PortalContext } from "@/lib/settings/portal-context";
import { filed } from "@/lib/testing/filed";
import { requestEventsOf, requestRow } from "@/lib/testing/request-reads";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import { limitFlagOf, overrideLimit } from "./override-limit";

const ctx: PortalContext = { ...TEST_CONTEXT, limits: DEFAULT_LIMITS };
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const ACCESS = { type: "access" as const, email: "ann@example.org", details: { type: "access" as const } };

describe("overriding a per-supporter limit on a flagged request", () => {
  let t: TempDatabase;
  let flagged: string;
  beforeEach(() => {
    t = openTempDatabase();
    const first = filed(fileVerifiedRequest(t.db, { submission: ACCESS, now: new Date("2026-10-01T10:00:00Z"), ctx })).reference;
    t.db.update(requests).set({ status: "completed" }).where(eq(requests.reference, first)).run();
    flagged = filed(fileVerifiedRequest(t.db, { submission: ACCESS, now: new Date("2026-11-01T10:00:00Z"), ctx })).reference;
  });
  afterEach(() => t.close());

  const version = (reference: string) => requestRow(t.db, reference).version;
  const override = (input: Partial<Parameters<typeof overrideLimit>[1]> = {}) =>
    overrideLimit(t.db, {
      reference: flagged,
      expectedVersion: version(flagged),
      actor: REVIEWER,
      reason: "Her first request missed the mailing tool; this one is not repetitive.",
      now: new Date("2026-11-02T09:00:00Z"),
      ...input,
    });

  it("shows the flag until staff override it; the reason and who gave it go on the record", () => {
    expect(limitFlagOf(t.db, flagged)).toMatchObject({ overridden: null });
    expect(limitFlagOf(t.db, flagged)?.note).toMatch(/^Possibly excessive: /);
    expect(override()).toMatchObject({ ok: true, request: { status: "received" } });
    expect(limitFlagOf(t.db, flagged)?.overridden).toEqual({
      by: "rita@example.org",
      at: new Date("2026-11-02T09:00:00Z"),
      reason: "Her first request missed the mailing tool; this one is not repetitive.",
    });
    const events = requestEventsOf(t.db, flagged).map(({ action, actorEmail }) => ({ action, actorEmail }));
    expect(events).toEqual([
      // The supporter is not named in the chained log: the request says whose it is.
      { action: "filed", actorEmail: null },
      { action: "flagged_excessive", actorEmail: null },
      { action: "limit_overridden", actorEmail: "rita@example.org" },
    ]);
  });

  it("is refused a second time, on a request no limit flagged, to a supporter, and on a stale page", () => {
    const stale = version(flagged);
    expect(override()).toMatchObject({ ok: true });
    expect(override()).toMatchObject({ ok: false, reason: "invalid", message: "No limit holds this request back, so there is nothing to override." });
    const other = filed(fileVerifiedRequest(t.db, { submission: { ...ACCESS, email: "bob@example.org" }, now: new Date(), ctx })).reference;
    expect(limitFlagOf(t.db, other)).toBeNull();
    expect(override({ reference: other, expectedVersion: version(other) })).toMatchObject({ ok: false, reason: "invalid" });
    expect(override({ actor: { type: "supporter", email: "ann@example.org" } })).toMatchObject({ ok: false, reason: "not_permitted" });
    expect(override({ expectedVersion: stale })).toMatchObject({ ok: false, reason: "changed" });
  });
});
