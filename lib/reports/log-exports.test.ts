import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { appendEvent } from "@/lib/audit/event-log";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { eventLogRecords, requestLogRecords } from "./log-exports";

const at = (iso: string) => new Date(iso);

describe("log exports", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    inTransaction(t.db, (tx) => {
      const rows = [
        { reference: "RD-AAAA-0001", type: "access", status: "received", channel: "web", subjectEmail: "ann@example.org", receivedAt: at("2026-03-01T09:00:00Z"), receivedOn: "2026-03-01", dueOn: "2026-04-01" },
        {
          reference: "RD-AAAA-0002",
          type: "erasure",
          status: "completed",
          channel: "post",
          subjectEmail: "bob@example.org",
          receivedAt: at("2026-03-02T10:30:00Z"),
          receivedOn: "2026-03-02",
          dueOn: "2026-06-02",
          closedAt: at("2026-05-20T16:45:00Z"),
          assigneeEmail: "lead@example.org",
          extendedAt: at("2026-03-20T08:00:00Z"),
          extensionReason: "Records on paper",
          daysClockStopped: 4,
        },
        { reference: "RD-AAAA-0003", type: "concern", status: "in_review", channel: "email", subjectEmail: "=cmd@example.org", receivedAt: at("2026-03-03T11:00:00Z"), receivedOn: "2026-03-03", dueOn: "2026-04-03" },
      ] as const;
      for (const row of rows) {
        const { id } = tx
          .insert(requests)
          .values({ ...row, details: {}, regime: "gdpr", updatedAt: row.receivedAt })
          .returning({ id: requests.id })
          .get();
        appendEvent(tx, { requestId: id, at: row.receivedAt, actorType: "supporter", actorEmail: row.subjectEmail, action: "filed", fromStatus: null, toStatus: "received", note: null });
      }
      appendEvent(tx, {
        requestId: 2,
        at: at("2026-05-20T16:45:00Z"),
        actorType: "staff",
        actorEmail: "lead@example.org",
        action: "status",
        fromStatus: "approved",
        toStatus: "completed",
        note: 'Deleted, except "donations", kept for tax,\nas the law requires',
      });
      appendEvent(tx, { requestId: 3, at: at("2026-05-21T08:00:00Z"), actorType: "system", actorEmail: null, action: "note", fromStatus: null, toStatus: null, note: "=HYPERLINK(\"http://evil.example\")" });
    });
  });
  afterEach(() => t.close());

  const all = (records: Iterable<string>) => [...records].join("");

  it("writes one line per request, oldest first, codes and UTC instants", () => {
    expect(all(requestLogRecords(t.db)).split("\r\n")).toEqual([
      "reference,type,status,channel,subject_email,received_at,received_on,due_on,closed_at,assignee_email,extended,days_clock_stopped",
      "RD-AAAA-0001,access,received,web,ann@example.org,2026-03-01T09:00:00.000Z,2026-03-01,2026-04-01,,,no,0",
      "RD-AAAA-0002,erasure,completed,post,bob@example.org,2026-03-02T10:30:00.000Z,2026-03-02,2026-06-02,2026-05-20T16:45:00.000Z,lead@example.org,yes,4",
      "RD-AAAA-0003,concern,in_review,email,'=cmd@example.org,2026-03-03T11:00:00.000Z,2026-03-03,2026-04-03,,,no,0",
      "",
    ]);
  });

  it("writes one line per event in chain order, quoting and neutralising notes", () => {
    const hashes = t.db.$client.prepare("select hash from request_events order by id").pluck().all() as string[];
    expect(all(eventLogRecords(t.db))).toBe(
      [
        "event_id,reference,at,actor_type,actor_email,action,from_status,to_status,note,hash",
        `1,RD-AAAA-0001,2026-03-01T09:00:00.000Z,supporter,ann@example.org,filed,,received,,${hashes[0]}`,
        `2,RD-AAAA-0002,2026-03-02T10:30:00.000Z,supporter,bob@example.org,filed,,received,,${hashes[1]}`,
        `3,RD-AAAA-0003,2026-03-03T11:00:00.000Z,supporter,'=cmd@example.org,filed,,received,,${hashes[2]}`,
        `4,RD-AAAA-0002,2026-05-20T16:45:00.000Z,staff,lead@example.org,status,approved,completed,"Deleted, except ""donations"", kept for tax,\nas the law requires",${hashes[3]}`,
        `5,RD-AAAA-0003,2026-05-21T08:00:00.000Z,system,,note,,,"'=HYPERLINK(""http://evil.example"")",${hashes[4]}`,
        "",
      ].join("\r\n"),
    );
  });

  it.each([1, 2, 3, 4, 5, 1000])("gives the same files whatever the batch size (%i)", (batchSize) => {
    expect(all(requestLogRecords(t.db, batchSize))).toBe(all(requestLogRecords(t.db)));
    expect(all(eventLogRecords(t.db, batchSize))).toBe(all(eventLogRecords(t.db)));
  });

  it("reads the database a batch at a time, only as records are taken", () => {
    // Each batch is one run of a statement (prepared once, then run again and again).
    const queries: string[] = [];
    const prepare = t.db.$client.prepare.bind(t.db.$client);
    t.db.$client.prepare = ((source: string) => {
      const statement = prepare(source);
      const all = statement.all.bind(statement);
      statement.all = ((...args: unknown[]) => {
        queries.push(source);
        return all(...args);
      }) as typeof statement.all;
      return statement;
    }) as typeof t.db.$client.prepare;
    const records = requestLogRecords(t.db, 2);
    records.next(); // the header: no query yet
    expect(queries).toHaveLength(0);
    records.next();
    records.next();
    expect(queries).toHaveLength(1);
    records.next();
    expect(queries).toHaveLength(2);
    expect(records.next().done).toBe(true);
    expect(queries).toHaveLength(3);
  });

  it("still lists an event whose request has no reference to show", () => {
    t.db.$client.pragma("foreign_keys = OFF");
    t.db.delete(requests).where(eq(requests.reference, "RD-AAAA-0001")).run();
    expect(all(eventLogRecords(t.db)).split("\r\n")[1]).toMatch(/^1,,2026-03-01T09:00:00.000Z,supporter,/);
  });

  it("writes only the header for an empty database", () => {
    const empty = openTempDatabase();
    try {
      expect([...requestLogRecords(empty.db)]).toHaveLength(1);
      expect([...eventLogRecords(empty.db)]).toHaveLength(1);
    } finally {
      empty.close();
    }
  });
});
