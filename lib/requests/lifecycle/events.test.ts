import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "@/db/transaction";
import { redactionAction, REDACTION_REASONS } from "@/lib/audit/redaction";
import { filed } from "@/lib/testing/filed";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { requestRow, tablesSnapshot } from "@/lib/testing/request-reads";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { fileVerifiedRequest } from "../intake/file-request";
import { describeEvent, EVENT_KINDS, EventShapeError, recordEvent, SUPPORTER_EVENT_KINDS, supporterSeesEvent, type EventKind } from "./events";
import { applyChange } from "./request-change";

describe("event kinds", () => {
  it("every kind has words of its own", () => {
    const words = Object.values(EVENT_KINDS).map((kind) => kind.words);
    for (const w of words) expect(w.trim().length).toBeGreaterThan(0);
    expect(new Set(words).size).toBe(words.length);
  });

  it.each<[string, boolean]>([
    ["filed", true],
    ["question", true],
    ["completed", true],
    ["note", false],
    ["assigned", false],
    ["flagged_excessive", false],
    ["export_previewed", false],
    ["duplicate_flagged", false],
    ["duplicate_kept", false],
    ["merged", true],
    ["merged_in", true],
    // A kind this version does not know, and names that are not own keys of the table, are never shown.
    ["written_by_a_newer_version", false],
    ["constructor", false],
    ["__proto__", false],
    ["toString", false],
  ])("a supporter sees %s: %s", (kind, sees) => {
    expect(supporterSeesEvent(kind)).toBe(sees);
  });

  it("the supporter's kinds are exactly those the table marks", () => {
    const marked = (Object.keys(EVENT_KINDS) as EventKind[]).filter((k) => EVENT_KINDS[k].supporterSees);
    expect([...SUPPORTER_EVENT_KINDS].sort()).toEqual(marked.sort());
    expect(SUPPORTER_EVENT_KINDS).not.toContain("note");
  });

  it("the log's own removal events are kinds of the table, which no supporter sees", () => {
    for (const reason of REDACTION_REASONS) {
      const kind = redactionAction(reason);
      expect(Object.keys(EVENT_KINDS)).toContain(kind);
      expect(supporterSeesEvent(kind)).toBe(false);
    }
  });

  it.each([["note"], ["constructor"], ["unknown_kind"]])("an unknown or inherited name %s reads as itself, or as its words", (kind) => {
    expect(describeEvent(kind)).toBe(kind === "note" ? "Internal note" : kind);
  });
});

describe("writing an event of a kind", () => {
  let t: TempDatabase;
  let reference: string;
  const now = new Date("2026-11-20T10:00:00Z");
  beforeAll(() => {
    t = openTempDatabase();
    reference = filed(fileVerifiedRequest(t.db, { submission: { type: "access", email: "kim@example.org", details: { type: "access" } }, now, ctx: TEST_CONTEXT })).reference;
  });
  afterAll(() => t.close());

  it.each<[EventKind, string | null]>([
    ["question", null],
    ["question", ""],
    ["note", null],
    ["extended", ""],
    ["message", null],
  ])("a %s event with the note %j is refused and nothing is written", (action, note) => {
    const before = tablesSnapshot(t.db);
    const request = requestRow(t.db, reference)!;
    expect(() =>
      inTransaction(t.db, (tx) => recordEvent(tx, { requestId: request.id, at: now, actorType: "system", actorEmail: null, action, fromStatus: null, toStatus: null, note })),
    ).toThrow(EventShapeError);
    expect(() => inTransaction(t.db, (tx) => applyChange(tx, request, { actor: { type: "system" }, action, now, note }))).toThrow(EventShapeError);
    expect(tablesSnapshot(t.db)).toEqual(before);
  });

  it.each<[EventKind, string | null]>([
    ["note", "Called them back."],
    ["review_started", null],
    ["canceled", null],
  ])("a %s event with the note %j is written", (action, note) => {
    const request = requestRow(t.db, reference)!;
    const event = inTransaction(t.db, (tx) => recordEvent(tx, { requestId: request.id, at: now, actorType: "system", actorEmail: null, action, fromStatus: null, toStatus: null, note }));
    expect(event).toMatchObject({ action, note });
  });
});
