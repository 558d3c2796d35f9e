import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requestEvents, requests, type RequestStatus } from "@/db/schema";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { cancelRequestBySupporter } from "./cancel-request";
import { fileVerifiedRequest } from "./file-request";
import { filed } from "@/lib/testing/filed";
import { requestEventsOf, requestRow, tablesSnapshot } from "@/lib/testing/request-reads";

const OWNER = "ann@example.org";
const filedAt = new Date("2026-05-04T10:00:00Z");
const now = new Date("2026-05-06T15:30:00Z");
const ctx = TEST_CONTEXT;

describe("cancelRequestBySupporter", () => {
  let t: TempDatabase;
  let reference: string;
  beforeEach(() => {
    t = openTempDatabase();
    reference = filed(fileVerifiedRequest(t.db, {
      submission: { type: "erasure", email: OWNER, details: { type: "erasure", confirmed: true } },
      now: filedAt,
      ctx,
    })).reference;
  });
  afterEach(() => t.close());

  const snapshot = () => tablesSnapshot(t.db);

  function setStatus(status: RequestStatus) {
    t.db.update(requests).set({ status }).where(eq(requests.reference, reference)).run();
  }

  it("lets the owner cancel: status, closedAt, version, event and mail", async () => {
    const result = cancelRequestBySupporter(t.db, { reference, supporterEmail: OWNER, reason: "Sorted it out", now, ctx });
    expect(result).toEqual({ ok: true });

    const request = requestRow(t.db, reference);
    expect(request).toMatchObject({ status: "canceled", closedAt: now, updatedAt: now, version: 2 });

    const events = requestEventsOf(t.db, reference);
    expect(events.map((e) => e.action)).toEqual(["filed", "canceled"]);
    expect(events[1]).toMatchObject({
      at: now,
      actorType: "supporter",
      actorEmail: null,
      action: "canceled",
      fromStatus: "received",
      toStatus: "canceled",
      note: "Sorted it out",
    });

    const mails = t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, "cancellation")).all();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      toAddress: OWNER,
      requestId: request.id,
      status: "pending",
      subject: `Your request ${reference} has been cancelled`,
      nextAttemptAt: now,
    });
    expect((await renderOutboxMail(mails[0]!)).text).toContain(reference);
  });

  it.each<RequestStatus>(["received", "in_review", "awaiting_supporter", "approved"])(
    "cancels a request that is %s and records where it came from",
    (status) => {
      setStatus(status);
      expect(cancelRequestBySupporter(t.db, { reference, supporterEmail: OWNER, now, ctx })).toEqual({ ok: true });
      const event = t.db.select().from(requestEvents).where(eq(requestEvents.action, "canceled")).get();
      expect(event).toMatchObject({ fromStatus: status, toStatus: "canceled", note: null });
    },
  );

  it.each<RequestStatus>(["completed", "denied", "canceled"])("refuses to cancel a request that is %s", (status) => {
    setStatus(status);
    const before = snapshot();
    const result = cancelRequestBySupporter(t.db, { reference, supporterEmail: OWNER, now, ctx });
    expect(result).toMatchObject({ ok: false, reason: "not_allowed" });
    expect(snapshot()).toEqual(before);
  });

  it.each([
    ["another supporter", "bob@example.org", undefined],
    ["an unknown reference", OWNER, "RD-0000-0000"],
  ])("answers %s with not_found and changes nothing", (_what, supporterEmail, otherReference) => {
    const before = snapshot();
    const result = cancelRequestBySupporter(t.db, {
      reference: otherReference ?? reference,
      supporterEmail,
      now,
      ctx,
    });
    expect(result).toEqual({ ok: false, reason: "not_found", message: "We could not find that request among yours." });
    expect(snapshot()).toEqual(before);
  });

  it("refuses a second cancellation and writes nothing new", () => {
    expect(cancelRequestBySupporter(t.db, { reference, supporterEmail: OWNER, now, ctx })).toEqual({ ok: true });
    const before = snapshot();
    const later = new Date(now.getTime() + 60_000);
    expect(cancelRequestBySupporter(t.db, { reference, supporterEmail: OWNER, now: later, ctx })).toEqual({
      ok: false,
      reason: "not_allowed",
      message: "A request that is cancelled cannot be cancelled.",
    });
    expect(snapshot()).toEqual(before);
    expect(countRows(t.db, requestEvents)).toBe(2);
    expect(countRows(t.db, mailOutbox)).toBe(2);
  });

  it("changes nothing at all when the mail cannot be queued (one transaction)", () => {
    t.db.$client.exec(
      "CREATE TRIGGER no_mail BEFORE INSERT ON mail_outbox BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END;",
    );
    const before = snapshot();
    expect(() => cancelRequestBySupporter(t.db, { reference, supporterEmail: OWNER, now, ctx })).toThrow(
      "outbox unavailable",
    );
    expect(snapshot()).toEqual(before);
    expect(before.requests[0]).toMatchObject({ status: "received", version: 1, closedAt: null });
  });
});
