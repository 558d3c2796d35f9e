import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { correspondence, donations, memberships, petitionSignatures, subscriptions, supporters, webVisits } from "@/db/schema";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { suppress } from "../suppression";
import { describeReport, importCsv } from "./import-csv";
import { IMPORT_CACHE_KIB, REPORT_LINES_KEPT, ReportLines, ROWS_PER_STATEMENT, type ImportProgress } from "./import-records";

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
/** A refused report's totals: only problems. */
const refused = (problems: number) => ({ problems, skipped: 0, kept: 0, choicesKept: 0 });

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

  // A subscription is looked up before it is written: stored or new, and another of the supporter's to the same list.
  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    ["the same row again: unchanged", { kind: "subscription", external_id: "L-1", supporter_external_id: "S-1", list: "newsletter", at: "2025-01-01T09:00:00Z" }, { ok: true, counts: { created: 0, updated: 0, unchanged: 1, skipped: 0 } }],
    ["the same row, ended: updated", { kind: "subscription", external_id: "L-1", supporter_external_id: "S-1", list: "newsletter", at: "2025-01-01T09:00:00Z", ended_at: "2025-04-01" }, { ok: true, counts: { created: 0, updated: 1, unchanged: 0, skipped: 0 } }],
    ["another list: created", { kind: "subscription", external_id: "L-2", supporter_external_id: "S-1", list: "events", at: "2025-01-01T09:00:00Z" }, { ok: true, counts: { created: 1, updated: 0, unchanged: 0, skipped: 0 } }],
    [
      "the same list under another external id: refused, naming the one stored",
      { kind: "subscription", external_id: "L-9", supporter_external_id: "S-1", list: "Newsletter", at: "2025-01-01T09:00:00Z" },
      { ok: false, problems: [{ line: 2, reason: 'this supporter is already on the list "newsletter" under external_id "L-1"' }], totals: refused(1) },
    ],
  ])("a subscription after the first import: %s", (_what, row, expected) => {
    importCsv(t.db, csv(...EVERY_KIND), options);
    expect(importCsv(t.db, csv(row), options)).toMatchObject(expected);
    expect(countRows(t.db, subscriptions)).toBe(row.external_id === "L-2" ? 2 : 1);
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
      totals: refused(2),
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
    expect(importCsv(t.db, text, options)).toEqual({ ok: false, problems: [{ line: 2, reason: expect.stringContaining("email must be a valid address") }], totals: refused(1) });
  });

  it("rolls back rows already written when a later one refers to nobody", () => {
    const text = csv(...EVERY_KIND, { kind: "donation", external_id: "D-3", supporter_external_id: "S-9", amount: "5", currency: "GBP", date: "2025-03-01", method: "cash" });
    const report = importCsv(t.db, text, options);
    expect(report).toEqual({ ok: false, problems: [{ line: 11, reason: expect.stringContaining('"S-9" matches no supporter') }], totals: refused(1) });
    expect(counts()).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("refuses an external id used twice for the same kind", () => {
    const report = importCsv(t.db, csv(ada, { ...ada, email: "other@example.org" }), options);
    expect(report).toEqual({ ok: false, problems: [{ line: 4, reason: 'external_id "S-1" is already used for a supporter on line 2' }], totals: refused(1) });
  });

  // Ids used twice are found once every row is checked: each later use named with the first, in the order of the file.
  it.each<[string, Record<string, string>[], Array<{ line: number; reason: string }>]>([
    [
      "three times: each later use names the first",
      [{ kind: "supporter", external_id: "S-1", email: "a@example.org" }, { kind: "supporter", external_id: "S-1", email: "b@example.org" }, { kind: "supporter", external_id: "S-1", email: "c@example.org" }],
      [
        { line: 3, reason: 'external_id "S-1" is already used for a supporter on line 2' },
        { line: 4, reason: 'external_id "S-1" is already used for a supporter on line 2' },
      ],
    ],
    [
      "the same id for two kinds, and written in other cases and spaces: only the same kind counts",
      [{ kind: "supporter", external_id: "X-1", email: "a@example.org" }, { kind: "donation", external_id: "X-1", supporter_external_id: "X-1", amount: "5", currency: "GBP", date: "2025-03-01", method: "cash" }, { kind: " Donation ", external_id: " X-1 ", supporter_external_id: "X-1", amount: "6", currency: "GBP", date: "2025-03-01", method: "cash" }],
      [{ line: 4, reason: 'external_id "X-1" is already used for a donation on line 3' }],
    ],
    [
      "after its own problem, on rows with problems of their own, and before a supporter unknown",
      [{ kind: "supporter", external_id: "S-1", email: "not an address" }, { kind: "membership", external_id: "M-1", supporter_external_id: "S-9", plan: "Standard", date: "2024-01-01", status: "active" }, { kind: "membership", external_id: "M-1", supporter_external_id: "S-9", plan: "Standard", date: "2024-13-01", status: "active" }],
      [
        { line: 2, reason: "email must be a valid address, like name@example.org" },
        { line: 3, reason: 'supporter_external_id "S-9" matches no supporter in this file or already imported' },
        { line: 4, reason: "date must be a date written YYYY-MM-DD, like 2025-03-01" },
        { line: 4, reason: 'external_id "M-1" is already used for a membership on line 3' },
        { line: 4, reason: 'supporter_external_id "S-9" matches no supporter in this file or already imported' },
      ],
    ],
    [
      "a kind the layout does not have, used twice",
      [{ kind: "volunteer", external_id: "V-1" }, { kind: "volunteer", external_id: "V-1" }],
      [
        { line: 2, reason: 'kind "volunteer" is not one of supporter, donation, membership, subscription, petition_signature, correspondence, web_visit' },
        { line: 3, reason: 'kind "volunteer" is not one of supporter, donation, membership, subscription, petition_signature, correspondence, web_visit' },
        { line: 3, reason: 'external_id "V-1" is already used for a volunteer on line 2' },
      ],
    ],
  ])("names an external id used more than once: %s", (_what, rows, problems) => {
    expect(importCsv(t.db, csv(...rows), options)).toEqual({ ok: false, problems, totals: refused(problems.length) });
    expect(counts()).toEqual([0, 0, 0, 0, 0, 0, 0]);
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

  it("reports progress through a large file: every thousand rows checked, and after each statement that writes many", () => {
    const total = 2 * ROWS_PER_STATEMENT + 500;
    const rows = Array.from({ length: total }, (_, i) => ({ kind: "supporter", external_id: `S-${i}`, email: `p${i}@example.org` }));
    const seen: ImportProgress[] = [];
    const report = importCsv(t.db, csv(...rows), { ...options, onProgress: (p) => seen.push(p) });
    expect(report).toMatchObject({ ok: true, counts: { created: total } });
    const checked = Array.from({ length: Math.ceil(total / 1000) }, (_, i) => ({ phase: "checking", done: Math.min(total, (i + 1) * 1000), total }));
    const written = [ROWS_PER_STATEMENT, 2 * ROWS_PER_STATEMENT, total].map((done) => ({ phase: "writing", done, total }));
    expect(seen).toEqual([...checked, ...written]);
  });

  it.each([
    ["a file written", () => csv(...EVERY_KIND), true],
    ["a file refused while writing (a clash)", () => csv(ada, { ...EVERY_KIND[3]!, external_id: "L-1" }, { ...EVERY_KIND[3]!, external_id: "L-2" }), false],
  ])("writes with a larger page cache and its scratch work in memory, and gives the connection back its own: %s", (_what, file, ok) => {
    const sqlite = t.db.$client;
    sqlite.pragma("cache_size = -3000");
    sqlite.pragma("temp_store = file");
    let during: unknown = null;
    const report = importCsv(t.db, file(), { ...options, onWritten: () => (during = [sqlite.pragma("cache_size", { simple: true }), sqlite.pragma("temp_store", { simple: true })]) });
    expect(report.ok).toBe(ok);
    // temp_store: 1 is a file, 2 memory.
    if (ok) expect(during).toEqual([-IMPORT_CACHE_KIB, 2]);
    expect([sqlite.pragma("cache_size", { simple: true }), sqlite.pragma("temp_store", { simple: true })]).toEqual([-3000, 1]);
  });

  /** EVERY_KIND as a spreadsheet program writes it: its separator and line ends, a byte-order mark, rows and columns it added. */
  function spreadsheet(style: { separator: string; lineEnd: string; bom?: boolean; blankRows?: number; unnamedColumns?: number; header?: (column: string) => string }): string {
    const columns = HEADER.split(",");
    const extra = Array.from({ length: style.unnamedColumns ?? 0 }, () => "");
    const quote = (v: string) => (v.includes(style.separator) || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const line = (cells: string[]) => [...cells, ...extra].map(quote).join(style.separator);
    const rows = [
      line(columns.map(style.header ?? ((c) => c))),
      ...EVERY_KIND.map((r) => line(columns.map((c) => (r[c] ?? "").replace(/\n/g, style.lineEnd)))),
      ...Array.from({ length: style.blankRows ?? 0 }, () => line(columns.map(() => ""))),
    ];
    return `${style.bom ? "\uFEFF" : ""}${rows.join(style.lineEnd)}${style.lineEnd}`;
  }

  it.each<[string, Parameters<typeof spreadsheet>[0]]>([
    ["Excel's CSV UTF-8: a byte-order mark, CRLF, and the empty rows and columns it keeps once they were formatted", { separator: ",", lineEnd: "\r\n", bom: true, blankRows: 3, unnamedColumns: 2 }],
    ["a European spreadsheet's CSV, separated by semicolons", { separator: ";", lineEnd: "\r\n", bom: true }],
    ["semicolons, with empty rows of semicolons after the last", { separator: ";", lineEnd: "\n", blankRows: 2, unnamedColumns: 1 }],
    ["tabs (tab-separated text)", { separator: "\t", lineEnd: "\n" }],
    ["bare CR line ends (older Mac programs)", { separator: ",", lineEnd: "\r", blankRows: 1 }],
    ["a header in other case, with spaces around the names", { separator: ",", lineEnd: "\n", header: (c) => ` ${c.toUpperCase()} ` }],
  ])("reads %s as the plain file", (_what, style) => {
    const report = importCsv(t.db, spreadsheet(style), options);
    expect(report).toMatchObject({ ok: true, rows: 7, counts: { created: 7 } });
    expect(counts()).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(t.db.select().from(supporters).get()).toMatchObject({ externalId: "S-1", email: "ada@example.org", name: "Ada Lovelace", postalAddress: "1 Street\nLondon", phone: "+44 20 7946 0000" });
    expect(t.db.select().from(correspondence).get()).toMatchObject({ body: "Line one\nline two, with a comma" });
    // And it is the same file as the plain one: importing that changes nothing.
    expect(importCsv(t.db, csv(...EVERY_KIND), options)).toMatchObject({ ok: true, counts: { unchanged: 7 } });
  });

  it.each([
    [
      "a value under a column with no name",
      `${csv({ kind: "supporter", external_id: "S-1", email: "ada@example.org" }, { kind: "supporter", external_id: "S-2", email: "bob@example.org" }).replace(/\n/g, ",,\n")},,oops\n`,
      { line: 3, reason: "column 30 has no name in the header but holds a value on this line: give the column a name from the layout, or empty it" },
    ],
    [
      "an amount with a decimal comma, from a European spreadsheet",
      `kind;external_id;supporter_external_id;email;amount;currency;date;method\nsupporter;S-1;;ada@example.org;;;;\ndonation;D-1;S-1;;25,50;EUR;2025-03-01;card\n`,
      { line: 3, reason: "amount must be a positive number like 25.00, written with a point and not a comma, with at most 2 decimal places for EUR" },
    ],
  ])("names what to do about %s", (_what, text, problem) => {
    expect(importCsv(t.db, text, options)).toMatchObject({ ok: false, problems: [problem] });
    expect(counts()).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("keeps the first problems of a file with more than a report holds, and counts them all", () => {
    const bad = Array.from({ length: REPORT_LINES_KEPT + 700 }, (_, i) => ({ kind: "supporter", external_id: `S-${i}`, email: `not an address ${i}` }));
    const report = importCsv(t.db, csv(...bad), options);
    expect(report.ok).toBe(false);
    expect(report.totals).toEqual(refused(REPORT_LINES_KEPT + 700));
    expect(report.ok ? [] : report.problems.map((p) => p.line)).toEqual(Array.from({ length: REPORT_LINES_KEPT }, (_, i) => i + 2));
    const lines = describeReport(report);
    expect(lines[0]).toBe("Nothing was imported: 1,200 problems.");
    expect(lines).toHaveLength(REPORT_LINES_KEPT + 2);
    expect(lines.at(-1)).toBe("  …and 700 more.");
  });

  it("names the problem of every row of a long file whose supporters are elsewhere, without running out of room", () => {
    // More records than a function's arguments can hold at once: the problems are never spread into a call.
    const n = 140_000;
    const header = "kind,external_id,supporter_external_id,amount,currency,date,method\n";
    const text = header + Array.from({ length: n }, (_, i) => `donation,D-${i},S-x,5,GBP,2025-03-01,cash\n`).join("");
    const report = importCsv(t.db, text, options);
    expect(report.totals.problems).toBe(n);
    expect(report.ok ? null : report.problems[0]).toEqual({ line: 2, reason: expect.stringContaining('"S-x" matches no supporter') });
  });

  it("describes a written file's notes, with how many more there were than it lists", () => {
    suppress(t.db, { email: "ada@example.org", secret, reason: "erasure", now });
    const owned = Array.from({ length: REPORT_LINES_KEPT + 1 }, (_, i) => ({ ...EVERY_KIND[1]!, external_id: `D-${i}` }));
    const report = importCsv(t.db, csv(ada, ...owned), options);
    expect(report).toMatchObject({ ok: true, counts: { skipped: REPORT_LINES_KEPT + 2 }, totals: { skipped: REPORT_LINES_KEPT + 2 } });
    const lines = describeReport(report);
    expect(lines[0]).toBe(`Imported ${REPORT_LINES_KEPT + 2} rows: 0 created, 0 updated, 0 unchanged, ${REPORT_LINES_KEPT + 2} skipped.`);
    expect(lines.at(-1)).toBe("  …and 2 more.");
  });
});

describe("a report's lines of one kind", () => {
  const line = (n: number, reason = `r${n}`) => ({ line: n, reason });
  it.each([
    ["fewer than the limit, in any order", 3, [5, 2, 4], [2, 4, 5]],
    ["more than the limit: the first by line", 3, [9, 1, 8, 2, 7, 3, 6, 4, 5], [1, 2, 3]],
    ["later lines only after the limit is full", 2, [1, 2, 3, 4, 5, 6, 7], [1, 2]],
    ["none", 3, [], []],
  ])("%s", (_what, limit, added, first) => {
    const lines = new ReportLines(limit);
    for (const n of added) lines.add(line(n));
    expect(lines.first().map((l) => l.line)).toEqual(first);
    expect(lines.total).toBe(added.length);
  });

  it("keeps a row's own lines in the order they were added", () => {
    const lines = new ReportLines(3);
    for (const l of [line(4, "b"), line(2, "x"), line(4, "a"), line(9), line(4, "c"), line(1)]) lines.add(l);
    expect(lines.first()).toEqual([line(1), line(2, "x"), line(4, "b")]);
  });

  it("holds at most twice its limit, however many lines are added", () => {
    const lines = new ReportLines(10);
    let most = 0;
    for (let n = 100_000; n > 0; n--) {
      lines.add(line(n));
      most = Math.max(most, lines.held);
    }
    expect(most).toBeLessThanOrEqual(20);
    expect(lines.first().map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(lines.total).toBe(100_000);
  });
});
