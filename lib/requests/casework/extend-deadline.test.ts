import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requests, type RequestStatus } from "@/db/schema";
import type { PortalContext } from "@/lib/settings/portal-context";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import { extendDeadline } from "./extend-deadline";
import { startReview } from "./staff-step";
import { filed } from "@/lib/testing/filed";
import { requestEventsOf, requestMailsOf, requestRow, tablesSnapshot } from "@/lib/testing/request-reads";

const OWNER = "ann@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const REASON = "Your records are spread over three systems & one is archived.";
// Filed 22 November 2026: due 22 December 2026 under gdpr, 6 January 2027 under ccpa.
const filedAt = new Date("2026-11-22T09:00:00Z");
const now = new Date("2026-12-01T10:00:00Z");

describe("extendDeadline", () => {
  let t: TempDatabase;
  let reference: string;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  function file(ctx: PortalContext = TEST_CONTEXT) {
    reference = filed(fileVerifiedRequest(t.db, {
      submission: { type: "access", email: OWNER, details: { type: "access" } },
      now: filedAt,
      ctx,
    })).reference;
    expect(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now: filedAt })).toMatchObject({ ok: true });
  }
  beforeEach(() => file());

  const row = () => requestRow(t.db, reference);
  const events = () => requestEventsOf(t.db, reference);
  const extensionMails = () => requestMailsOf(t.db, reference).filter((m) => m.kind === "extension");
  const snapshot = () => tablesSnapshot(t.db);
  function extend(input: { amount?: string; now?: Date; actor?: RequestActor; expectedVersion?: number; ctx?: PortalContext }) {
    return extendDeadline(t.db, {
      reference,
      actor: input.actor ?? REVIEWER,
      expectedVersion: input.expectedVersion ?? row().version,
      amount: input.amount ?? "2",
      reason: REASON,
      now: input.now ?? now,
      ctx: input.ctx ?? TEST_CONTEXT,
    });
  }

  it("extends once: new due date, when and why, one event, one email with the reason and the new date", async () => {
    const result = extend({ amount: "2" });
    expect(result).toEqual({ ok: true, request: row() });
    expect(row()).toMatchObject({
      status: "in_review",
      dueOn: "2027-02-22",
      extendedAt: now,
      extensionReason: REASON,
      version: 3,
      updatedAt: now,
    });
    expect(events().at(-1)).toMatchObject({
      action: "extended",
      actorType: "staff",
      actorEmail: "rita@example.org",
      fromStatus: null,
      toStatus: null,
      note: REASON,
      at: now,
    });

    const mails = extensionMails();
    expect(mails).toHaveLength(1);
    const mail = await renderOutboxMail(mails[0]!);
    expect(mail).toMatchObject({ toAddress: OWNER, status: "pending", subject: `We need more time for your request ${reference}` });
    expect(mail.text).toContain(`> ${REASON}`);
    expect(mail.text).toContain("We will now answer by: 22 February 2027");
    expect(mail.html).toContain("Your records are spread over three systems &amp; one is archived.");
    expect(mail.html).toContain("22 February 2027");
    for (const body of [mail.text, mail.html]) expect(body).toContain(`${TEST_CONTEXT.appUrl}/requests/${reference}`);
  });

  it("by one month moves the due date to 22 January 2027", async () => {
    expect(extend({ amount: "1" })).toMatchObject({ ok: true });
    expect(row().dueOn).toBe("2027-01-22");
    expect((await renderOutboxMail(extensionMails()[0]!)).text).toContain("22 January 2027");
  });

  it("under ccpa extends by 45 days", async () => {
    const ccpa: PortalContext = { ...TEST_CONTEXT, regime: "ccpa" };
    file(ccpa);
    expect(row()).toMatchObject({ regime: "ccpa", dueOn: "2027-01-06" });
    expect(extend({ amount: "45", ctx: ccpa })).toMatchObject({ ok: true });
    expect(row().dueOn).toBe("2027-02-20");
    expect((await renderOutboxMail(extensionMails()[0]!)).text).toContain("20 February 2027");
  });

  it("is allowed on the due date itself", () => {
    expect(extend({ amount: "1", now: new Date("2026-12-22T23:59:00Z") })).toMatchObject({ ok: true });
    expect(row().dueOn).toBe("2027-01-22");
  });

  it("refuses a second extension and writes nothing", () => {
    expect(extend({ amount: "1" })).toMatchObject({ ok: true });
    const before = snapshot();
    expect(extend({ amount: "1" })).toEqual({
      ok: false,
      reason: "not_allowed",
      message: "This deadline has already been extended once; it cannot be extended again.",
    });
    expect(snapshot()).toEqual(before);
    expect(extensionMails()).toHaveLength(1);
  });

  it.each<[string, Date, PortalContext]>([
    ["the day after the due date", new Date("2026-12-23T00:30:00Z"), TEST_CONTEXT],
    // Noon UTC on the due date is already the next day in Auckland.
    ["the day after the due date in the organisation's zone", new Date("2026-12-22T12:00:00Z"), { ...TEST_CONTEXT, timeZone: "Pacific/Auckland" }],
  ])("refuses on %s and writes nothing", (_when, at, ctx) => {
    const before = snapshot();
    expect(extend({ now: at, ctx })).toEqual({
      ok: false,
      reason: "not_allowed",
      message: "The deadline has passed: an extension must be made and explained before the original due date.",
    });
    expect(snapshot()).toEqual(before);
  });

  it.each(["3", "45", "0", ""])("refuses an amount of %j under gdpr and writes nothing", (amount) => {
    const before = snapshot();
    expect(extend({ amount })).toEqual({ ok: false, reason: "not_allowed", message: "Choose an extension of one or two months." });
    expect(snapshot()).toEqual(before);
  });

  it("refuses the supporter (not_permitted) and writes nothing", () => {
    const before = snapshot();
    expect(extend({ actor: { type: "supporter", email: OWNER } })).toEqual({
      ok: false,
      reason: "not_permitted",
      message: "Only staff can extend a deadline.",
    });
    expect(snapshot()).toEqual(before);
  });

  it.each<RequestStatus>(["completed", "denied", "canceled"])("refuses a %s request and writes nothing", (status) => {
    t.db.update(requests).set({ status }).where(eq(requests.reference, reference)).run();
    const before = snapshot();
    expect(extend({})).toEqual({ ok: false, reason: "not_allowed", message: "A closed request cannot be extended." });
    expect(snapshot()).toEqual(before);
  });

  it("answers a stale version with changed and writes nothing", () => {
    const before = snapshot();
    expect(extend({ expectedVersion: 1 })).toMatchObject({ ok: false, reason: "changed" });
    expect(snapshot()).toEqual(before);
  });
});
