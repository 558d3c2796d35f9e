import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requestDrafts, requests, verificationTokens } from "@/db/schema";
import { hashVerificationToken } from "@/lib/auth/sign-in-link";
import { escapeHtml } from "@/lib/http/escape";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { createDraft, DRAFT_LIFETIME_MS, resendDraftLink } from "./create-draft";
import { confirmDraft } from "./confirm-draft";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";

const ctx = TEST_CONTEXT;
const now = new Date("2026-05-04T10:00:00Z");
const submission: RequestSubmission = {
  type: "correction",
  email: "ann@example.org",
  name: "Ann Example",
  details: { type: "correction", changes: { postalAddress: "1 High Street\nTown" }, note: "Moved" },
};

describe("createDraft", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  it("stores the draft, the link's token and one pending confirmation mail holding the link", async () => {
    createDraft(t.db, { submission, now, ctx });

    const drafts = t.db.select().from(requestDrafts).all();
    expect(drafts).toHaveLength(1);
    const draft = drafts[0]!;
    expect(draft).toMatchObject({
      type: "correction",
      email: "ann@example.org",
      name: "Ann Example",
      details: submission.details,
      createdAt: now,
      expiresAt: new Date(now.getTime() + DRAFT_LIFETIME_MS),
      requestId: null,
    });
    expect(DRAFT_LIFETIME_MS).toBe(24 * 60 * 60_000);
    // The key is random and URL-safe, never the row id.
    expect(draft.key).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const mails = t.db.select().from(mailOutbox).all();
    expect(mails).toHaveLength(1);
    const mail = await renderOutboxMail(mails[0]!);
    expect(mail).toMatchObject({
      kind: "confirm-request",
      toAddress: "ann@example.org",
      subject: "Confirm your request to Test Org",
      sensitive: true,
      status: "pending",
      attempts: 0,
      requestId: null,
      nextAttemptAt: now,
      createdAt: now,
    });
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@127\.0\.0\.1>$/);

    const link = /http:\/\/127\.0\.0\.1:3999\/signin\/link\?\S+/.exec(mail.text)?.[0];
    expect(link).toBeDefined();
    const url = new URL(link ?? "");
    expect(url.searchParams.get("next")).toBe(`/requests/confirm?draft=${draft.key}`);
    expect(url.searchParams.get("email")).toBe("ann@example.org");
    expect(mail.html).toContain(escapeHtml(link ?? ""));

    const tokens = t.db.select().from(verificationTokens).all();
    expect(tokens).toEqual([
      {
        identifier: "ann@example.org",
        token: hashVerificationToken(url.searchParams.get("token") ?? "", ctx.authSecret),
        expires: new Date(now.getTime() + 30 * 60_000),
      },
    ]);

    // Nothing is a request yet: the clock has not started.
    expect(countRows(t.db, requests)).toBe(0);
  });

  it("gives every draft its own key", () => {
    createDraft(t.db, { submission, now, ctx });
    createDraft(t.db, { submission, now, ctx });
    const keys = t.db.select({ key: requestDrafts.key }).from(requestDrafts).all().map((d) => d.key);
    expect(new Set(keys).size).toBe(2);
  });

  it("stores nothing when the mail cannot be queued", () => {
    t.db.$client.exec(
      "CREATE TRIGGER no_mail BEFORE INSERT ON mail_outbox BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END;",
    );
    expect(() => createDraft(t.db, { submission, now, ctx })).toThrow("outbox unavailable");
    expect(countRows(t.db, requestDrafts)).toBe(0);
    expect(countRows(t.db, verificationTokens)).toBe(0);
    expect(countRows(t.db, mailOutbox)).toBe(0);
  });

  it("sends the newest waiting draft's link again, as a new link to the same draft; nothing for an address with none waiting", async () => {
    createDraft(t.db, { submission, now, ctx });
    const later = new Date(now.getTime() + 10 * 60_000);
    expect(resendDraftLink(t.db, { email: "ann@example.org", now: later, ctx })).toEqual({ sent: true });
    const mails = t.db.select().from(mailOutbox).all();
    expect(mails.map((m) => [m.kind, m.toAddress, m.sensitive])).toEqual([
      ["confirm-request", "ann@example.org", true],
      ["confirm-request", "ann@example.org", true],
    ]);
    const [first, second] = await Promise.all(mails.map((m) => renderOutboxMail(m)));
    const key = t.db.select({ key: requestDrafts.key }).from(requestDrafts).get()!.key;
    for (const mail of [first!, second!]) expect(decodeURIComponent(mail.text)).toContain(`/requests/confirm?draft=${key}`);
    // Two links, each usable once: the second is not a copy of the first.
    expect(countRows(t.db, verificationTokens)).toBe(2);
    expect(countRows(t.db, requestDrafts)).toBe(1);

    for (const [email, at] of [
      ["bob@example.org", later],
      // After 24 hours the draft is gone in all but the purge.
      ["ann@example.org", new Date(now.getTime() + DRAFT_LIFETIME_MS)],
    ] as const) {
      expect(resendDraftLink(t.db, { email, now: at, ctx })).toEqual({ sent: false });
    }
    // Once confirmed, there is nothing to send again.
    expect(await confirmDraft(t.db, { draftKey: key, viewerEmail: "ann@example.org", now: later, ctx })).toMatchObject({ ok: true });
    const before = countRows(t.db, mailOutbox);
    expect(resendDraftLink(t.db, { email: "ann@example.org", now: later, ctx })).toEqual({ sent: false });
    expect(countRows(t.db, mailOutbox)).toBe(before);
  });
});
