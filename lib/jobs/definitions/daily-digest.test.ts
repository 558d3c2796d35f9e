import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "@/db/connection";
import { mailOutbox, requests, staff, staffDigests, type RequestStatus } from "@/db/schema";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { DIGEST_KIND, DIGEST_MAX_ITEMS, digestDayAt, sendDailyDigestIfDue } from "./daily-digest";

const APP = "http://127.0.0.1:3999";

describe("digestDayAt", () => {
  it.each<[string, string, number, string | null]>([
    ["2026-11-22T07:59:59Z", "UTC", 8, null],
    ["2026-11-22T08:00:00Z", "UTC", 8, "2026-11-22"],
    ["2026-11-22T23:59:00Z", "UTC", 8, "2026-11-22"],
    // London in summer is an hour ahead of UTC.
    ["2026-07-01T06:59:00Z", "Europe/London", 8, null],
    ["2026-07-01T07:00:00Z", "Europe/London", 8, "2026-07-01"],
    ["2026-12-01T07:30:00Z", "Europe/London", 8, null],
    // New York in November is five hours behind.
    ["2026-11-22T12:59:00Z", "America/New_York", 8, null],
    ["2026-11-22T13:00:00Z", "America/New_York", 8, "2026-11-22"],
    // Already tomorrow in Auckland.
    ["2026-11-21T16:59:00Z", "Pacific/Auckland", 6, null],
    ["2026-11-21T17:00:00Z", "Pacific/Auckland", 6, "2026-11-22"],
    ["2026-11-22T23:30:00Z", "Asia/Tokyo", 0, "2026-11-23"],
    // 02:00 does not exist in New York on 8 March 2026: the digest goes at 03:00 instead.
    ["2026-03-08T06:59:00Z", "America/New_York", 2, null],
    ["2026-03-08T07:00:00Z", "America/New_York", 2, "2026-03-08"],
    ["2026-11-22T22:00:00Z", "UTC", 23, null],
    ["2026-11-22T23:00:00Z", "UTC", 23, "2026-11-22"],
  ])("at %s in %s with the hour %i: %s", (iso, timeZone, hour, expected) => {
    expect(digestDayAt(new Date(iso), timeZone, hour)).toBe(expected);
  });
});

describe("sendDailyDigestIfDue", () => {
  let t: TempDatabase;
  let counter = 0;
  const MORNING = new Date("2026-11-22T08:30:00Z");
  const send = (now: Date, db: Db = t.db) => sendDailyDigestIfDue(db, { now, timeZone: "UTC", hour: 8, orgName: "Test Org", appUrl: APP });
  const digests = () => t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, DIGEST_KIND)).all();

  function addRequest(dueOn: string, status: RequestStatus = "received", assigneeEmail: string | null = null): string {
    counter++;
    const reference = `RD-${String(counter).padStart(4, "0")}-TEST`;
    t.db
      .insert(requests)
      .values({
        reference,
        type: "access",
        status,
        subjectEmail: `person${counter}@example.org`,
        details: { type: "access" },
        regime: "gdpr",
        receivedAt: MORNING,
        receivedOn: "2026-10-22",
        dueOn,
        assigneeEmail,
        updatedAt: MORNING,
      })
      .run();
    return reference;
  }

  beforeEach(() => {
    t = openTempDatabase();
    counter = 0;
    for (const [email, role] of [
      ["adam@example.org", "admin"],
      ["rita@example.org", "reviewer"],
      // An auditor reads the record when they choose: never sent the daily list.
      ["trustee@example.org", "auditor"],
    ] as const) {
      t.db.insert(staff).values({ email, role, addedAt: MORNING }).run();
    }
  });
  afterEach(() => t.close());

  it("sends nothing before the hour and records nothing", () => {
    addRequest("2026-11-20");
    expect(send(new Date("2026-11-22T07:59:00Z"))).toBeNull();
    expect(t.db.select().from(staffDigests).all()).toEqual([]);
    expect(digests()).toEqual([]);
  });

  it("at the hour, sends each staff member the overdue and the due within 7 days, and only those", async () => {
    const overdue = addRequest("2026-11-20", "in_review", "rita@example.org");
    const today = addRequest("2026-11-22", "approved");
    const inSeven = addRequest("2026-11-29");
    addRequest("2026-11-30");
    addRequest("2026-11-20", "awaiting_supporter");
    addRequest("2026-11-20", "completed");
    addRequest("2026-11-20", "denied");
    addRequest("2026-11-20", "canceled");

    expect(send(MORNING)).toEqual({ day: "2026-11-22", recipients: 2, requests: 3 });
    const mails = digests();
    expect(mails.map((m) => m.toAddress)).toEqual(["adam@example.org", "rita@example.org"]);
    expect(mails[0]!.subject).toBe("Requests needing attention at Test Org: 1 overdue, 2 due within 7 days");
    const forRita = await renderOutboxMail(mails[1]!);
    expect(forRita.text).toMatch(new RegExp(`${overdue} .*2 days overdue.*assigned to you`));
    expect(forRita.text).toMatch(new RegExp(`${today} .*due today.*not assigned`));
    expect(forRita.text).toMatch(new RegExp(`${inSeven} .*7 days left`));
    expect(forRita.html).toContain(`href="${APP}/staff/requests/${overdue}"`);
    const forAdam = await renderOutboxMail(mails[0]!);
    expect(forAdam.text).toMatch(new RegExp(`${overdue} .*assigned to rita@example\\.org`));
    expect(t.db.select().from(staffDigests).all()).toEqual([{ day: "2026-11-22", sentAt: MORNING, recipients: 2, requests: 3 }]);
  });

  it("never sends twice for the same day, even with a second worker or a restart", () => {
    addRequest("2026-11-20");
    expect(send(MORNING)).not.toBeNull();
    expect(send(new Date("2026-11-22T08:30:05Z"))).toBeNull();
    expect(send(new Date("2026-11-22T23:59:59Z"))).toBeNull();
    const other = openDatabase(t.file);
    try {
      expect(send(new Date("2026-11-22T12:00:00Z"), other)).toBeNull();
    } finally {
      other.$client.close();
    }
    expect(digests()).toHaveLength(2);
    // The next day is a new day.
    expect(send(new Date("2026-11-23T08:00:00Z"))).toMatchObject({ day: "2026-11-23", recipients: 2 });
    expect(digests()).toHaveLength(4);
  });

  it("on a day with nothing due, records the day and sends no mail", () => {
    addRequest("2026-12-22");
    expect(send(MORNING)).toEqual({ day: "2026-11-22", recipients: 0, requests: 0 });
    expect(digests()).toEqual([]);
    expect(send(new Date("2026-11-22T09:00:00Z"))).toBeNull();
  });

  it(`names at most ${DIGEST_MAX_ITEMS} requests and says how many more`, async () => {
    for (let i = 0; i < DIGEST_MAX_ITEMS + 4; i++) addRequest("2026-11-21");
    expect(send(MORNING)).toMatchObject({ requests: DIGEST_MAX_ITEMS + 4 });
    const { text } = await renderOutboxMail(digests()[0]!);
    expect(new Set(text.match(/RD-\d{4}-TEST/g)).size).toBe(DIGEST_MAX_ITEMS);
    expect(text).toContain("And 4 more");
  });
});
