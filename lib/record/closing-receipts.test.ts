import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requestReceipts, requests } from "@/db/schema";
import { renderTemplate } from "@/lib/mail/render";
import { parseTemplateCall } from "@/lib/mail/templates";
import { answerConcern, cancelRequestByStaff, denyRequest } from "@/lib/requests/casework/close-request";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { cancelRequestBySupporter } from "@/lib/requests/intake/cancel-request";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { filed } from "@/lib/testing/filed";
import { TEST_BRAND } from "@/lib/testing/outbox";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { requestEventsOf, requestRow } from "@/lib/testing/request-reads";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import type { RequestType } from "@/db/schema";
import { verifyReceipt } from "./receipts";

const ctx = TEST_CONTEXT;
const LEE: RequestActor = { type: "staff", email: "lee@example.org", role: "admin" };
const now = new Date("2026-11-22T09:00:00Z");

const details = (type: RequestType) =>
  ({
    access: { type: "access" },
    erasure: { type: "erasure", confirmed: true },
    unsubscribe: { type: "unsubscribe" },
    concern: { type: "concern", message: "Why?" },
    correction: { type: "correction", changes: { phone: "07700 900000" } },
  })[type];

describe("every way a request closes sends the supporter a receipt that verifies", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  function file(type: RequestType, email: string): string {
    return filed(fileVerifiedRequest(t.db, { submission: { type, email, details: details(type) } as never, now, ctx })).reference;
  }
  const review = (reference: string) => expect(startReview(t.db, { reference, actor: LEE, expectedVersion: 1, now })).toMatchObject({ ok: true });

  const CLOSINGS: Array<[string, (email: string) => string, string]> = [
    ["access, carried out", (email) => { const r = file("access", email); review(r); approveRequest(t.db, { reference: r, actor: LEE, expectedVersion: 2, now, ctx }); return r; }, "completed"],
    ["erasure, carried out", (email) => { seedSupporter(t.db, { email }); const r = file("erasure", email); review(r); approveRequest(t.db, { reference: r, actor: LEE, expectedVersion: 2, now, ctx, confirmedErasure: true }); return r; }, "completed"],
    ["unsubscribe, at once", (email) => file("unsubscribe", email), "completed"],
    ["concern, answered", (email) => { const r = file("concern", email); review(r); answerConcern(t.db, { reference: r, actor: LEE, expectedVersion: 2, note: "Because.", now, ctx }); return r; }, "completed"],
    ["refused", (email) => { const r = file("access", email); denyRequest(t.db, { reference: r, actor: LEE, expectedVersion: 1, note: "Repeated.", now, ctx }); return r; }, "refused"],
    ["closed by staff", (email) => { const r = file("access", email); cancelRequestByStaff(t.db, { reference: r, actor: LEE, expectedVersion: 1, note: "Duplicate.", now, ctx }); return r; }, "cancelled"],
    ["withdrawn by the supporter", (email) => { const r = file("access", email); cancelRequestBySupporter(t.db, { reference: r, supporterEmail: email, now, ctx }); return r; }, "cancelled"],
  ];

  it.each(CLOSINGS)("%s", async (_, close, outcome) => {
    const email = "ann@example.org";
    const reference = close(email);
    const request = requestRow(t.db, reference);
    expect(request.closedAt).not.toBeNull();
    const closingKinds = ["completed", "denied", "cancellation"];
    const mails = t.db.select().from(mailOutbox).where(and(eq(mailOutbox.requestId, request.id))).all().filter((m) => closingKinds.includes(m.kind));
    expect(mails).toHaveLength(1);
    const call = parseTemplateCall(mails[0]!.template!, mails[0]!.props);
    const receipt = (call.props as { receipt?: string }).receipt!;
    expect(verifyReceipt(receipt, ctx.signingKey.publicKey)).toMatchObject({ ok: true, reference });
    expect(receipt).toContain(`\nOutcome: ${outcome}\n`);
    const closing = requestEventsOf(t.db, reference).filter((e) => e.toStatus !== null).at(-1)!;
    expect(receipt).toContain(`\nChain position: ${closing.id}\n`);
    expect(receipt).not.toContain(email);
    expect(t.db.select().from(requestReceipts).where(eq(requestReceipts.requestId, request.id)).get()).toMatchObject({ text: receipt, position: closing.id });

    // As the supporter gets it: both parts carry it, and what they show verifies as pasted from either.
    const { html, text } = await renderTemplate(call, TEST_BRAND);
    expect(text).toContain("Your receipt");
    expect(text).toContain(`${TEST_BRAND.appUrl}/verify`);
    expect(verifyReceipt(text, ctx.signingKey.publicKey)).toMatchObject({ ok: true });
    const shownInHtml = html.replace(/<br\s*\/?>/g, "\n").replace(/<[^>]+>/g, "").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    expect(verifyReceipt(shownInHtml, ctx.signingKey.publicKey)).toMatchObject({ ok: true });
    expect(verifyReceipt(text.replace("Chain position: ", "Chain position: 1"), ctx.signingKey.publicKey).ok).toBe(false);
  });

  // An objection to direct marketing is honoured at once: its receipt must not promise the regime's month.
  it.each([
    ["unsubscribe", "at once, on receipt"],
    ["access", "2026-12-22"],
  ] as const)("the receipt of a closed %s says it was due %s", (type, due) => {
    const reference = type === "unsubscribe" ? file("unsubscribe", "cy@example.org") : (() => {
      const r = file("access", "cy@example.org");
      review(r);
      approveRequest(t.db, { reference: r, actor: LEE, expectedVersion: 2, now, ctx });
      return r;
    })();
    const id = requestRow(t.db, reference).id;
    const receipt = t.db.select().from(requestReceipts).where(eq(requestReceipts.requestId, id)).get()!.text;
    expect(receipt).toContain(`\nDue: ${due}\n`);
    expect(verifyReceipt(receipt, ctx.signingKey.publicKey)).toMatchObject({ ok: true, reference });
  });

  it("a request still open has no receipt", () => {
    const reference = file("access", "bob@example.org");
    expect(t.db.select().from(requestReceipts).all()).toEqual([]);
    expect(t.db.select().from(requests).where(eq(requests.reference, reference)).get()!.closedAt).toBeNull();
  });
});
