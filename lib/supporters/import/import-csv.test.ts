import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { correspondence, donations, memberships, petitionSignatures, subscriptions, supporters, webVisits } from "@/db/schema";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { suppress } from "../suppression";
import { importCsv } from "./import-csv";
import { IMPORT_CACHE_KIB, type ImportProgress } from "./import-records";

const secret = "s".repeat(64);
const now = new Date("2026-05-04T10:00:00Z");
const options = { source: "test.csv", secret, now };

const HEADER =
  "kind,external_id,supporter_external_id,email,name,postal_address,phone,amount,currency,date,method,card_last4,plan,ends_on,status,list,at,ended_at,petition,comment,direction,channel,subject,body,ip_address,user_agent,page,referrer";

function csv(...rows: Record<string, string>[]): string {
  const columns = HEADER.split(",");
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [HEADER, ...rows.map((r) => columns.map((c) => quote(r[c] ?? "")).join(","))].join("\n");
}

const ada: Record<string, string> = { kind: "supporter", external_id: "S-1", email: "Ada@Example.org", name: "Ada Lovelace", postal_address: "1 Street\nLondon", phone: "+44 20 7946 0000" };
const EVERY_KIND: Record<string, string>[] = [
  ada,
  { kind: "donation", external_id: "D-1", supporter_external_id: "S-1", amount: "25.00", currency: "GBP", date: "2025-03-01", method: "card", card_last4: "4242" },
  { kind: "membership", external_id: "M-1", supporter_external_id: "S-1", plan: "Standard", date: "2024-01-01", status: "active" },
  { kind: "subscription", external_id: "L-1", supporter_external_id: "S-1", list: "newsletter", at: "2025-01-01T09:00:00Z" },
  { kind: "petition_signature", external_id: "P-1", supporter_external_id: "S-1", petition: "Free the press", at: "2025-02-01T12:00:00Z", comment: "Yes" },
  { kind: "correspondence", external_id: "C-1", supporter_external_id: "S-1", at: "2025-02-02T12:00:00Z", direction: "in", channel: "email", subject: "Hello", body: "Line one\nline two, with a comma" },
  { kind: "web_visit", external_id: "W-1", supporter_external_id: "S-1", at: "2025-02-03T12:00:00Z", ip_address: "203.0.113.5", user_agent: "Firefox", page: "/donate", referrer: "https://example.net/" },
];
const TABLES = [supporters, donations, memberships, subscriptions, petitionSignatures, correspondence, webVisits];

describe("importCsv", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  const counts = () => TABLES.map((table) => countRows(t.db, table));

  it("imports one row of every kind", () => {
    const report = importCsv(t.db, csv(...EVERY_KIND), options);
    expect(report).toMatchObject({ ok: true, rows: 7, counts: { created: 7, updated: 0, unchanged: 0, skipped: 0 } });
    expect(counts()).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const stored = t.db.select().from(supporters).get();
    expect(stored).toMatchObject({ email: "ada@example.org", postalAddress: "1 Street\nLondon", source: "test.csv" });
    expect(t.db.select().from(donations).get()).toMatchObject({ amountMinor: 2500, currency: "GBP", donatedOn: "2025-03-01", cardLast4: "4242", supporterId: stored?.id });
  });

  it("accepts rows that refer to a supporter later in the file", () => {
    const [supporter, ...rest] = EVERY_KIND;
    expect(importCsv(t.db, csv(...rest, supporter!), options)).toMatchObject({ ok: true, counts: { created: 7 } });
  });

  it("re-importing the same file changes nothing and says so", () => {
    importCsv(t.db, csv(...EVERY_KIND), options);
    const before = t.db.select().from(supporters).get();
    const again = importCsv(t.db, csv(...EVERY_KIND), { ...options, now: new Date("2026-06-01T00:00:00Z") });
    expect(again).toMatchObject({ ok: true, counts: { created: 0, updated: 0, unchanged: 7, skipped: 0 } });
    expect(counts()).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(t.db.select().from(supporters).get()).toEqual(before);
  });

  it("updates a changed record by its external id", () => {
    importCsv(t.db, csv(...EVERY_KIND), options);
    const report = importCsv(t.db, csv({ ...ada, name: "Augusta Ada King" }), options);
    expect(report).toMatchObject({ ok: true, counts: { updated: 1 } });
    expect(t.db.select().from(supporters).get()?.name).toBe("Augusta Ada King");
  });

  it("stores nothing when any row is bad, and names every bad row's line", () => {
    const text = csv(
      ...EVERY_KIND,
      { kind: "donation", external_id: "D-2", supporter_external_id: "S-1", amount: "abc", currency: "GBP", date: "2025-03-01", method: "cash" },
      { kind: "donation", external_id: "D-3", supporter_external_id: "S-9", amount: "5", currency: "GBP", date: "2025-03-01", method: "cash" },
    );
    const report = importCsv(t.db, text, options);
    expect(report).toEqual({
      ok: false,
      problems: [
        { line: 11, reason: expect.stringContaining("amount must be a positive number") },
        { line: 12, reason: expect.stringContaining('"S-9" matches no supporter') },
      ],
    });
    expect(counts()).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("with a bad row, still accepts references to a supporter stored earlier or whose own row has a problem", () => {
    importCsv(t.db, csv({ kind: "supporter", external_id: "S-0", email: "zed@example.org" }), options);
    const text = csv(
      { ...ada, email: "not an address" },
      { kind: "donation", external_id: "D-1", supporter_external_id: "S-1", amount: "5", currency: "GBP", date: "2025-03-01", method: "cash" },
      { kind: "donation", external_id: "D-2", supporter_external_id: "S-0", amount: "5", currency: "GBP", date: "2025-03-01", method: "cash" },
    );
    expect(importCsv(t.db, text, options)).toEqual({ ok: false, problems: [{ line: 2, reason: expect.stringContaining("email must be a valid address") }] });
  });

  it("rolls back rows already written when a later one refers to nobody", () => {
    const text = csv(...EVERY_KIND, { kind: "donation", external_id: "D-3", supporter_external_id: "S-9", amount: "5", currency: "GBP", date: "2025-03-01", method: "cash" });
    const report = importCsv(t.db, text, options);
    expect(report).toEqual({ ok: false, problems: [{ line: 11, reason: expect.stringContaining('"S-9" matches no supporter') }] });
    expect(counts()).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("refuses an external id used twice for the same kind", () => {
    const report = importCsv(t.db, csv(ada, { ...ada, email: "other@example.org" }), options);
    expect(report).toEqual({ ok: false, problems: [{ line: 4, reason: 'external_id "S-1" is already used for a supporter on line 2' }] });
  });

  it("skips a suppressed address and everything that belongs to it, storing none of it", () => {
    suppress(t.db, { email: "ada@example.org", secret, reason: "erasure", now });
    const bob = { kind: "supporter", external_id: "S-2", email: "bob@example.org" };
    const report = importCsv(t.db, csv(...EVERY_KIND, bob), options);
    expect(report).toMatchObject({ ok: true, counts: { created: 1, skipped: 7 } });
    if (report.ok) {
      expect(report.skipped.map((s) => s.line)).toEqual([2, 4, 5, 6, 7, 8, 10]);
      expect(report.skipped[0]?.reason).toContain("asked to be erased");
    }
    expect(counts()).toEqual([1, 0, 0, 0, 0, 0, 0]);
    const everything = JSON.stringify(t.db.$client.prepare("select * from supporters").all());
    expect(everything).not.toContain("ada@");
  });

  it("never signs someone back up to a list they left", () => {
    importCsv(t.db, csv(...EVERY_KIND), options);
    const left = new Date("2026-01-01T00:00:00Z");
    t.db.update(subscriptions).set({ unsubscribedAt: left }).run();
    expect(importCsv(t.db, csv(...EVERY_KIND), options)).toMatchObject({ ok: true, counts: { unchanged: 7 } });
    expect(t.db.select().from(subscriptions).get()?.unsubscribedAt).toEqual(left);
  });

  it("reports progress through a large file", () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ({ kind: "supporter", external_id: `S-${i}`, email: `p${i}@example.org` }));
    const seen: ImportProgress[] = [];
    const report = importCsv(t.db, csv(...rows), { ...options, onProgress: (p) => seen.push(p) });
    expect(report).toMatchObject({ ok: true, counts: { created: 2500 } });
    expect(seen).toEqual([
      { phase: "checking", done: 1000, total: 2500 },
      { phase: "checking", done: 2000, total: 2500 },
      { phase: "checking", done: 2500, total: 2500 },
      { phase: "writing", done: 1000, total: 2500 },
      { phase: "writing", done: 2000, total: 2500 },
      { phase: "writing", done: 2500, total: 2500 },
    ]);
  });

  it.each([
    ["a file written", () => csv(...EVERY_KIND), true],
    ["a file refused while writing (a clash)", () => csv(ada, { ...EVERY_KIND[3]!, external_id: "L-1" }, { ...EVERY_KIND[3]!, external_id: "L-2" }), false],
  ])("writes with a larger page cache, and gives the connection back its own: %s", (_what, file, ok) => {
    t.db.$client.pragma("cache_size = -3000");
    let during: unknown = null;
    const report = importCsv(t.db, file(), { ...options, onWritten: () => (during = t.db.$client.pragma("cache_size", { simple: true })) });
    expect(report.ok).toBe(ok);
    if (ok) expect(during).toBe(-IMPORT_CACHE_KIB);
    expect(t.db.$client.pragma("cache_size", { simple: true })).toBe(-3000);
  });
});
