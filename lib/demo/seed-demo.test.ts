import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessExports, correspondence, donations, mailOutbox, memberships, orgStatement, petitionSignatures, requests, staff, subscriptions, supporters, webVisits } from "@/db/schema";
import { importCsv } from "@/lib/supporters/import/import-csv";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { calendarDateIn } from "@/lib/calendar/dates";
import { deadlineOf } from "@/lib/calendar/deadlines";
import { demoRecords } from "./demo-records";
import { seedDemo } from "./seed-demo";

const now = new Date("2026-11-22T10:00:00Z");

describe("seedDemo", () => {
  let t: TempDatabase;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  const tables = [supporters, donations, memberships, subscriptions, petitionSignatures, correspondence, webVisits, requests, accessExports, orgStatement];

  it("makes about 200 supporters with every kind of record, requests in several states and a statement", () => {
    // A real installation: its staff must not be told of made-up requests.
    t.db.insert(staff).values({ email: "lead@example.org", role: "admin", addedAt: now }).run();
    const result = seedDemo(t.db, { ctx: TEST_CONTEXT, now });
    expect(result).toMatchObject({ ok: true, requestsMade: 6, statementSaved: true });
    expect(countRows(t.db, supporters)).toBe(200);
    for (const table of tables) expect(countRows(t.db, table)).toBeGreaterThan(0);
    const statuses = new Set(t.db.select({ status: requests.status }).from(requests).all().map((r) => r.status));
    expect([...statuses].sort()).toEqual(["awaiting_supporter", "completed", "denied", "in_review", "received"]);
    // No mail at all: no receipt to a made-up address, no "new request" notice to staff, no answer.
    expect(countRows(t.db, mailOutbox)).toBe(0);
    // Received over the past weeks, so the queue shows every state of a deadline.
    const today = calendarDateIn(now, "UTC");
    const states = t.db.select().from(requests).all().map((r) => deadlineOf(r.receivedOn, r.dueOn, today, r.clockStoppedOn).state);
    expect(new Set(states)).toEqual(new Set(["overdue", "due_soon", "on_track", "paused"]));
    expect(new Set(t.db.select({ on: requests.receivedOn }).from(requests).all().map((r) => r.on)).size).toBe(6);
    // Never a full card number: card gifts carry exactly four digits, others none.
    for (const d of t.db.select().from(donations).all()) expect(d.cardLast4 === null ? d.method !== "card" : /^\d{4}$/.test(d.cardLast4)).toBe(true);
  });

  it("spreads each supporter's donations, letters and visits over the whole range, not mostly the low end", () => {
    const records = demoRecords();
    for (const [kind, max] of [["donation", 4], ["correspondence", 2], ["web_visit", 5]] as const) {
      const perSupporter = new Map(records.filter((r) => r.kind === "supporter").map((r) => [r.externalId, 0]));
      for (const r of records) if (r.kind === kind) perSupporter.set(r.supporterExternalId, (perSupporter.get(r.supporterExternalId) ?? 0) + 1);
      const holding = (n: number) => [...perSupporter.values()].filter((count) => count === n).length;
      // Evenly drawn, each count from 0 to max is held by about 200 / (max + 1) supporters.
      for (let n = 0; n <= max; n++) expect(holding(n), `${kind} × ${n}`).toBeGreaterThanOrEqual(10);
      expect(holding(max + 1)).toBe(0);
    }
  });

  it("running it again duplicates nothing", () => {
    const before = tables.map((table) => countRows(t.db, table));
    const result = seedDemo(t.db, { ctx: TEST_CONTEXT, now: new Date("2026-11-23T10:00:00Z") });
    expect(result).toMatchObject({ ok: true, requestsMade: 0, statementSaved: false, records: { created: 0, updated: 0, unchanged: demoRecords().length } });
    expect(tables.map((table) => countRows(t.db, table))).toEqual(before);
  });

  it("refuses a database with real supporters unless forced", () => {
    importCsv(t.db, "kind,external_id,email\nsupporter,crm-1,real@example.com", { source: "crm.csv", secret: TEST_CONTEXT.authSecret, now });
    const refused = seedDemo(t.db, { ctx: TEST_CONTEXT, now });
    expect(refused).toEqual({ ok: false, message: expect.stringContaining("already holds 1 supporter that is not demo data") });
    expect(seedDemo(t.db, { ctx: TEST_CONTEXT, now, force: true })).toMatchObject({ ok: true });
  });
});
