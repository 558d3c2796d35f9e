import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestDrafts, requests, usedSignInLinks, usedUnsubscribeLinks, verificationTokens } from "@/db/schema";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { confirmDraft } from "./confirm-draft";
import { createDraft } from "./create-draft";
import { purgeExpiredDrafts } from "./purge-expired-drafts";

const HOUR = 60 * 60_000;
const now = new Date("2026-05-04T12:00:00Z");

describe("purgeExpiredDrafts", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  function draftAt(createdAt: Date, email: string) {
    createDraft(t.db, {
      submission: { type: "unsubscribe", email, details: { type: "unsubscribe" } },
      now: createdAt,
      ctx: TEST_CONTEXT,
    });
  }

  it("removes drafts whose time is up, and sign-in tokens a week after theirs", () => {
    draftAt(new Date(now.getTime() - 8 * 24 * HOUR), "a@example.org"); // draft expired, token expired over a week ago
    draftAt(new Date(now.getTime() - 24 * HOUR), "b@example.org"); // draft expires exactly now; token expired yesterday
    draftAt(new Date(now.getTime() - 1 * HOUR), "c@example.org"); // draft alive, token expired half an hour ago
    draftAt(new Date(now.getTime() - 10 * 60_000), "d@example.org"); // both alive
    t.db.insert(usedSignInLinks).values([
      { token: "used-long-ago", usedAt: new Date(now.getTime() - 9 * 24 * HOUR), expires: new Date(now.getTime() - 8 * 24 * HOUR) },
      { token: "used-yesterday", usedAt: new Date(now.getTime() - 25 * HOUR), expires: new Date(now.getTime() - 24 * HOUR) },
    ]).run();

    expect(purgeExpiredDrafts(t.db, now)).toEqual({ drafts: 2, tokens: 1, usedLinks: 1, usedUnsubscribeLinks: 0 });

    const drafts = t.db.select({ email: requestDrafts.email }).from(requestDrafts).all();
    expect(drafts.map((d) => d.email).sort()).toEqual(["c@example.org", "d@example.org"]);
    const tokens = t.db.select({ identifier: verificationTokens.identifier }).from(verificationTokens).all();
    expect(tokens.map((v) => v.identifier).sort()).toEqual(["b@example.org", "c@example.org", "d@example.org"]);
    expect(t.db.select({ token: usedSignInLinks.token }).from(usedSignInLinks).all()).toEqual([{ token: "used-yesterday" }]);

    // Running again finds nothing more.
    expect(purgeExpiredDrafts(t.db, now)).toEqual({ drafts: 0, tokens: 0, usedLinks: 0, usedUnsubscribeLinks: 0 });
  });

  it("forgets a used unsubscribe link once it has expired, and not before", () => {
    t.db.insert(usedUnsubscribeLinks).values([
      { tokenHash: "expired-yesterday", usedAt: new Date(now.getTime() - 300 * 24 * HOUR), expires: new Date(now.getTime() - 24 * HOUR) },
      { tokenHash: "expires-now", usedAt: new Date(now.getTime() - 300 * 24 * HOUR), expires: now },
      { tokenHash: "still-valid", usedAt: new Date(now.getTime() - HOUR), expires: new Date(now.getTime() + 364 * 24 * HOUR) },
    ]).run();
    expect(purgeExpiredDrafts(t.db, now).usedUnsubscribeLinks).toBe(2);
    expect(t.db.select({ tokenHash: usedUnsubscribeLinks.tokenHash }).from(usedUnsubscribeLinks).all()).toEqual([{ tokenHash: "still-valid" }]);
  });

  it("never removes a request, even when its confirmed draft is purged", async () => {
    const createdAt = new Date(now.getTime() - 30 * HOUR);
    draftAt(createdAt, "a@example.org");
    const key = t.db.select({ key: requestDrafts.key }).from(requestDrafts).get()!.key;
    const confirmed = await confirmDraft(t.db, {
      draftKey: key,
      viewerEmail: "a@example.org",
      now: new Date(createdAt.getTime() + HOUR),
      ctx: TEST_CONTEXT,
    });
    expect(confirmed.ok).toBe(true);

    expect(purgeExpiredDrafts(t.db, now).drafts).toBe(1);
    expect(countRows(t.db, requestDrafts)).toBe(0);
    expect(countRows(t.db, requests)).toBe(1);
  });
});
