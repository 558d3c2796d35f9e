import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { consentChanges, consents, mailingLists, subscriptions, supporters } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { importCsv } from "@/lib/supporters/import/import-csv";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { forgetChoices, joinLists, leaveLists, objectToSaleAndSharing, saleAndSharingObjection } from "./choices";
import { listDecision, listFacts, writeChoice } from "./store";

const secret = "s".repeat(64);
const importedAt = new Date("2026-02-01T10:00:00Z");
const leftAt = new Date("2026-03-01T10:00:00Z");
const later = new Date("2026-04-01T10:00:00Z");
const ADA = "ada@example.org";

function csv(rows: string[]): string {
  return ["kind,external_id,supporter_external_id,email,list,at,ended_at", ...rows].join("\n");
}
/** Ada under two supporter records (two systems of the organisation), on two lists; Bob on one. */
const BASE = csv([
  `supporter,S-1,,${ADA},,,`,
  `supporter,S-2,,${ADA},,,`,
  "supporter,S-9,,bob@example.org,,,",
  "subscription,L-1,S-1,,newsletter,2025-01-01,",
  "subscription,L-2,S-1,,appeals,2025-01-01,",
  "subscription,L-3,S-2,,newsletter,2025-01-01,",
  "subscription,L-9,S-9,,newsletter,2025-01-01,",
]);

const page = { route: "page" as const, wording: "Preference page." };

describe("choices about lists", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    const report = importCsv(t.db, BASE, { source: "crm.csv", secret, now: importedAt });
    if (!report.ok) throw new Error(JSON.stringify(report.problems));
  });
  afterEach(() => t.close());

  const running = (email: string) =>
    t.db
      .select({ list: subscriptions.list, externalId: subscriptions.externalId })
      .from(subscriptions)
      .innerJoin(supporters, eq(supporters.id, subscriptions.supporterId))
      .where(eq(supporters.email, email))
      .all()
      .filter((row) => t.db.select().from(subscriptions).where(eq(subscriptions.externalId, row.externalId)).get()?.unsubscribedAt === null)
      .map((row) => `${row.externalId}:${row.list}`)
      .sort();
  const history = (email = ADA) =>
    t.db
      .select({ topic: consentChanges.topic, list: consentChanges.list, state: consentChanges.state, route: consentChanges.route })
      .from(consentChanges)
      .where(eq(consentChanges.email, email))
      .orderBy(asc(consentChanges.id))
      .all();
  const reimport = (rows: string[], at = later) => importCsv(t.db, csv(rows), { source: "crm.csv", secret, now: at });

  it("records the organisation's existing consent on import, once per address and list, and names every list", () => {
    expect(history()).toEqual([
      { topic: "mailing_list", list: "newsletter", state: "granted", route: "import" },
      { topic: "mailing_list", list: "appeals", state: "granted", route: "import" },
    ]);
    expect(t.db.select({ name: mailingLists.name }).from(mailingLists).all().map((l) => l.name).sort()).toEqual(["appeals", "newsletter"]);
    // The same file again records nothing more.
    expect(importCsv(t.db, BASE, { source: "crm.csv", secret, now: later })).toMatchObject({ ok: true, counts: { unchanged: 7 } });
    expect(history()).toHaveLength(2);
  });

  it("leaving one list ends it on every record of the address and leaves the other lists and people alone", () => {
    const result = inTransaction(t.db, (tx) => leaveLists(tx, { email: ADA, lists: ["newsletter"], at: leftAt, now: leftAt, source: page }));
    expect(result).toEqual({ left: ["newsletter"], ended: 2 });
    expect(running(ADA)).toEqual(["L-2:appeals"]);
    expect(running("bob@example.org")).toEqual(["L-9:newsletter"]);
    expect(history().at(-1)).toEqual({ topic: "mailing_list", list: "newsletter", state: "withdrawn", route: "page" });
  });

  it("leaving every list keeps the address off lists added later, unless the person chooses one", () => {
    const result = inTransaction(t.db, (tx) => leaveLists(tx, { email: ADA, lists: "all", at: leftAt, now: leftAt, source: { route: "request", wording: "Request form." } }));
    expect(result).toEqual({ left: ["appeals", "newsletter"], ended: 3 });
    expect(history().slice(2)).toEqual([
      { topic: "mailing_list", list: "appeals", state: "withdrawn", route: "request" },
      { topic: "mailing_list", list: "newsletter", state: "withdrawn", route: "request" },
      { topic: "all_lists", list: "", state: "withdrawn", route: "request" },
    ]);
    // A new list at the source, with Ada on it under a new record: kept off, and the report says why.
    const report = reimport(["supporter,S-3,,ada@example.org,,,", "subscription,L-4,S-3,,events,2026-03-15,"]);
    expect(report).toMatchObject({ ok: true, choicesKept: [{ line: 3, reason: expect.stringContaining('kept off the list "events"') }] });
    expect(running(ADA)).toEqual([]);
    // Choosing it herself is the one way on.
    const joined = inTransaction(t.db, (tx) => joinLists(tx, { email: ADA, lists: ["events"], at: later, now: later, source: page }));
    expect(joined).toEqual(["events"]);
    expect(running(ADA)).toEqual(["L-4:events"]);
    expect(inTransaction(t.db, (tx) => listDecision(tx, ADA, "appeals")).state).toBe("off");
  });

  it("reads an address's choice about one list and about every list together, never another list's or address's", () => {
    inTransaction(t.db, (tx) => leaveLists(tx, { email: ADA, lists: ["newsletter"], at: leftAt, now: leftAt, source: page }));
    inTransaction(t.db, (tx) => leaveLists(tx, { email: "bob@example.org", lists: "all", at: leftAt, now: leftAt, source: page }));
    const facts = (email: string, list: string) => inTransaction(t.db, (tx) => listFacts(tx, email, list));
    const cases: [string, string, string | null, boolean][] = [
      // address, list, the list's recorded choice, whether every list is withdrawn
      [ADA, "newsletter", "withdrawn", false],
      [ADA, "appeals", "granted", false],
      [ADA, "events", null, false],
      ["bob@example.org", "newsletter", "withdrawn", true],
      ["bob@example.org", "appeals", null, true],
      ["nobody@example.org", "newsletter", null, false],
    ];
    for (const [email, list, choice, allLists] of cases) {
      const f = facts(email, list);
      expect([email, list, f.choice?.state ?? null, f.allLists !== null]).toEqual([email, list, choice, allLists]);
    }
    inTransaction(t.db, (tx) => leaveLists(tx, { email: ADA, lists: "all", at: later, now: later, source: page }));
    expect(facts(ADA, "events")).toMatchObject({ choice: null, allLists: { at: later, route: "page" } });
  });

  it("writes a choice only when it changes, whether it reads the choice as it stands or is handed it", () => {
    const write = (state: "granted" | "withdrawn", current?: "granted" | "withdrawn" | null) =>
      inTransaction(t.db, (tx) =>
        writeChoice(tx, { email: ADA, topic: "mailing_list", list: "appeals", state, at: later, now: later, source: page, ...(current !== undefined ? { current } : {}) }),
      );
    // Ada's choice about "appeals" stands at granted, from the import.
    expect(write("granted")).toBe(false);
    expect(write("granted", "granted")).toBe(false);
    expect(history()).toHaveLength(2);
    expect(write("withdrawn", "granted")).toBe(true);
    expect(history().at(-1)).toEqual({ topic: "mailing_list", list: "appeals", state: "withdrawn", route: "page" });
    expect(write("withdrawn")).toBe(false);
    expect(write("granted")).toBe(true);
    expect(history()).toHaveLength(4);
  });

  it("an import that still has the person on a list they left keeps them off, on every record and under a new one", () => {
    inTransaction(t.db, (tx) => leaveLists(tx, { email: ADA, lists: ["newsletter"], at: leftAt, now: leftAt, source: page }));
    const report = reimport([
      "supporter,S-1,,ada@example.org,,,",
      "supporter,S-4,,ada@example.org,,,",
      "subscription,L-1,S-1,,newsletter,2025-01-01,",
      "subscription,L-5,S-4,,newsletter,2026-03-20,",
    ]);
    expect(report).toMatchObject({ ok: true });
    if (!report.ok) return;
    expect(report.choicesKept.map((k) => k.line)).toEqual([4, 5]);
    expect(report.choicesKept[0]?.reason).toBe(
      'kept off the list "newsletter", which this address left on 1 March 2026; only the person can join it again, in the preference centre',
    );
    expect(running(ADA)).toEqual(["L-2:appeals"]);
    expect(history()).toHaveLength(3);
  });

  it("an end the source reports is an opt-out for the whole address: the other record's subscription ends too", () => {
    reimport(["subscription,L-3,S-2,,newsletter,2025-01-01,2026-03-05T00:00:00Z"]);
    expect(running(ADA)).toEqual(["L-2:appeals"]);
    expect(history().at(-1)).toEqual({ topic: "mailing_list", list: "newsletter", state: "withdrawn", route: "import" });
    // Importing the row that still runs changes nothing now: the address left.
    expect(reimport(["subscription,L-1,S-1,,newsletter,2025-01-01,"])).toMatchObject({ ok: true, counts: { unchanged: 1 } });
    expect(running(ADA)).toEqual(["L-2:appeals"]);
  });

  it("joining again after leaving runs the ended subscriptions again, and an older end in the file does not undo it", () => {
    inTransaction(t.db, (tx) => leaveLists(tx, { email: ADA, lists: ["newsletter"], at: leftAt, now: leftAt, source: page }));
    inTransaction(t.db, (tx) => joinLists(tx, { email: ADA, lists: ["newsletter"], at: later, now: later, source: page }));
    expect(running(ADA)).toEqual(["L-1:newsletter", "L-2:appeals", "L-3:newsletter"]);
    const report = reimport(["subscription,L-1,S-1,,newsletter,2025-01-01,2026-03-01T10:00:00Z"], new Date("2026-05-01T00:00:00Z"));
    expect(report).toMatchObject({ ok: true, choicesKept: [{ line: 2, reason: expect.stringContaining('kept on the list "newsletter", which this address chose again on 1 April 2026') }] });
    expect(running(ADA)).toEqual(["L-1:newsletter", "L-2:appeals", "L-3:newsletter"]);
    expect(history().slice(2).map((h) => `${h.state}:${h.route}`)).toEqual(["withdrawn:page", "granted:page"]);
  });

  it("joining a list gives an address with no record a supporter record naming the preference centre", () => {
    const email = "new@example.org";
    const joined = inTransaction(t.db, (tx) => joinLists(tx, { email, lists: ["newsletter"], at: later, now: later, source: page }));
    expect(joined).toEqual(["newsletter"]);
    expect(t.db.select({ source: supporters.source }).from(supporters).where(eq(supporters.email, email)).all()).toEqual([{ source: "Preference centre" }]);
    expect(running(email)).toEqual([expect.stringMatching(/^rightsdesk-.*:newsletter$/)]);
    // Joining what they are on already changes nothing.
    expect(inTransaction(t.db, (tx) => joinLists(tx, { email, lists: ["newsletter"], at: later, now: later, source: page }))).toEqual([]);
    expect(history(email)).toEqual([{ topic: "mailing_list", list: "newsletter", state: "granted", route: "page" }]);
  });

  it("an objection to selling and sharing is recorded once; erasure keeps only the marker in the history", () => {
    expect(inTransaction(t.db, (tx) => objectToSaleAndSharing(tx, { email: ADA, at: later, now: later, source: { route: "gpc", wording: "Sec-GPC: 1" } }))).toBe(true);
    expect(inTransaction(t.db, (tx) => objectToSaleAndSharing(tx, { email: ADA, at: later, now: later, source: { route: "gpc", wording: "Sec-GPC: 1" } }))).toBe(false);
    expect(saleAndSharingObjection(t.db, ADA)).toEqual({ at: later, route: "gpc" });
    inTransaction(t.db, (tx) => forgetChoices(tx, { email: ADA, marker: "erased:abc" }));
    expect(t.db.select().from(consents).where(eq(consents.email, ADA)).all()).toEqual([]);
    expect(history()).toEqual([]);
    expect(history("erased:abc")).toHaveLength(3);
    expect(saleAndSharingObjection(t.db, ADA)).toBeNull();
  });
});
