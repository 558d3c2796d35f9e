import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { requestEvents, requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { appendEvent, eventHash } from "./event-log";
import { removeEventContent } from "./redaction";
import { verifyRequestStates, verifyRequestStatesAsync } from "./request-state";
import { verifyRecord } from "./verify-record";

const START = Date.parse("2026-03-02T09:00:00Z");

describe("each request against what its events say", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  const sql = (statement: string, ...params: unknown[]) => t.db.$client.prepare(statement).run(...params);

  /** A request filed, taken into review by Lee, and extended: its row and its events agree. */
  function seed(reference: string) {
    const id = t.db
      .insert(requests)
      .values({
        reference,
        type: "access",
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
    inTransaction(t.db, (tx) => {
      appendEvent(tx, { requestId: id, at: new Date(START), actorType: "supporter", actorEmail: null, action: "filed", fromStatus: null, toStatus: "received", note: null });
      tx.update(requests).set({ status: "in_review", assigneeEmail: "lee@example.org" }).where(eq(requests.id, id)).run();
      appendEvent(tx, { requestId: id, at: new Date(START + 1000), actorType: "staff", actorEmail: "lee@example.org", action: "review_started", fromStatus: "received", toStatus: "in_review", note: null });
      tx.update(requests).set({ dueOn: "2026-06-02" }).where(eq(requests.id, id)).run();
      appendEvent(tx, { requestId: id, at: new Date(START + 2000), actorType: "staff", actorEmail: "lee@example.org", action: "extended", fromStatus: null, toStatus: null, note: "Three systems." });
    });
    return id;
  }

  it("records the request as each event left it", () => {
    seed("RD-AAAA-AAAA");
    expect(t.db.$client.prepare("select status_after, due_on_after, assignee_after from request_events order by id").all()).toEqual([
      { status_after: "received", due_on_after: "2026-04-02", assignee_after: null },
      { status_after: "in_review", due_on_after: "2026-04-02", assignee_after: "lee@example.org" },
      { status_after: "in_review", due_on_after: "2026-06-02", assignee_after: "lee@example.org" },
    ]);
    expect(verifyRequestStates(t.db)).toEqual({ requests: 1, statusOnly: 0, identityUnrecorded: 0, problem: null, disagreeing: 0 });
  });

  it.each([1, 2, 100])("gives the same answer a batch of %i requests at a time, and in the server, giving way between batches", async (batchSize) => {
    for (const reference of ["RD-AAAA-AAAA", "RD-BBBB-BBBB", "RD-CCCC-CCCC", "RD-DDDD-DDDD"]) seed(reference);
    sql("update requests set status = 'completed' where reference = 'RD-CCCC-CCCC'");
    sql("update requests set due_on = '2026-07-01' where reference = 'RD-BBBB-BBBB'");
    const whole = verifyRequestStates(t.db);
    expect(whole).toMatchObject({ requests: 4, disagreeing: 2, problem: { reference: "RD-BBBB-BBBB" } });
    expect(verifyRequestStates(t.db, { batchSize })).toEqual(whole);
    // Other work queued while it runs is done before it ends, when there is more than one batch.
    const order: string[] = [];
    const checked = verifyRequestStatesAsync(t.db, { batchSize }).then((report) => {
      order.push("checked");
      return report;
    });
    setImmediate(() => order.push("other work"));
    expect(await checked).toEqual(whole);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(batchSize < 4 ? ["other work", "checked"] : ["checked", "other work"]);
  });

  it.each([
    ["status", "update requests set status = 'completed' where reference = 'RD-BBBB-BBBB'", `Request RD-BBBB-BBBB is completed, but event 6, its last, left it in review: the request was changed outside the record.`],
    ["due date", "update requests set due_on = '2026-12-31' where reference = 'RD-BBBB-BBBB'", "Request RD-BBBB-BBBB is due on 2026-12-31, but event 6, its last, left it due on 2026-06-02: the request was changed outside the record."],
    ["assignee", "update requests set assignee_email = null where reference = 'RD-BBBB-BBBB'", "Request RD-BBBB-BBBB is assigned to nobody, but event 6, its last, left it assigned to lee@example.org: the request was changed outside the record."],
    [
      "status and due date together",
      "update requests set status = 'denied', due_on = '2026-12-31' where reference = 'RD-BBBB-BBBB'",
      `Request RD-BBBB-BBBB is refused, but event 6, its last, left it in review; it is due on 2026-12-31, but event 6, its last, left it due on 2026-06-02: the request was changed outside the record.`,
    ],
  ])("catches a row whose %s was edited, naming the event it contradicts", (_, statement, message) => {
    seed("RD-AAAA-AAAA");
    seed("RD-BBBB-BBBB");
    sql(statement);
    expect(verifyRequestStates(t.db)).toMatchObject({ problem: { reference: "RD-BBBB-BBBB", eventId: 6, message }, disagreeing: 1 });
    expect(verifyRecord(t.db, { anchors: [], publicKey: null }).problem).toBe(message);
  });

  it("names the request at the earliest position first, and counts the others", () => {
    seed("RD-AAAA-AAAA");
    seed("RD-BBBB-BBBB");
    sql("update requests set status = 'completed'");
    const report = verifyRecord(t.db, { anchors: [], publicKey: null });
    expect(report.problem).toMatch(/^Request RD-AAAA-AAAA is completed, but event 3, .* 1 other request disagrees with its events too\.$/);
  });

  it("catches a request with no event at all", () => {
    seed("RD-AAAA-AAAA");
    sql(
      `insert into requests (reference, type, status, subject_email, details, regime, received_at, received_on, due_on, updated_at)
       values ('RD-CCCC-CCCC', 'access', 'completed', 'x@example.org', '{}', 'gdpr', 0, '2026-03-02', '2026-04-02', 0)`,
    );
    expect(verifyRequestStates(t.db).problem).toEqual({
      reference: "RD-CCCC-CCCC",
      eventId: null,
      message: "Request RD-CCCC-CCCC has no events: it was added to the database outside the record.",
    });
  });

  /** A request seeded as above, then completed by Lee at `at`, through the same two writes the change path makes. */
  function complete(id: number, at: number) {
    inTransaction(t.db, (tx) => {
      tx.update(requests).set({ status: "completed", closedAt: new Date(at) }).where(eq(requests.id, id)).run();
      appendEvent(tx, { requestId: id, at: new Date(at), actorType: "staff", actorEmail: "lee@example.org", action: "completed", fromStatus: "in_review", toStatus: "completed", note: null });
    });
  }

  it("catches a closed request whose closing time was edited, naming the event that closed it", () => {
    complete(seed("RD-AAAA-AAAA"), START + 3000);
    complete(seed("RD-BBBB-BBBB"), Date.parse("2026-05-20T16:45:00Z"));
    expect(verifyRequestStates(t.db)).toMatchObject({ problem: null, disagreeing: 0 });

    // Made to look answered well before it was.
    sql("update requests set closed_at = ? where reference = 'RD-BBBB-BBBB'", Date.parse("2026-03-20T10:00:00Z"));
    const message =
      "Request RD-BBBB-BBBB says it closed on 20 March 2026, 10:00 UTC, but event 8, which closed it, was recorded on 20 May 2026, 16:45 UTC: the request was changed outside the record.";
    expect(verifyRequestStates(t.db)).toMatchObject({ problem: { reference: "RD-BBBB-BBBB", eventId: 8, message }, disagreeing: 1 });
    expect(verifyRecord(t.db, { anchors: [], publicKey: null }).problem).toBe(message);

    // Seconds apart: named to the millisecond, so the two times differ on the page.
    sql("update requests set closed_at = ? where reference = 'RD-BBBB-BBBB'", Date.parse("2026-05-20T16:45:30Z"));
    expect(verifyRequestStates(t.db).problem?.message).toBe(
      "Request RD-BBBB-BBBB says it closed on 2026-05-20T16:45:30.000Z, but event 8, which closed it, was recorded on 2026-05-20T16:45:00.000Z: the request was changed outside the record.",
    );
    sql("update requests set closed_at = null where reference = 'RD-BBBB-BBBB'");
    expect(verifyRequestStates(t.db).problem?.message).toBe(
      "Request RD-BBBB-BBBB has no closing time, but event 8, which closed it, was recorded on 20 May 2026, 16:45 UTC: the request was changed outside the record.",
    );
  });

  it.each([
    [
      "day of receipt",
      "update requests set received_on = '2026-03-20' where reference = 'RD-BBBB-BBBB'",
      "Request RD-BBBB-BBBB says it was received on 2026-03-20 under the GDPR, which would make it due on 2026-04-20, but event 4, which recorded its arrival, made it due on 2026-04-02: the request was changed outside the record.",
    ],
    [
      "regime",
      "update requests set regime = 'ccpa' where reference = 'RD-BBBB-BBBB'",
      "Request RD-BBBB-BBBB says it was received on 2026-03-02 under the CCPA-style regime, which would make it due on 2026-04-16, but event 4, which recorded its arrival, made it due on 2026-04-02: the request was changed outside the record.",
    ],
  ])("catches a request filed before events recorded what it is whose %s was edited, naming the event that recorded its arrival", (_, statement, message) => {
    seed("RD-AAAA-AAAA");
    seed("RD-BBBB-BBBB");
    sql("update request_events set identity_hash = null");
    sql("update requests set identity_salt = null");
    rechain();
    expect(verifyRecord(t.db, { anchors: [], publicKey: null }).problem).toBeNull();
    sql(statement);
    expect(verifyRequestStates(t.db)).toMatchObject({ problem: { reference: "RD-BBBB-BBBB", eventId: 4, message }, disagreeing: 1 });
    expect(verifyRecord(t.db, { anchors: [], publicKey: null }).problem).toBe(message);
  });

  it("catches a request deleted from the database, naming its events", () => {
    seed("RD-AAAA-AAAA");
    const gone = seed("RD-BBBB-BBBB");
    seed("RD-CCCC-CCCC");
    // As sqlite3 on the file does by default: no foreign keys enforced.
    t.db.$client.pragma("foreign_keys = OFF");
    sql("delete from requests where id = ?", gone);
    const message = "Events 4 to 6 (3 in all) are about a request that is no longer in the database (its number was 2): the request was deleted outside the record.";
    expect(verifyRequestStates(t.db)).toEqual({ requests: 2, statusOnly: 0, identityUnrecorded: 0, problem: { reference: null, eventId: 4, message }, disagreeing: 1 });
    expect(verifyRecord(t.db, { anchors: [], publicKey: null }).problem).toBe(message);
  });

  it("checks a request whose events predate the recorded state for its status alone", () => {
    seed("RD-AAAA-AAAA");
    // As a converted old log leaves them: no state recorded.
    sql("update request_events set status_after = null, due_on_after = null, assignee_after = null, identity_hash = null");
    sql("update requests set due_on = '2027-01-01', assignee_email = null");
    expect(verifyRequestStates(t.db)).toEqual({ requests: 1, statusOnly: 1, identityUnrecorded: 1, problem: null, disagreeing: 0 });
    sql("update requests set status = 'approved'");
    expect(verifyRequestStates(t.db).problem).toEqual({
      reference: "RD-AAAA-AAAA",
      eventId: 2,
      message: `Request RD-AAAA-AAAA is approved, but event 2, its last change of status, left it in review: the request was changed outside the record.`,
    });
  });

  /** Every event's hash worked out again from its row, in order: the chain as it would be had the events been written so. */
  function rechain() {
    let prevHash = "";
    for (const row of t.db.select().from(requestEvents).orderBy(asc(requestEvents.id)).all()) {
      const hash = eventHash({ ...row, prevHash });
      sql("update request_events set prev_hash = ?, hash = ? where id = ?", prevHash, hash, row.id);
      prevHash = hash;
    }
  }

  describe("what the request is", () => {
    const identityMessage = (event: number) =>
      `Request RD-BBBB-BBBB is no longer what event ${event} recorded it to be: its reference, type, address, name, what was asked, ` +
      "language, channel, identity check, regime, time or day of receipt or intake id was changed outside the record.";

    it.each([
      ["address", "update requests set subject_email = 'mallory@example.org' where reference = 'RD-BBBB-BBBB'"],
      ["name", "update requests set subject_name = 'Someone Else' where reference = 'RD-BBBB-BBBB'"],
      ["what was asked", `update requests set details = '{"message":"I never asked for this"}' where reference = 'RD-BBBB-BBBB'`],
      ["type", "update requests set type = 'deletion' where reference = 'RD-BBBB-BBBB'"],
      ["language", "update requests set language = 'fr' where reference = 'RD-BBBB-BBBB'"],
      ["channel", "update requests set channel = 'post' where reference = 'RD-BBBB-BBBB'"],
      ["identity check", "update requests set identity_check = 'passport seen' where reference = 'RD-BBBB-BBBB'"],
      ["time of receipt", `update requests set received_at = ${START + 3_600_000} where reference = 'RD-BBBB-BBBB'`],
      // Caught without working the due date out again (today's rules), so also a day that would give the same one.
      ["day of receipt", "update requests set received_on = '2026-03-03' where reference = 'RD-BBBB-BBBB'"],
      ["regime", "update requests set regime = 'ccpa' where reference = 'RD-BBBB-BBBB'"],
      ["intake id", "update requests set intake_id = 'agent-42' where reference = 'RD-BBBB-BBBB'"],
      ["salt, replaced", "update requests set identity_salt = '00000000000000000000000000000000' where reference = 'RD-BBBB-BBBB'"],
      ["salt, removed", "update requests set identity_salt = null where reference = 'RD-BBBB-BBBB'"],
    ])("catches a request whose %s was edited, naming the event that first recorded it", (_, statement) => {
      seed("RD-AAAA-AAAA");
      seed("RD-BBBB-BBBB");
      expect(verifyRequestStates(t.db).problem).toBeNull();
      sql(statement);
      expect(verifyRequestStates(t.db)).toMatchObject({ problem: { reference: "RD-BBBB-BBBB", eventId: 4, message: identityMessage(4) }, disagreeing: 1 });
      expect(verifyRecord(t.db, { anchors: [], publicKey: null }).problem).toBe(identityMessage(4));
    });

    it("commits to it once, with the event that gave the request its salt", () => {
      seed("RD-AAAA-AAAA");
      expect(t.db.$client.prepare("select identity_hash is not null from request_events order by id").pluck().all()).toEqual([1, 0, 0]);
    });

    it("catches a salt taken away and made again by the next event, naming the first event", () => {
      seed("RD-AAAA-AAAA");
      const id = seed("RD-BBBB-BBBB");
      sql("update requests set subject_email = 'mallory@example.org', identity_salt = null where id = ?", id);
      inTransaction(t.db, (tx) => {
        appendEvent(tx, { requestId: id, at: new Date(START + 5000), actorType: "staff", actorEmail: "lee@example.org", action: "note", fromStatus: null, toStatus: null, note: null });
      });
      // That event committed to the edited request under a salt of its own, but it was no removal on the record.
      expect(t.db.$client.prepare("select count(*) from request_events where request_id = ? and identity_hash is not null").pluck().get(id)).toBe(2);
      expect(verifyRequestStates(t.db).problem).toMatchObject({ reference: "RD-BBBB-BBBB", eventId: 4, message: identityMessage(4) });
    });

    it("catches a changed reference", () => {
      seed("RD-AAAA-AAAA");
      seed("RD-BBBB-BBBB");
      sql("update requests set reference = 'RD-ZZZZ-ZZZZ' where reference = 'RD-BBBB-BBBB'");
      expect(verifyRequestStates(t.db).problem).toMatchObject({ reference: "RD-ZZZZ-ZZZZ", eventId: 4 });
    });

    it("still catches the edit after later events recorded the edited request", () => {
      seed("RD-AAAA-AAAA");
      const id = seed("RD-BBBB-BBBB");
      sql("update requests set subject_email = 'mallory@example.org' where id = ?", id);
      inTransaction(t.db, (tx) => {
        appendEvent(tx, { requestId: id, at: new Date(START + 5000), actorType: "staff", actorEmail: "lee@example.org", action: "note", fromStatus: null, toStatus: null, note: "Called them." });
      });
      expect(verifyRequestStates(t.db).problem).toMatchObject({ reference: "RD-BBBB-BBBB", eventId: 4, message: identityMessage(4) });
    });

    it.each(["erasure", "retention"] as const)("holds a request reduced on the record (%s) to what its removal event recorded, under a new salt", (reason) => {
      seed("RD-AAAA-AAAA");
      const id = seed("RD-BBBB-BBBB");
      const saltBefore = t.db.$client.prepare("select identity_salt from requests where id = ?").pluck().get(id);
      inTransaction(t.db, (tx) => {
        tx.update(requests).set({ subjectEmail: "erased:1234", subjectName: null, details: { message: "[removed]" } }).where(eq(requests.id, id)).run();
        removeEventContent(tx, { requestId: id, reason, now: new Date(START + 9000) });
      });
      expect(verifyRecord(t.db, { anchors: [], publicKey: null }).problem).toBeNull();
      const saltAfter = t.db.$client.prepare("select identity_salt from requests where id = ?").pluck().get(id);
      expect(saltAfter).toMatch(/^[0-9a-f]{32}$/);
      expect(saltAfter).not.toBe(saltBefore);
      // Edited after the reduction: held to the removal event (the seventh), not to the events before it.
      sql("update requests set subject_email = 'ann@example.org' where id = ?", id);
      expect(verifyRequestStates(t.db).problem).toMatchObject({ reference: "RD-BBBB-BBBB", eventId: 7, message: identityMessage(7) });
    });

    it("counts a request no event has yet recorded, and checks it from its next event", () => {
      seed("RD-AAAA-AAAA");
      const id = seed("RD-BBBB-BBBB");
      // As a database upgraded from before events recorded what the request is: their events hashed without it.
      sql("update request_events set identity_hash = null where request_id = ?", id);
      sql("update requests set identity_salt = null where id = ?", id);
      rechain();
      expect(verifyRequestStates(t.db)).toMatchObject({ identityUnrecorded: 1, problem: null });
      expect(verifyRecord(t.db, { anchors: [], publicKey: null }).notes).toContain(
        "1 request last changed before events recorded what each request is (its address, what was asked, when it came) was not checked for it: its next event records it.",
      );
      inTransaction(t.db, (tx) => {
        appendEvent(tx, { requestId: id, at: new Date(START + 5000), actorType: "staff", actorEmail: "lee@example.org", action: "note", fromStatus: null, toStatus: null, note: null });
      });
      expect(t.db.$client.prepare("select identity_salt from requests where id = ?").pluck().get(id)).toMatch(/^[0-9a-f]{32}$/);
      expect(verifyRequestStates(t.db)).toMatchObject({ identityUnrecorded: 0, problem: null });
      sql("update requests set subject_email = 'mallory@example.org' where id = ?", id);
      expect(verifyRequestStates(t.db).problem).toMatchObject({ reference: "RD-BBBB-BBBB", eventId: 7, message: identityMessage(7) });
    });
  });
});
