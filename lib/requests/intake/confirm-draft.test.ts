import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requestDrafts, requestEvents, requests } from "@/db/schema";
import type { PortalContext } from "@/lib/settings/portal-context";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { eventLog } from "@/lib/testing/request-reads";
import { verifyEventChain } from "@/lib/audit/verify-chain";
import { confirmDraft, isDraftFiled } from "./confirm-draft";
import { createDraft, DRAFT_LIFETIME_MS } from "./create-draft";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";

const REFERENCE = /^RD-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const EMAIL = "ann@example.org";
const submission: RequestSubmission = {
  type: "access",
  email: EMAIL,
  name: "Ann Example",
  details: { type: "access", note: "Everything, please." },
};

describe("confirmDraft", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  /** Makes a draft at `createdAt` and returns its key. */
  function draftAt(createdAt: Date, ctx: PortalContext = TEST_CONTEXT): string {
    createDraft(t.db, { submission, now: createdAt, ctx });
    const rows = t.db.select({ key: requestDrafts.key }).from(requestDrafts).all();
    return rows[rows.length - 1]!.key;
  }

  function counts() {
    return {
      requests: countRows(t.db, requests),
      events: countRows(t.db, requestEvents),
      mails: countRows(t.db, mailOutbox),
    };
  }

  const created = new Date("2026-11-22T08:00:00Z");
  const now = new Date("2026-11-22T09:00:00Z");

  it.each([
    ["another address", "bob@example.org"],
    ["the same address in other case", "ANN@example.org"],
  ])("refuses %s as not_found and creates nothing", async (_what, viewerEmail) => {
    const draftKey = draftAt(created);
    const before = t.db.select().from(requestDrafts).get();
    expect(await confirmDraft(t.db, { draftKey, viewerEmail, now, ctx: TEST_CONTEXT })).toEqual({ ok: false, reason: "not_found" });
    expect(counts()).toEqual({ requests: 0, events: 0, mails: 1 });
    expect(t.db.select().from(requestDrafts).get()).toEqual(before);
  });

  it("says whether a draft has become a request: no for a key unknown, waiting or lapsed, yes once confirmed", async () => {
    // Each of another address, so that none is taken for another's repeat.
    const draftOf = (email: string, at: Date) => {
      createDraft(t.db, { submission: { ...submission, email }, now: at, ctx: TEST_CONTEXT });
      return t.db.select({ key: requestDrafts.key }).from(requestDrafts).where(eq(requestDrafts.email, email)).get()!.key;
    };
    const waiting = draftOf("wes@example.org", created);
    const confirmed = draftOf(EMAIL, created);
    const lapsed = draftOf("lou@example.org", new Date(created.getTime() - DRAFT_LIFETIME_MS - 60_000));
    expect(await confirmDraft(t.db, { draftKey: confirmed, viewerEmail: EMAIL, now, ctx: TEST_CONTEXT })).toMatchObject({ ok: true });
    expect(await confirmDraft(t.db, { draftKey: lapsed, viewerEmail: "lou@example.org", now, ctx: TEST_CONTEXT })).toMatchObject({ ok: false, reason: "expired" });
    expect([waiting, confirmed, lapsed, "no-such-key"].map((key) => isDraftFiled(t.db, key))).toEqual([false, true, false, false]);
  });

  it("reports an unknown key as not_found", async () => {
    draftAt(created);
    expect(await confirmDraft(t.db, { draftKey: "no-such-key", viewerEmail: EMAIL, now, ctx: TEST_CONTEXT })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });

  it("refuses an expired draft (now at or after expiresAt) and accepts it a millisecond before", async () => {
    const draftKey = draftAt(created);
    const expiresAt = new Date(created.getTime() + DRAFT_LIFETIME_MS);
    for (const late of [expiresAt, new Date(expiresAt.getTime() + 60_000)]) {
      expect(await confirmDraft(t.db, { draftKey, viewerEmail: EMAIL, now: late, ctx: TEST_CONTEXT })).toEqual({
        ok: false,
        reason: "expired",
      });
    }
    expect(counts()).toEqual({ requests: 0, events: 0, mails: 1 });
    const justInTime = new Date(expiresAt.getTime() - 1);
    expect(await confirmDraft(t.db, { draftKey, viewerEmail: EMAIL, now: justInTime, ctx: TEST_CONTEXT })).toMatchObject({
      ok: true,
      alreadyConfirmed: false,
    });
  });

  it("files the request: status received, clock starting now, one event, one receipt", async () => {
    const draftKey = draftAt(created);
    const result = await confirmDraft(t.db, { draftKey, viewerEmail: EMAIL, now, ctx: TEST_CONTEXT });
    expect(result).toMatchObject({ ok: true, alreadyConfirmed: false });
    if (!result.ok) return;
    expect(result.reference).toMatch(REFERENCE);

    const rows = t.db.select().from(requests).all();
    expect(rows).toHaveLength(1);
    const request = rows[0]!;
    expect(request).toMatchObject({
      reference: result.reference,
      type: "access",
      status: "received",
      subjectEmail: EMAIL,
      subjectName: "Ann Example",
      details: submission.details,
      channel: "web",
      regime: "gdpr",
      receivedAt: now,
      dueOn: "2026-12-22",
      closedAt: null,
      version: 1,
      updatedAt: now,
    });

    expect(eventLog(t.db)).toEqual([
      {
        id: expect.any(Number),
        requestId: request.id,
        at: now,
        actorType: "supporter",
        actorEmail: null,
        action: "filed",
        fromStatus: null,
        toStatus: "received",
        note: null,
        contentSalt: expect.stringMatching(/^[0-9a-f]{32}$/),
        contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        // The request as filing left it, so a later edit of the row outside the record shows.
        statusAfter: "received",
        dueOnAfter: request.dueOn,
        assigneeAfter: null,
        // What the request is, committed to under the request's own salt.
        identityHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        prevHash: "",
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);

    const receipts = t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, "receipt")).all();
    expect(receipts).toHaveLength(1);
    const receipt = await renderOutboxMail(receipts[0]!);
    expect(receipt).toMatchObject({
      toAddress: EMAIL,
      requestId: request.id,
      sensitive: false,
      status: "pending",
      subject: `We have received your request ${result.reference}`,
    });
    for (const body of [receipt.text, receipt.html]) {
      expect(body).toContain(result.reference);
      expect(body).toContain("22 December 2026");
      expect(body).toContain(`${TEST_CONTEXT.appUrl}/requests/${result.reference}`);
    }
    expect(receipt.text).toContain("We will answer by: 22 December 2026");

    // The draft keeps only the link to the request, not a second copy of the details.
    expect(t.db.select().from(requestDrafts).get()).toMatchObject({ requestId: request.id, details: {}, name: null });
  });

  it.each<[string, PortalContext["regime"], string, string]>([
    ["UTC", "gdpr", "2026-11-22T09:00:00Z", "2026-12-22"],
    ["UTC", "gdpr", "2026-01-31T12:00:00Z", "2026-02-28"],
    ["UTC", "gdpr", "2028-01-31T12:00:00Z", "2028-02-29"],
    // Late on 30 January UTC is already 31 January in Berlin.
    ["Europe/Berlin", "gdpr", "2026-01-30T23:30:00Z", "2026-02-28"],
    ["UTC", "gdpr", "2026-01-30T23:30:00Z", "2026-02-28"],
    // Early on 1 March UTC is still 28 February in Los Angeles.
    ["America/Los_Angeles", "gdpr", "2026-03-01T05:00:00Z", "2026-03-28"],
    ["UTC", "gdpr", "2026-03-01T05:00:00Z", "2026-04-01"],
    ["UTC", "ccpa", "2026-11-07T12:00:00Z", "2026-12-22"],
    ["Pacific/Kiritimati", "ccpa", "2026-12-31T10:30:00Z", "2027-02-15"],
    ["UTC", "ccpa", "2026-12-31T10:30:00Z", "2027-02-14"],
  ])("in %s under %s, confirmed at %s → due %s", async (timeZone, regime, at, dueOn) => {
    const ctx: PortalContext = { ...TEST_CONTEXT, timeZone, regime };
    const confirmedAt = new Date(at);
    const draftKey = draftAt(new Date(confirmedAt.getTime() - 60_000), ctx);
    const result = await confirmDraft(t.db, { draftKey, viewerEmail: EMAIL, now: confirmedAt, ctx });
    expect(result.ok).toBe(true);
    expect(t.db.select({ dueOn: requests.dueOn, regime: requests.regime }).from(requests).get()).toEqual({ dueOn, regime });
  });

  it("confirming twice returns the same reference and creates nothing new, even after the draft's expiry", async () => {
    const draftKey = draftAt(created);
    const first = await confirmDraft(t.db, { draftKey, viewerEmail: EMAIL, now, ctx: TEST_CONTEXT });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const afterFirst = counts();
    expect(afterFirst).toEqual({ requests: 1, events: 1, mails: 2 });

    for (const again of [new Date(now.getTime() + 1000), new Date(now.getTime() + 2 * DRAFT_LIFETIME_MS)]) {
      expect(await confirmDraft(t.db, { draftKey, viewerEmail: EMAIL, now: again, ctx: TEST_CONTEXT })).toEqual({
        ok: true,
        reference: first.reference,
        alreadyConfirmed: true,
      });
    }
    expect(counts()).toEqual(afterFirst);
    // And someone else following the same link still learns nothing.
    expect(await confirmDraft(t.db, { draftKey, viewerEmail: "bob@example.org", now, ctx: TEST_CONTEXT })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });
  it("files the confirmations of one moment in one shared transaction as it files each alone", async () => {
    const draftOf = (email: string) => {
      createDraft(t.db, { submission: { ...submission, email }, now: created, ctx: TEST_CONTEXT });
      return t.db.select({ key: requestDrafts.key }).from(requestDrafts).where(eq(requestDrafts.email, email)).get()!.key;
    };
    const ann = draftOf(EMAIL);
    const bob = draftOf("bob@example.org");
    const confirm = (draftKey: string, viewerEmail: string) => confirmDraft(t.db, { draftKey, viewerEmail, now, ctx: TEST_CONTEXT });
    // Ann twice (a double click), Bob, and someone else trying Bob's draft: all in the same turn.
    const [first, again, bobs, stranger] = await Promise.all([confirm(ann, EMAIL), confirm(ann, EMAIL), confirm(bob, "bob@example.org"), confirm(bob, "cat@example.org")]);
    expect(first).toMatchObject({ ok: true, alreadyConfirmed: false });
    expect(again).toEqual({ ok: true, alreadyConfirmed: true, reference: first.ok ? first.reference : "" });
    expect(bobs).toMatchObject({ ok: true, alreadyConfirmed: false });
    expect(stranger).toEqual({ ok: false, reason: "not_found" });
    expect(t.db.select({ reference: requests.reference, email: requests.subjectEmail }).from(requests).orderBy(requests.id).all()).toEqual([
      { reference: first.ok ? first.reference : "", email: EMAIL },
      { reference: bobs.ok ? bobs.reference : "", email: "bob@example.org" },
    ]);
    // Two drafts' confirmation emails, then a receipt for each request; each request's event, on one unbroken record.
    expect(counts()).toEqual({ requests: 2, events: 2, mails: 4 });
    expect(verifyEventChain(t.db)).toMatchObject({ events: 2, problem: null });
  });
});
