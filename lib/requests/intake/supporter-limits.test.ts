import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requestDrafts, requestEvents, requests, type RequestStatus } from "@/db/schema";
import type { PortalContext } from "@/lib/settings/portal-context";
import { confirmDraft } from "@/lib/requests/intake/confirm-draft";
import { createDraft } from "@/lib/requests/intake/create-draft";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";
import { recordRequest } from "@/lib/requests/casework/record-request";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { filed } from "@/lib/testing/filed";
import { requestEventsOf } from "@/lib/testing/request-reads";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { DEFAULT_LIMITS } from "@/lib/limits/policy";
import { addCalendarMonths } from "@/lib/calendar/dates";
import { startOfDayIn } from "@/lib/calendar/months";
import { checkSupporterLimits } from "./supporter-limits";

const ANN = "ann@example.org";
const ACCESS: RequestSubmission = { type: "access", email: ANN, details: { type: "access" } };
const CONCERN: RequestSubmission = { type: "concern", email: ANN, details: { type: "concern", message: "Why?" } };
// The portal's own limits, not the generous ones other tests use.
const GDPR: PortalContext = { ...TEST_CONTEXT, regime: "gdpr", limits: DEFAULT_LIMITS };
const CCPA: PortalContext = { ...GDPR, regime: "ccpa" };

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);

describe("per-supporter limits on filing", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  function file(submission: RequestSubmission, day: string, ctx: PortalContext = GDPR) {
    return fileVerifiedRequest(t.db, { submission, now: at(day), ctx });
  }
  function close(reference: string, status: RequestStatus = "completed") {
    t.db.update(requests).set({ status }).where(eq(requests.reference, reference)).run();
  }
  const actions = (reference: string): string[] => requestEventsOf(t.db, reference).map((e) => e.action);

  describe("one open request of each type", () => {
    it("refuses a second open request of a type, saying which is open and by when it will be answered", () => {
      const first = filed(file(ACCESS, "2026-11-02")).reference;
      const second = file(ACCESS, "2026-11-05");
      expect(second).toEqual({
        ok: false,
        reason: "limit",
        message: `You already have a request to see your data that we are working on (${first}). We take one at a time, so you can make another once we have answered it, which will be by 2 December 2026.`,
        staffMessage: `This person already has an open request of this type (${first}); the limit is 1 at a time.`,
      });
      expect(countRows(t.db, requests)).toBe(1);
      expect(countRows(t.db, mailOutbox)).toBe(1);
    });

    it("counts each type, and each address, on its own", () => {
      filed(file(ACCESS, "2026-11-02"));
      expect(file(CONCERN, "2026-11-02").ok).toBe(true);
      expect(file({ ...ACCESS, email: "bob@example.org" }, "2026-11-02").ok).toBe(true);
    });

    it.each<RequestStatus>(["completed", "denied", "canceled"])("takes a new one once the open one is %s", (status) => {
      const first = filed(file(CONCERN, "2026-11-02")).reference;
      close(first, status);
      expect(file(CONCERN, "2026-11-03").ok).toBe(true);
    });

    it.each<RequestStatus>(["in_review", "awaiting_supporter", "approved"])("still counts one that is %s", (status) => {
      close(filed(file(CONCERN, "2026-11-02")).reference, status);
      expect(file(CONCERN, "2026-11-03").ok).toBe(false);
    });

    it("takes the configured number at once", () => {
      const two = { ...GDPR, limits: { ...DEFAULT_LIMITS, openRequestsPerType: 2 } };
      filed(file(CONCERN, "2026-11-02", two));
      filed(file(CONCERN, "2026-11-02", two));
      const third = file(CONCERN, "2026-11-02", two);
      expect(third.ok ? "" : third.message).toMatch(/^You already have 2 requests to look into a concern that we are working on \(RD-.{9} and RD-.{9}\), the most we take at once\./);
    });
  });

  describe("access requests under ccpa: two in 12 months", () => {
    it("refuses a third within 12 months, saying since when and from which day they can ask again", () => {
      close(filed(file(ACCESS, "2026-01-10", CCPA)).reference);
      close(filed(file(ACCESS, "2026-06-20", CCPA)).reference);
      expect(file(ACCESS, "2026-12-01", CCPA)).toMatchObject({
        ok: false,
        message:
          "You can ask to see your data 2 times in 12 months, and you have asked 2 times since 10 January 2026. You can ask again from 10 January 2027.",
      });
      expect(file(ACCESS, "2027-01-09", CCPA).ok).toBe(false);
      expect(file(ACCESS, "2027-01-10", CCPA).ok).toBe(true);
    });

    // The day the refusal names is the first day a request is taken again, also where that day is a month's last
    // because the date does not exist in it (29 February), and in a zone far from UTC.
    it.each<[string, string, string, string, string]>([
      ["2028-02-29", "Europe/London", "29 February 2028", "28 February 2029", "2029-02-27"],
      ["2028-02-29", "Pacific/Auckland", "29 February 2028", "28 February 2029", "2029-02-27"],
      ["2028-02-29", "America/Los_Angeles", "29 February 2028", "28 February 2029", "2029-02-27"],
      ["2026-01-31", "Asia/Kolkata", "31 January 2026", "31 January 2027", "2027-01-30"],
    ])("one received on %s (%s) is refused until the day named, and taken on it", (received, timeZone, since, again, dayBefore) => {
      const once = { ...CCPA, timeZone, limits: { ...DEFAULT_LIMITS, accessRequestsPerYear: 1 } };
      // Midday there, so the day filed is the day written whatever the zone.
      const fileOn = (day: string) => fileVerifiedRequest(t.db, { submission: ACCESS, now: new Date(startOfDayIn(day, timeZone).getTime() + 12 * 3_600_000), ctx: once });
      close(filed(fileOn(received)).reference);
      expect(fileOn(dayBefore)).toMatchObject({
        ok: false,
        message: `You can ask to see your data once in 12 months, and you have asked once since ${since}. You can ask again from ${again}.`,
      });
      // The day named (12 months on, or February's last day).
      expect(fileOn(addCalendarMonths(received, 12)).ok).toBe(true);
    });

    it("does not count a request closed without acting on it (canceled)", () => {
      close(filed(file(ACCESS, "2026-01-10", CCPA)).reference, "canceled");
      close(filed(file(ACCESS, "2026-02-10", CCPA)).reference);
      expect(file(ACCESS, "2026-03-10", CCPA).ok).toBe(true);
    });

    it("does not limit other types, nor access requests under gdpr", () => {
      for (const day of ["2026-01-10", "2026-02-10", "2026-03-10"]) close(filed(file(CONCERN, day, CCPA)).reference);
      for (const day of ["2026-01-10", "2026-02-10", "2026-03-10"]) close(filed(file(ACCESS, day, GDPR)).reference);
    });

    it("uses the configured number", () => {
      const once = { ...CCPA, limits: { ...DEFAULT_LIMITS, accessRequestsPerYear: 1 } };
      close(filed(file(ACCESS, "2026-03-31", once)).reference);
      expect(file(ACCESS, "2026-04-01", once)).toMatchObject({
        ok: false,
        message: "You can ask to see your data once in 12 months, and you have asked once since 31 March 2026. You can ask again from 31 March 2027.",
      });
    });
  });

  describe("access requests under gdpr: a repeat within 3 months is flagged, not refused", () => {
    it("files a repeat within 3 months with a flag for staff on its record, internal to staff", () => {
      const first = filed(file(ACCESS, "2026-09-15")).reference;
      close(first);
      const repeat = filed(file(ACCESS, "2026-12-14")).reference;
      expect(actions(repeat)).toEqual(["filed", "flagged_excessive"]);
      const [flag] = t.db
        .select()
        .from(requestEvents)
        .where(and(eq(requestEvents.action, "flagged_excessive")))
        .all();
      expect(flag).toMatchObject({ actorType: "system", actorEmail: null });
      expect(flag?.note).toContain(`access request ${first} arrived on 15 September 2026, less than 3 months before this one`);
    });

    it("does not flag one 3 months or more after the last, nor the first", () => {
      const first = filed(file(ACCESS, "2026-09-15")).reference;
      expect(actions(first)).toEqual(["filed"]);
      close(first);
      expect(actions(filed(file(ACCESS, "2026-12-15")).reference)).toEqual(["filed"]);
    });

    // 3 months after 30 November is 28 February (the month's last day): from then on it is not "less than 3 months".
    it.each<[string, string, boolean]>([
      ["2026-11-30", "2027-02-27", true],
      ["2026-11-30", "2027-02-28", false],
      ["2027-11-29", "2028-02-28", true],
      ["2027-11-29", "2028-02-29", false],
    ])("after one received on %s, one on %s is flagged: %s", (earlier, later, flagged) => {
      close(filed(file(ACCESS, earlier)).reference);
      expect(actions(filed(file(ACCESS, later)).reference)).toEqual(flagged ? ["filed", "flagged_excessive"] : ["filed"]);
    });
  });

  describe("staff recording a request", () => {
    const record = (limitOverride?: string) =>
      recordRequest(t.db, {
        submission: ACCESS,
        channel: "email",
        identityCheck: "Replied from the address on file.",
        receivedOn: "2026-11-05",
        ...(limitOverride ? { limitOverride } : {}),
        staffEmail: "rita@example.org",
        now: at("2026-11-05"),
        ctx: GDPR,
      });

    it("are told the limit in their own terms, and may override it with a reason that goes on the record", () => {
      const open = filed(file(ACCESS, "2026-11-02")).reference;
      expect(record()).toEqual({
        ok: false,
        message: `This person already has an open request of this type (${open}); the limit is 1 at a time.`,
      });
      const recorded = filed(record("She wrote again about a different database; we treat it as new."));
      // Recorded past the limit, the request is the same address asking again while the first is open: a possible duplicate.
      expect(actions(recorded.reference)).toEqual(["recorded", "limit_overridden", "duplicate_flagged"]);
      const override = t.db.select().from(requestEvents).where(eq(requestEvents.action, "limit_overridden")).get();
      expect(override).toMatchObject({ actorType: "staff", actorEmail: "rita@example.org" });
      expect(override?.note).toBe(
        `This person already has an open request of this type (${open}); the limit is 1 at a time. Reason for overriding the limit: She wrote again about a different database; we treat it as new.`,
      );
    });

    it("record nothing about an override when no limit applies", () => {
      expect(actions(filed(record("Just in case.")).reference)).toEqual(["recorded"]);
    });
  });

  describe("a request made without signing in", () => {
    it("is refused at once by email instead of a link, storing no draft, when a limit already applies", async () => {
      const open = filed(file(ACCESS, "2026-11-02")).reference;
      expect(createDraft(t.db, { submission: ACCESS, now: at("2026-11-03"), ctx: GDPR })).toMatchObject({ drafted: false, message: expect.stringContaining("already have a request to see your data") });
      expect(countRows(t.db, requestDrafts)).toBe(0);
      const refusal = t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, "limit-reached")).get();
      expect(refusal).toMatchObject({ toAddress: ANN, subject: "We could not take your request to Test Org", sensitive: false });
      const rendered = await renderOutboxMail(refusal!);
      expect(rendered.text).toContain(`You already have a request to see your data that we are working on (${open}).`);
      expect(rendered.text).not.toContain("/signin/link");
    });

    it("is checked again when its link is followed, since another may have been confirmed meanwhile", async () => {
      createDraft(t.db, { submission: ACCESS, now: at("2026-11-02"), ctx: GDPR });
      createDraft(t.db, { submission: ACCESS, now: at("2026-11-02"), ctx: GDPR });
      const [one, two] = t.db.select().from(requestDrafts).all();
      const confirm = (draftKey: string) => confirmDraft(t.db, { draftKey, viewerEmail: ANN, now: at("2026-11-02"), ctx: GDPR });
      expect(await confirm(one!.key)).toMatchObject({ ok: true, alreadyConfirmed: false });
      expect(await confirm(two!.key)).toMatchObject({ ok: false, reason: "limit", type: "access" });
      expect(countRows(t.db, requests)).toBe(1);
      expect(t.db.select().from(requestDrafts).where(eq(requestDrafts.key, two!.key)).get()?.requestId).toBeNull();
    });
  });

  it("checkSupporterLimits reads without writing", () => {
    filed(file(ACCESS, "2026-11-02"));
    const before = countRows(t.db, requestEvents);
    expect(checkSupporterLimits(t.db, { email: ANN, type: "access", today: "2026-11-03", regime: "gdpr" }).ok).toBe(false);
    expect(countRows(t.db, requestEvents)).toBe(before);
  });

  it("never limits stopping emails, even with an unsubscribe left open or over any yearly count", () => {
    const UNSUBSCRIBE: RequestSubmission = { type: "unsubscribe", email: ANN, details: { type: "unsubscribe" } };
    for (const day of ["2026-11-02", "2026-11-02", "2026-11-03", "2026-11-04"]) {
      expect(file(UNSUBSCRIBE, day, CCPA)).toMatchObject({ ok: true });
    }
    // An open one (left from before unsubscribes closed themselves) does not block another.
    t.db.update(requests).set({ status: "received" }).where(eq(requests.type, "unsubscribe")).run();
    expect(checkSupporterLimits(t.db, { email: ANN, type: "unsubscribe", today: "2026-11-05", regime: "ccpa", limits: DEFAULT_LIMITS })).toEqual({
      ok: true,
      possiblyExcessive: null,
    });
  });
});
