import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { appendEvent } from "./event-log";
import { redactionAction, redactionReasonOf, removeEventContent } from "./redaction";
import { verifyEventChain } from "./verify-chain";
import { verifyRecord } from "./verify-record";

const START = Date.parse("2026-03-02T09:00:00Z");

describe("removing what people wrote, on the record", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  const sql = (statement: string, ...params: unknown[]) => t.db.$client.prepare(statement).run(...params);
  const notes = () => t.db.$client.prepare("select id, note, content_salt from request_events order by id").all() as Array<{ id: number; note: string | null; content_salt: string | null }>;

  function addRequest(reference: string): number {
    return t.db
      .insert(requests)
      .values({
        reference,
        type: "concern",
        status: "received",
        subjectEmail: "ann@example.org",
        details: {},
        regime: "gdpr",
        receivedAt: new Date(START),
        receivedOn: "2026-03-02",
        dueOn: "2026-04-02",
        updatedAt: new Date(START),
      })
      .returning({ id: requests.id })
      .get().id;
  }

  /** Two requests' words, interleaved: Ann's concern (events 1, 3, 4) and Bob's (event 2). */
  function seed() {
    const ann = addRequest("RD-AAAA-AAAA");
    const bob = addRequest("RD-BBBB-BBBB");
    inTransaction(t.db, (tx) => {
      const add = (requestId: number, minute: number, note: string) =>
        appendEvent(tx, { requestId, at: new Date(START + minute * 60_000), actorType: "supporter", actorEmail: null, action: "message", fromStatus: null, toStatus: null, note });
      add(ann, 0, "My neighbour Carol Smith at 4 Harbour Row signed me up.");
      add(bob, 1, "Please stop the letters.");
      add(ann, 2, "My phone is 07700 900123.");
      add(ann, 3, "Thank you.");
    });
    return { ann, bob };
  }

  it("names reasons by their event's action, and nothing else", () => {
    expect(redactionReasonOf(redactionAction("erasure"))).toBe("erasure");
    expect(redactionReasonOf(redactionAction("retention"))).toBe("retention");
    expect(redactionReasonOf("content_removed_whim")).toBeNull();
    expect(redactionReasonOf("message")).toBeNull();
  });

  it("removes one request's notes and salts, records why, and the chain verifies as redacted, not tampered", () => {
    const { ann } = seed();
    const removedAt = new Date(START + 86_400_000);
    expect(inTransaction(t.db, (tx) => removeEventContent(tx, { requestId: ann, reason: "erasure", now: removedAt }))).toBe(3);

    expect(notes()).toEqual([
      { id: 1, note: null, content_salt: null },
      { id: 2, note: "Please stop the letters.", content_salt: expect.any(String) },
      { id: 3, note: null, content_salt: null },
      { id: 4, note: null, content_salt: null },
      // The removal itself, whose own (empty) content stays committed.
      { id: 5, note: null, content_salt: expect.any(String) },
    ]);
    expect(t.db.$client.prepare("select count(*) from request_events where note like '%Carol%' or note like '%07700%'").pluck().get()).toBe(0);

    const chain = verifyEventChain(t.db);
    expect(chain.problem).toBeNull();
    expect(chain.redacted).toEqual({
      count: 3,
      byReason: { erasure: 3, retention: 0 },
      first: [1, 3, 4].map((eventId) => ({ eventId, requestId: ann, removedAt, reason: "erasure" })),
    });
    const report = verifyRecord(t.db, { anchors: [], publicKey: null });
    expect(report.problem).toBeNull();
    expect(report.notes).toContain("3 events had their notes removed on the record (redacted): 3 because the supporter's data was erased at their request.");
    expect(report.notes).toContain("Event 3: redacted on 3 March 2026, 09:00 UTC, because the supporter's data was erased at their request.");
    expect(report.notes.join(" ")).not.toMatch(/tamper|changed/);
  });

  it("removes nothing from events that hold no text, so the record does not claim words were removed from them", () => {
    const { ann } = seed();
    inTransaction(t.db, (tx) => {
      for (const [minute, action] of [[4, "review_started"], [5, "approved"]] as const) {
        appendEvent(tx, { requestId: ann, at: new Date(START + minute * 60_000), actorType: "staff", actorEmail: "lead@example.org", action, fromStatus: null, toStatus: null, note: null });
      }
    });
    const removedAt = new Date(START + 86_400_000);
    expect(inTransaction(t.db, (tx) => removeEventContent(tx, { requestId: ann, reason: "erasure", now: removedAt }))).toBe(3);
    expect(notes().filter((n) => n.id === 5 || n.id === 6)).toEqual([
      { id: 5, note: null, content_salt: expect.any(String) },
      { id: 6, note: null, content_salt: expect.any(String) },
    ]);
    expect(verifyEventChain(t.db)).toMatchObject({ problem: null, redacted: { count: 3, first: [1, 3, 4].map((eventId) => ({ eventId })) } });
  });

  it("a second removal (retention after an erasure) leaves the first removal's record whole", () => {
    const { ann } = seed();
    inTransaction(t.db, (tx) => removeEventContent(tx, { requestId: ann, reason: "erasure", now: new Date(START + 1000) }));
    inTransaction(t.db, (tx) => appendEvent(tx, { requestId: ann, at: new Date(START + 2000), actorType: "staff", actorEmail: "lead@example.org", action: "note", fromStatus: null, toStatus: null, note: "Closed." }));
    expect(inTransaction(t.db, (tx) => removeEventContent(tx, { requestId: ann, reason: "retention", now: new Date(START + 3000) }))).toBe(1);
    expect(verifyEventChain(t.db)).toMatchObject({ problem: null, redacted: { count: 4, byReason: { erasure: 3, retention: 1 } } });
  });

  it("text deleted behind the record's back is tampering, named at the first such event", () => {
    seed();
    sql("update request_events set note = null, content_salt = null where id in (3, 4)");
    expect(verifyEventChain(t.db).problem).toEqual({
      eventId: 3,
      kind: "removed_unrecorded",
      message: "Event 3's note was removed, but no later event of its request records a removal: it was deleted behind the record's back.",
    });
  });

  it("a removal recorded for one request does not excuse another's", () => {
    const { ann } = seed();
    sql("update request_events set note = null, content_salt = null where id = 2");
    inTransaction(t.db, (tx) => removeEventContent(tx, { requestId: ann, reason: "erasure", now: new Date(START + 1000) }));
    expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 2, kind: "removed_unrecorded" });
  });

  it("text removed after the removal event was recorded is not covered by it", () => {
    const { ann } = seed();
    inTransaction(t.db, (tx) => removeEventContent(tx, { requestId: ann, reason: "erasure", now: new Date(START + 1000) }));
    inTransaction(t.db, (tx) => appendEvent(tx, { requestId: ann, at: new Date(START + 2000), actorType: "supporter", actorEmail: null, action: "message", fromStatus: null, toStatus: null, note: "One more thing." }));
    sql("update request_events set note = null, content_salt = null where id = 6");
    expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 6, kind: "removed_unrecorded" });
  });

  it("a removal event's own content cannot be removed, nor text put back in its place", () => {
    const { ann } = seed();
    inTransaction(t.db, (tx) => removeEventContent(tx, { requestId: ann, reason: "erasure", now: new Date(START + 1000) }));
    sql("update request_events set content_salt = null where id = 5");
    expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 5, kind: "content_changed" });
    sql("update request_events set content_salt = null where id = 5");
    sql("update request_events set note = 'Restored words' where id = 3");
    expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 3, kind: "content_changed" });
  });
});
