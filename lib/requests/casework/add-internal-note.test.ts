import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox } from "@/db/schema";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import { addInternalNote } from "./add-internal-note";
import { filed } from "@/lib/testing/filed";
import { eventLog, requestRow, tablesSnapshot } from "@/lib/testing/request-reads";

const OWNER = "ann@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const filedAt = new Date("2026-11-22T09:00:00Z");
const now = new Date("2026-11-23T10:00:00Z");
const NOTE = "Called the office: the paper file is in the basement.";

describe("addInternalNote", () => {
  let t: TempDatabase;
  let reference: string;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());
  beforeEach(() => {
    reference = filed(fileVerifiedRequest(t.db, {
      submission: { type: "access", email: OWNER, details: { type: "access" } },
      now: filedAt,
      ctx: TEST_CONTEXT,
    })).reference;
  });

  const row = () => requestRow(t.db, reference);
  const allEvents = () => eventLog(t.db);
  const snapshot = () => tablesSnapshot(t.db);

  it("appends one chained note event and leaves the request itself (and its version) alone", () => {
    const before = snapshot();
    const requestBefore = row();
    const result = addInternalNote(t.db, { reference, actor: REVIEWER, note: NOTE, now });
    expect(result).toEqual({ ok: true, request: requestBefore });
    expect(row()).toEqual(requestBefore);
    expect(row()).toMatchObject({ version: 1, updatedAt: filedAt });

    const after = allEvents();
    expect(after).toHaveLength(before.events.length + 1);
    expect(after.slice(0, -1)).toEqual(before.events);
    expect(after.at(-1)).toMatchObject({
      requestId: requestBefore.id,
      at: now,
      actorType: "staff",
      actorEmail: "rita@example.org",
      action: "note",
      fromStatus: null,
      toStatus: null,
      note: NOTE,
      prevHash: before.events.at(-1)!.hash,
    });
    expect(t.db.select().from(mailOutbox).all()).toEqual(before.mails);
  });

  it("does not make another reviewer's open form stale", () => {
    expect(addInternalNote(t.db, { reference, actor: REVIEWER, note: NOTE, now })).toMatchObject({ ok: true });
    expect(addInternalNote(t.db, { reference, actor: REVIEWER, note: "Second note", now })).toMatchObject({ ok: true });
    expect(row().version).toBe(1);
  });

  it.each<[string, RequestActor]>([
    ["the supporter", { type: "supporter", email: OWNER }],
    ["the system", { type: "system" }],
  ])("refuses %s (not_permitted) and writes nothing", (_who, actor) => {
    const before = snapshot();
    expect(addInternalNote(t.db, { reference, actor, note: NOTE, now })).toEqual({
      ok: false,
      reason: "not_permitted",
      message: "Only staff can add internal notes.",
    });
    expect(snapshot()).toEqual(before);
  });

  it("answers an unknown reference with not_found and writes nothing", () => {
    const before = snapshot();
    expect(addInternalNote(t.db, { reference: "RD-0000-0000", actor: REVIEWER, note: NOTE, now })).toMatchObject({ ok: false, reason: "not_found" });
    expect(snapshot()).toEqual(before);
  });
});
