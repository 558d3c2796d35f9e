import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestDuplicates, requests } from "@/db/schema";
import { listQueue } from "@/lib/queue/list-queue";
import { parseQueueQuery } from "@/lib/queue/queue-query";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { filed } from "@/lib/testing/filed";
import { requestEventsOf, requestMailsOf, requestRow, tablesSnapshot } from "@/lib/testing/request-reads";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";
import { cancelRequestBySupporter } from "../intake/cancel-request";
import { fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import { cancelRequestByStaff, denyRequest } from "./close-request";
import { getSupporterRequest } from "@/lib/requests/views/supporter-views";
import { keepBothRequests, mergeDuplicate } from "./duplicate-decision";
import { approveRequest, startReview } from "./staff-step";

const OWNER = "ann@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const ctx = TEST_CONTEXT;
const day = (n: number) => new Date(Date.UTC(2026, 10, 20 + n, 9));
const ERASURE: RequestSubmission = { type: "erasure", email: OWNER, details: { type: "erasure", confirmed: true } };
const ACCESS: RequestSubmission = { type: "access", email: OWNER, details: { type: "access" } };

describe("possible duplicates", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  const file = (submission: RequestSubmission, at: Date) => filed(fileVerifiedRequest(t.db, { submission, now: at, ctx })).reference;
  const row = (reference: string) => requestRow(t.db, reference);
  const actions = (reference: string) => requestEventsOf(t.db, reference).map((e) => e.action);
  const flagged = () =>
    listQueue(t.db, { query: parseQueueQuery({ duplicates: "flagged" }), viewerEmail: "rita@example.org", now: day(9), timeZone: "UTC" }).rows.map((r) => r.reference);

  it.each<[string, RequestSubmission, boolean]>([
    ["the same type from the same address", ERASURE, true],
    ["another type from the same address", ACCESS, false],
    ["the same type from another address", { ...ERASURE, email: "bob@example.org" }, false],
  ])("%s: flagged on both, with each naming the other: %s", (_what, second, expected) => {
    const first = file(ERASURE, day(0));
    const later = file(second, day(1));
    expect(row(first).possibleDuplicate).toBe(expected);
    expect(row(later).possibleDuplicate).toBe(expected);
    const noteOf = (ref: string) => requestEventsOf(t.db, ref).find((e) => e.action === "duplicate_flagged")?.note;
    if (expected) {
      expect(noteOf(later)).toContain(`Possibly the same as ${first}`);
      expect(noteOf(first)).toContain(`Possibly the same as ${later}`);
      expect(flagged().sort()).toEqual([first, later].sort());
    } else {
      expect(flagged()).toEqual([]);
    }
    // Nobody's open form goes stale because a new request arrived.
    expect(row(first).version).toBe(1);
  });

  it("a closed earlier request is no duplicate, and closing one settles the question on both", () => {
    const first = file(ERASURE, day(0));
    cancelRequestByStaff(t.db, { reference: first, actor: REVIEWER, expectedVersion: 1, note: "Asked by mistake.", now: day(1), ctx });
    const second = file(ERASURE, day(2));
    expect(row(second).possibleDuplicate).toBe(false);
    const third = file(ERASURE, day(3));
    expect(flagged().sort()).toEqual([second, third].sort());
    denyRequest(t.db, { reference: third, actor: REVIEWER, expectedVersion: row(third).version, note: "Excessive.", now: day(4), ctx });
    expect(row(second).possibleDuplicate).toBe(false);
    expect(flagged()).toEqual([]);
    expect(t.db.select({ resolution: requestDuplicates.resolution }).from(requestDuplicates).all()).toEqual([{ resolution: "closed" }]);
  });

  it("merged, the later closes with the earlier through the change path, and the supporter gets one email naming both", async () => {
    const first = file(ERASURE, day(0));
    const later = file(ERASURE, day(1));
    expect(mergeDuplicate(t.db, { reference: later, expectedVersion: row(later).version, otherReference: first, actor: REVIEWER, now: day(2), ctx })).toMatchObject({ ok: true });
    expect(row(later)).toMatchObject({ mergedIntoId: row(first).id, possibleDuplicate: false, status: "received" });
    expect(row(first).possibleDuplicate).toBe(false);
    expect(flagged()).toEqual([]);
    expect(actions(later).at(-1)).toBe("merged");
    expect(actions(first).at(-1)).toBe("merged_in");
    // The supporter is told of the merge once, in one message about both, written in the merge's transaction.
    const mergeMails = [...requestMailsOf(t.db, first), ...requestMailsOf(t.db, later)].filter((m) => m.kind === "merged");
    expect(mergeMails).toHaveLength(1);
    expect(mergeMails[0]).toMatchObject({ toAddress: OWNER, subject: `Your requests ${later} and ${first} are now one` });
    const told = await renderOutboxMail(mergeMails[0]!);
    expect(told.text).toContain(`When we answer it, that answer covers ${later} too`);

    // Nothing is done to the merged request by hand: it is worked through the earlier one.
    expect(startReview(t.db, { reference: later, expectedVersion: row(later).version, actor: REVIEWER, now: day(3) })).toEqual({
      ok: false,
      reason: "not_allowed",
      message: `This request was merged into ${first} and closes with it. Work on ${first} instead.`,
    });
    expect(cancelRequestBySupporter(t.db, { reference: later, supporterEmail: OWNER, now: day(3), ctx })).toMatchObject({ ok: false, reason: "not_allowed" });

    expect(startReview(t.db, { reference: first, expectedVersion: row(first).version, actor: REVIEWER, now: day(3) })).toMatchObject({ ok: true });
    const approved = approveRequest(t.db, { reference: first, expectedVersion: row(first).version, actor: REVIEWER, now: day(4), ctx, confirmedErasure: true });
    expect(approved).toMatchObject({ ok: true, request: { status: "completed" } });
    expect(row(later)).toMatchObject({ status: "completed", closedAt: day(4) });
    const closing = requestEventsOf(t.db, later).find((e) => e.action === "completed");
    expect(closing).toMatchObject({ action: "completed", actorType: "system", fromStatus: "received", toStatus: "completed" });
    // The erasure then removed what was written on every request of the supporter, this closing's note with the rest.
    expect(closing?.note).toBeNull();
    expect(requestEventsOf(t.db, later).at(-1)).toMatchObject({ action: "content_removed_erasure" });

    // One email for both: the earlier's, naming the later; none about the later itself.
    expect(requestMailsOf(t.db, later).filter((m) => m.kind === "completed")).toEqual([]);
    const [done] = requestMailsOf(t.db, first).filter((m) => m.kind === "completed");
    const { text } = await renderOutboxMail(done!);
    expect(text).toContain(`This also answers your request ${later}`);
  });

  it("a supporter writing in French is told of the merge in French, and reads it so in both histories, without staff's English note", async () => {
    const first = file({ ...ACCESS, language: "fr" }, day(0));
    const later = file({ ...ACCESS, language: "fr" }, day(1));
    expect(mergeDuplicate(t.db, { reference: later, expectedVersion: row(later).version, otherReference: first, actor: REVIEWER, now: day(2), ctx })).toMatchObject({ ok: true });
    const [told] = requestMailsOf(t.db, first).filter((m) => m.kind === "merged");
    expect(told?.subject).toBe(`Vos demandes ${later} et ${first} n’en font plus qu’une`);
    expect((await renderOutboxMail(told!)).text).toContain(`Nous traitons désormais la demande ${first}.`);
    const history = (reference: string) =>
      getSupporterRequest(t.db, { reference, email: OWNER, timeZone: "UTC", now: day(3), orgName: "Org", language: "fr" })!.history.map((h) => [h.what, h.note]);
    expect(history(later)).toContainEqual(["Réunie avec votre demande précédente sur le même sujet : une seule réponse pour les deux", null]);
    expect(history(first)).toContainEqual(["Votre demande suivante sur le même sujet a été réunie avec celle-ci : une seule réponse pour les deux", null]);
  });

  it("a refusal of the earlier refuses the merged one with it, in one email", async () => {
    const first = file(ACCESS, day(0));
    const later = file(ACCESS, day(1));
    mergeDuplicate(t.db, { reference: first, expectedVersion: row(first).version, otherReference: later, actor: REVIEWER, now: day(2), ctx });
    denyRequest(t.db, { reference: first, actor: REVIEWER, expectedVersion: row(first).version, note: "Asked twice this month.", now: day(3), ctx });
    expect(row(later)).toMatchObject({ status: "denied" });
    const denials = [...requestMailsOf(t.db, first), ...requestMailsOf(t.db, later)].filter((m) => m.kind === "denied");
    expect(denials).toHaveLength(1);
    expect((await renderOutboxMail(denials[0]!)).text).toContain(later);
  });

  it("kept, both stand and are answered each on its own, with the reason on both records", () => {
    const first = file(ERASURE, day(0));
    const later = file(ERASURE, day(1));
    expect(
      keepBothRequests(t.db, { reference: first, expectedVersion: row(first).version, otherReference: later, actor: REVIEWER, now: day(2), reason: "Two different accounts." }),
    ).toMatchObject({ ok: true });
    for (const [ref, other] of [
      [first, later],
      [later, first],
    ] as const) {
      expect(requestEventsOf(t.db, ref).at(-1)).toMatchObject({ action: "duplicate_kept", note: `Not a duplicate of ${other}: both are answered. Two different accounts.` });
      expect(row(ref)).toMatchObject({ possibleDuplicate: false, mergedIntoId: null });
    }
  });

  it.each<[string, (first: string, later: string) => void, string]>([
    ["a later request already approved", (_f, later) => t.db.update(requests).set({ status: "approved" }).where(eq(requests.reference, later)).run(), "only a request not yet approved can be merged"],
    ["a pair already decided", (first, later) => keepBothRequests(t.db, { reference: later, expectedVersion: row(later).version, otherReference: first, actor: REVIEWER, now: day(2), reason: null }), "not waiting for a decision"],
  ])("refuses to merge %s, and changes nothing", (_what, arrange, message) => {
    const first = file(ERASURE, day(0));
    const later = file(ERASURE, day(1));
    arrange(first, later);
    const before = tablesSnapshot(t.db);
    const result = mergeDuplicate(t.db, { reference: later, expectedVersion: row(later).version, otherReference: first, actor: REVIEWER, now: day(3), ctx });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
    expect(tablesSnapshot(t.db)).toEqual(before);
  });

  it("an auditor can neither merge nor keep", () => {
    const first = file(ERASURE, day(0));
    const later = file(ERASURE, day(1));
    const auditor: RequestActor = { type: "staff", email: "trustee@example.org", role: "auditor" };
    const before = tablesSnapshot(t.db);
    expect(mergeDuplicate(t.db, { reference: later, expectedVersion: row(later).version, otherReference: first, actor: auditor, now: day(2), ctx })).toMatchObject({ ok: false, reason: "not_permitted" });
    expect(keepBothRequests(t.db, { reference: later, expectedVersion: row(later).version, otherReference: first, actor: auditor, now: day(2), reason: null })).toMatchObject({ ok: false });
    expect(tablesSnapshot(t.db)).toEqual(before);
  });
});
