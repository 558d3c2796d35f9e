import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { requestEvents, requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { appendEvent, contentHash, eventHash, type NewEvent } from "./event-log";
import { ChainWalker, verifyEventChain } from "./verify-chain";

const START = Date.parse("2026-03-02T09:00:00Z");

const NO_REDACTIONS = { count: 0, byReason: { erasure: 0, retention: 0 }, first: [] };

describe("the chained event log", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  function addRequest(reference: string): number {
    const at = new Date(START);
    return t.db
      .insert(requests)
      .values({
        reference,
        type: "access",
        status: "received",
        subjectEmail: "ann@example.org",
        details: {},
        regime: "gdpr",
        receivedAt: at,
        receivedOn: "2026-03-02",
        dueOn: "2026-04-02",
        updatedAt: at,
      })
      .returning({ id: requests.id })
      .get().id;
  }

  /** Five events over two requests, appended the only legitimate way. */
  function seedFive() {
    const first = addRequest("RD-AAAA-AAAA");
    const second = addRequest("RD-BBBB-BBBB");
    const events: NewEvent[] = [
      { requestId: first, at: new Date(START), actorType: "supporter", actorEmail: "ann@example.org", action: "filed", fromStatus: null, toStatus: "received", note: null },
      { requestId: second, at: new Date(START + 60_000), actorType: "supporter", actorEmail: "bob@example.org", action: "filed", fromStatus: null, toStatus: "received", note: null },
      { requestId: first, at: new Date(START + 120_000), actorType: "staff", actorEmail: "lead@example.org", action: "status", fromStatus: "received", toStatus: "in_review", note: "Checking identity" },
      { requestId: first, at: new Date(START + 180_000), actorType: "staff", actorEmail: "lead@example.org", action: "status", fromStatus: "in_review", toStatus: "approved", note: "Identity confirmed" },
      { requestId: second, at: new Date(START + 240_000), actorType: "system", actorEmail: null, action: "status", fromStatus: "received", toStatus: "canceled", note: "Withdrawn" },
    ];
    return inTransaction(t.db, (tx) => events.map((e) => appendEvent(tx, e)));
  }

  const sql = (statement: string, ...params: unknown[]) => t.db.$client.prepare(statement).run(...params);

  it("chains each event to the one before it, across requests", () => {
    const events = seedFive();
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]!.prevHash).toBe("");
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    for (const e of events) expect(e.hash).toBe(eventHash(e));
    expect(new Set(events.map((e) => e.hash)).size).toBe(5);
  });

  it("verifies an intact chain and reports its head", () => {
    const events = seedFive();
    expect(verifyEventChain(t.db)).toEqual({ events: 5, problem: null, headHash: events[4]!.hash, redacted: NO_REDACTIONS, anchorsChecked: 0 });
  });

  it("verifies an empty log as intact", () => {
    expect(verifyEventChain(t.db)).toEqual({ events: 0, problem: null, headHash: "", redacted: NO_REDACTIONS, anchorsChecked: 0 });
  });

  it.each([1, 2, 3, 5, 1000])("reads the log in batches of %i with the same answer", (batchSize) => {
    const events = seedFive();
    expect(verifyEventChain(t.db, { batchSize })).toMatchObject({ events: 5, problem: null, headHash: events[4]!.hash });
    sql("update request_events set action = 'x' where id = 4");
    expect(verifyEventChain(t.db, { batchSize }).problem).toMatchObject({ eventId: 4, kind: "changed" });
  });

  describe("names the event that was changed", () => {
    it.each([
      ["at", "update request_events set at = at + 1 where id = 3"],
      ["actor email", "update request_events set actor_email = 'someone@example.org' where id = 3"],
      ["actor type", "update request_events set actor_type = 'system' where id = 3"],
      ["action", "update request_events set action = 'note' where id = 3"],
      ["from status", "update request_events set from_status = 'in_review' where id = 3"],
      ["to status", "update request_events set to_status = 'denied' where id = 3"],
      ["request", "update request_events set request_id = 2 where id = 3"],
      ["status it left", "update request_events set status_after = 'denied' where id = 3"],
      ["due date it left", "update request_events set due_on_after = '2026-12-31' where id = 3"],
      ["assignee it left", "update request_events set assignee_after = 'someone@example.org' where id = 3"],
      ["commitment to its note", "update request_events set content_hash = (case substr(content_hash, 1, 1) when 'f' then 'e' else 'f' end) || substr(content_hash, 2) where id = 3"],
      ["commitment to its note, blanked", "update request_events set content_hash = null where id = 3"],
      ["own hash", "update request_events set hash = (case substr(hash, 1, 1) when 'f' then 'e' else 'f' end) || substr(hash, 2) where id = 3"],
    ])("%s", (_field, statement) => {
      seedFive();
      sql(statement);
      const report = verifyEventChain(t.db);
      expect(report.problem).toMatchObject({ eventId: 3, kind: "changed" });
      expect(report.problem?.message).toMatch(/^Event 3 was changed after it was recorded/);
      expect(report.events).toBe(3);
    });

    // Event 2 is the second request's first, which committed to what the request is; event 3 did not.
    it.each([
      ["changed", 2, "update request_events set identity_hash = (case substr(identity_hash, 1, 1) when 'f' then 'e' else 'f' end) || substr(identity_hash, 2) where id = 2"],
      // Hashed as an event without one would be: still not the hash it was recorded with.
      ["blanked", 2, "update request_events set identity_hash = null where id = 2"],
      ["added to an event that made none", 3, "update request_events set identity_hash = (select identity_hash from request_events where id = 1) where id = 3"],
    ])("its commitment to what the request is, %s", (_how, eventId, statement) => {
      seedFive();
      expect(t.db.$client.prepare("select id from request_events where identity_hash is not null order by id").pluck().all()).toEqual([1, 2]);
      sql(statement);
      expect(verifyEventChain(t.db).problem).toMatchObject({ eventId, kind: "changed" });
    });

    it.each([
      ["note", "update request_events set note = 'Nothing to see' where id = 3"],
      ["note, set to nothing", "update request_events set note = null where id = 3"],
      ["salt", "update request_events set content_salt = (case substr(content_salt, 1, 1) when 'f' then 'e' else 'f' end) || substr(content_salt, 2) where id = 3"],
      ["note without its salt", "update request_events set content_salt = null where id = 3"],
      ["note of an event that had none", "update request_events set note = 'Inserted' where id = 1"],
    ])("%s: as a changed note", (_field, statement) => {
      seedFive();
      sql(statement);
      const report = verifyEventChain(t.db);
      const id = statement.endsWith("id = 1") ? 1 : 3;
      expect(report.problem).toEqual({
        eventId: id,
        kind: "content_changed",
        message: `Event ${id}'s note was changed after it was recorded: it no longer matches what the event committed to.`,
      });
    });

    it("and, when its note, commitment and hash were all recomputed to match, names the event after it", () => {
      const events = seedFive();
      const salt = "00".repeat(16);
      const forged = { ...events[2]!, note: "Nothing to see", contentSalt: salt, contentHash: contentHash(salt, "Nothing to see") };
      sql("update request_events set note = ?, content_salt = ?, content_hash = ?, hash = ? where id = 3", forged.note, salt, forged.contentHash, eventHash(forged));
      expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 4, kind: "out_of_order" });
    });

    it("in the first and in the last event", () => {
      seedFive();
      sql("update request_events set action = 'x' where id = 5");
      expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 5, kind: "changed" });
      sql("update request_events set action = 'x' where id = 1");
      expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 1, kind: "changed" });
    });
  });

  describe("catches a deleted event", () => {
    it("in the middle, naming the next one", () => {
      seedFive();
      sql("delete from request_events where id = 3");
      const report = verifyEventChain(t.db);
      expect(report.problem).toMatchObject({ eventId: 4, kind: "missing_before" });
      expect(report.problem?.message).toBe(
        "Event 4 does not follow event 2: the events between them were deleted, or this one was inserted out of order.",
      );
    });

    it("at the start, naming the new first one", () => {
      seedFive();
      sql("delete from request_events where id = 1");
      expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 2 });
    });

    it("at the end only by the head hash, which therefore changes", () => {
      const events = seedFive();
      sql("delete from request_events where id = 5");
      const report = verifyEventChain(t.db);
      expect(report.problem).toBeNull();
      expect(report.headHash).toBe(events[3]!.hash);
      expect(report.headHash).not.toBe(events[4]!.hash);
    });
  });

  describe("catches a forged event inserted out of order, even with a correct own hash", () => {
    function forge(id: number, prevHash: string) {
      const salt = "11".repeat(16);
      const event = {
        id,
        prevHash,
        requestId: 1,
        at: new Date(START + 90_000),
        actorType: "staff" as const,
        actorEmail: "lead@example.org",
        action: "status",
        fromStatus: "in_review" as const,
        toStatus: "denied" as const,
        statusAfter: "denied" as const,
        dueOnAfter: "2026-04-02",
        assigneeAfter: null,
        note: "Refused",
        contentSalt: salt,
        contentHash: contentHash(salt, "Refused"),
        identityHash: null,
      };
      sql(
        `insert into request_events (id, request_id, at, actor_type, actor_email, action, from_status, to_status, status_after, due_on_after,
           assignee_after, note, content_salt, content_hash, prev_hash, hash)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        event.id,
        event.requestId,
        event.at.getTime(),
        event.actorType,
        event.actorEmail,
        event.action,
        event.fromStatus,
        event.toStatus,
        event.statusAfter,
        event.dueOnAfter,
        event.assigneeAfter,
        event.note,
        event.contentSalt,
        event.contentHash,
        event.prevHash,
        eventHash(event),
      );
    }

    it("added at the end but claiming to follow an earlier event", () => {
      const events = seedFive();
      forge(6, events[1]!.hash);
      expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 6, kind: "out_of_order" });
    });

    it("added after a gap in the numbering, even when it claims the right predecessor", () => {
      const events = seedFive();
      forge(9, events[4]!.hash);
      const report = verifyEventChain(t.db);
      expect(report.problem).toMatchObject({ eventId: 9, kind: "missing_before" });
      expect(report.problem?.message).toMatch(/^Event 9 does not follow event 5/);
    });

    it("put in place of a deleted event, chained to the one before it", () => {
      const events = seedFive();
      sql("delete from request_events where id = 3");
      forge(3, events[1]!.hash);
      expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 4, kind: "out_of_order" });
    });

    it("slipped in between by renumbering the later events", () => {
      const events = seedFive();
      // Move 3..5 up by one (from the top, so ids never collide), then fill the hole.
      for (const id of [5, 4, 3]) sql("update request_events set id = id + 1 where id = ?", id);
      forge(3, events[1]!.hash);
      expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 4 });
    });

    it("as a new first event", () => {
      seedFive();
      sql("update request_events set id = id + 10");
      forge(1, "");
      expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 11 });
    });

    it("as the first event of a log whose start was removed, re-chained to nothing", () => {
      seedFive();
      sql("delete from request_events where id in (1, 2)");
      const third = t.db.select().from(requestEvents).where(eq(requestEvents.id, 3)).get()!;
      const rechained = { ...third, prevHash: "" };
      sql("update request_events set prev_hash = '', hash = ? where id = 3", eventHash(rechained));
      expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 3, kind: "missing_before" });
    });
  });

  it("catches two events swapped in place, naming the first of the pair", () => {
    seedFive();
    sql("update request_events set id = -3 where id = 3");
    sql("update request_events set id = 3 where id = 4");
    sql("update request_events set id = 4 where id = -3");
    const report = verifyEventChain(t.db);
    expect(report.problem).toMatchObject({ eventId: 3, kind: "out_of_order" });
    expect(report.problem?.message).toMatch(/^Event 3 does not follow the event before it/);
  });

  it("catches two events' contents swapped while their ids stay", () => {
    seedFive();
    sql(
      `update request_events set note = case id when 3 then 'Identity confirmed' else 'Checking identity' end,
         content_salt = case id when 3 then (select content_salt from request_events where id = 4) else (select content_salt from request_events where id = 3) end,
         content_hash = case id when 3 then (select content_hash from request_events where id = 4) else (select content_hash from request_events where id = 3) end,
         to_status = case id when 3 then 'approved' else 'in_review' end,
         from_status = case id when 3 then 'in_review' else 'received' end
       where id in (3, 4)`,
    );
    expect(verifyEventChain(t.db).problem).toMatchObject({ eventId: 3, kind: "changed" });
  });

  it("keeps verifying as new events are appended after a check", () => {
    seedFive();
    inTransaction(t.db, (tx) =>
      appendEvent(tx, { requestId: 1, at: new Date(START + 300_000), actorType: "staff", actorEmail: "lead@example.org", action: "status", fromStatus: "approved", toStatus: "completed", note: null }),
    );
    expect(verifyEventChain(t.db)).toMatchObject({ events: 6, problem: null });
  });

  // JSON lets a caller send half of a surrogate pair ("\ud800"): SQLite keeps U+FFFD in its place, so the note
  // must be committed to as stored, or the next check calls an untouched event changed.
  it.each([
    ["a lone high surrogate", "changed my mind \ud800", "changed my mind \uFFFD"],
    ["a lone low surrogate", "\udc00 at the start", "\uFFFD at the start"],
    ["two high surrogates in a row", "x\ud800\ud801y", "x\uFFFD\uFFFDy"],
    ["a whole pair, kept as it is", "a smile \ud83d\ude00", "a smile \ud83d\ude00"],
    ["plain text", "Withdrawn by the person", "Withdrawn by the person"],
  ])("keeps the chain whole for a note with %s, and stores what it committed to", (_case, note, stored) => {
    seedFive();
    const event = inTransaction(t.db, (tx) =>
      appendEvent(tx, { requestId: 1, at: new Date(START + 300_000), actorType: "system", actorEmail: null, action: "canceled", fromStatus: "approved", toStatus: "canceled", note }),
    );
    expect(t.db.select({ note: requestEvents.note }).from(requestEvents).where(eq(requestEvents.id, event.id)).get()!.note).toBe(stored);
    expect(verifyEventChain(t.db)).toMatchObject({ events: 6, problem: null });
  });
});

describe("walking a log with many notes removed behind the record's back", () => {
  it("names the first of them, however many requests lost one", () => {
    // More requests than a function's arguments can hold at once.
    const walker = new ChainWalker();
    let prevHash = "";
    let taken = 0;
    const requestsStripped = 150_000;
    for (let id = 1; id <= requestsStripped; id++) {
      const fields = {
        id,
        prevHash,
        requestId: requestsStripped + 1 - id,
        at: new Date(START),
        actorType: "staff" as const,
        actorEmail: "lead@example.org",
        action: "note",
        fromStatus: null,
        toStatus: null,
        statusAfter: null,
        dueOnAfter: null,
        assigneeAfter: null,
        contentHash: contentHash("salt", "a note"),
        identityHash: null,
      };
      const hash = eventHash(fields);
      // The note and its salt removed, and no removal event recorded.
      if (walker.take({ ...fields, note: null, contentSalt: null, hash })) taken++;
      prevHash = hash;
    }
    expect(taken).toBe(requestsStripped);
    const report = walker.finish();
    expect(report.problem).toMatchObject({ eventId: 1, kind: "removed_unrecorded" });
  });
});

