import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EXAMPLE_CSV, RECORD_KINDS, type RecordKind } from "./layout";
import { currencyExponent } from "@/lib/vocabulary/currency";
import { checkRecord, looksLikeCardNumber, ROW_SCHEMAS, rowColumns, rowSchema, toMinorUnits, type RowColumns } from "./parse-rows";
import { csvRecords, textSource } from "./csv-source";
import { csvRows, parseCsv, parseRow } from "@/lib/testing/import-rows";

describe("parseCsv", () => {
  it("reads quotes, commas, doubled quotes, line breaks in quoted fields and a byte-order mark", () => {
    const parsed = parseCsv('\uFEFFkind,external_id,name,postal_address\nsupporter,S-1,"Lovelace, Ada","1 ""The"" Street\r\nLondon"\n\nsupporter,S-2,Bob,\n');
    expect(parsed).toEqual({
      ok: true,
      rows: [
        { line: 2, cells: { kind: "supporter", external_id: "S-1", name: "Lovelace, Ada", postal_address: '1 "The" Street\r\nLondon' } },
        { line: 5, cells: { kind: "supporter", external_id: "S-2", name: "Bob", postal_address: "" } },
      ],
    });
  });

  it.each([
    ["", 1, "empty"],
    ["kind,external_id,colour\n", 1, 'unknown column "colour"'],
    ["kind,kind,external_id\n", 1, "appears twice"],
    ["name,email\n", 1, '"kind" and "external_id"'],
    ['kind,external_id\nsupporter,"S-1\n', 2, "never closed"],
    ["kind,external_id\nsupporter,S-1,extra\n", 2, "different number of fields"],
    // What to do, and where: by the column's name from the header, on the first batch too.
    ["kind,external_id,notes,Gift Aid\n", 1, 'unknown columns "notes", "gift aid" in the header: delete them, or rename each to a column of the layout'],
    ['kind,external_id,name\nsupporter,S-1,=HYPERLINK("x")\n', 2, 'the name field holds a quote (") but does not start with one: put the whole field in quotes and write each quote inside it twice ("")'],
    ['kind;external_id;name\nsupporter;S-1;Ada "Countess" L\n', 2, "the name field holds a quote"],
    ['kind,external_id,name\nsupporter,S-1,"Ada" Lovelace\n', 2, 'the name field goes on after its closing quote: write each quote inside a quoted field twice ("")'],
    ['kind,external_id\nsupporter,S-1,x"y\n', 2, 'field 3 holds a quote (")'],
  ])("refuses a broken file: %j", (text, line, reason) => {
    const parsed = parseCsv(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem.line).toBe(line);
      expect(parsed.problem.reason).toContain(reason);
    }
  });

  it("reads the documented example", () => {
    const parsed = parseCsv(EXAMPLE_CSV);
    if (!parsed.ok) throw new Error(parsed.problem.reason);
    expect(parsed.rows.map((r) => parseRow(r).ok)).toEqual([true, true, true]);
  });
});

describe("amounts and cards", () => {
  it.each([
    ["GBP", 2],
    ["JPY", 0],
    ["KWD", 3],
    ["gbp", null],
    ["XXY", null],
  ])("exponent of %s is %s", (code, exponent) => expect(currencyExponent(code)).toBe(exponent));

  it.each([
    ["25.00", 2, 2500],
    ["25.5", 2, 2550],
    ["25", 2, 2500],
    ["1500", 0, 1500],
    ["1.234", 3, 1234],
    ["25.001", 2, null],
    ["15.5", 0, null],
    ["-5", 2, null],
    ["0", 2, null],
    ["1,000.00", 2, null],
    ["£5", 2, null],
    ["1e3", 2, null],
  ])("%s with exponent %s is %s minor units", (amount, exponent, minor) => expect(toMinorUnits(amount, exponent)).toBe(minor));

  it.each([
    ["4242424242424242", true],
    ["4242 4242 4242 4242", true],
    ["4242-4242-4242-4242", true],
    ["paid with 5555555555554444 yesterday", true],
    ["4242424242424241", false],
    ["4242", false],
    ["+44 20 7946 0000", false],
  ])("%s looks like a card number: %s", (value, expected) => expect(looksLikeCardNumber(value)).toBe(expected));
});

const row = (cells: Record<string, string>, line = 7) => parseRow({ line, cells });

describe("parseRow", () => {
  const donation = { kind: "donation", external_id: "D-1", supporter_external_id: "S-1", amount: "25.00", currency: "GBP", date: "2025-03-01", method: "card", card_last4: "4242" };

  it("turns a donation into minor units", () => {
    expect(row(donation)).toEqual({
      ok: true,
      line: 7,
      record: { kind: "donation", externalId: "D-1", supporterExternalId: "S-1", amountMinor: 2500, currency: "GBP", donatedOn: "2025-03-01", method: "card", cardLast4: "4242" },
    });
  });

  it("normalises a supporter's email and keeps a multi-line address", () => {
    const result = row({ kind: "supporter", external_id: "S-1", email: "  Ada@Example.ORG ", name: "Ada", postal_address: "1 Street\r\nLondon", phone: "" });
    expect(result).toEqual({
      ok: true,
      line: 7,
      record: { kind: "supporter", externalId: "S-1", email: "ada@example.org", name: "Ada", postalAddress: "1 Street\nLondon", phone: null },
    });
  });

  it.each([
    ["2025-03-01", "2025-03-01T00:00:00.000Z"],
    [" 2024-02-29 ", "2024-02-29T00:00:00.000Z"],
    ["2025-03-01T09:30Z", "2025-03-01T09:30:00.000Z"],
    ["2025-03-01T09:30:15.5-02:30", "2025-03-01T12:00:15.500Z"],
  ])("reads %j as the instant %s", (at, instant) => {
    const result = row({ kind: "subscription", external_id: "L-1", supporter_external_id: "S-1", list: "alerts", at });
    expect(result.ok && result.record.kind === "subscription" && result.record.subscribedAt.toISOString()).toBe(instant);
  });

  it.each([
    ["an empty ended_at", { kind: "subscription", external_id: "L-1", supporter_external_id: "S-1", list: "alerts", at: "2025-03-01", ended_at: "" }, "unsubscribedAt", null],
    ["an ended_at", { kind: "subscription", external_id: "L-1", supporter_external_id: "S-1", list: "alerts", at: "2025-03-01", ended_at: "2025-04-01T10:00:00+02:00" }, "unsubscribedAt", new Date("2025-04-01T08:00:00Z")],
    ["an empty ends_on", { kind: "membership", external_id: "M-1", supporter_external_id: "S-1", plan: "Standard", date: "2025-03-01", ends_on: "", status: "active" }, "endsOn", null],
    ["an ends_on", { kind: "membership", external_id: "M-1", supporter_external_id: "S-1", plan: "Standard", date: "2025-03-01", ends_on: " 2026-02-28 ", status: "active" }, "endsOn", "2026-02-28"],
  ])("keeps %s", (_what, cells, field, value) => {
    const result = row(cells);
    expect(result.ok && (result.record as unknown as Record<string, unknown>)[field]).toEqual(value);
  });

  it("reads times with an offset as instants", () => {
    const result = row({ kind: "web_visit", external_id: "W-1", supporter_external_id: "S-1", at: "2025-03-01T10:30:00+01:00", ip_address: "2001:db8::1", page: "/donate" });
    expect(result.ok && result.record.kind === "web_visit" && result.record.at.toISOString()).toBe("2025-03-01T09:30:00.000Z");
  });

  it.each([
    [{ ...donation, kind: "gift" }, 'kind "gift" is not one of'],
    [{ ...donation, kind: "" }, "kind is empty"],
    [{ ...donation, card_last4: "4242424242424242" }, "card_last4 looks like a full card number"],
    [{ ...donation, card_last4: "42424" }, "card_last4 must be exactly four digits"],
    [{ ...donation, card_last4: "42a4" }, "card_last4 must be exactly four digits"],
    [{ ...donation, method: "direct_debit" }, "card_last4 is only for donations by card"],
    [{ ...donation, method: "barter" }, "method must be one of"],
    [{ ...donation, amount: "25.001" }, "at most 2 decimal places for GBP"],
    [{ ...donation, amount: "" }, "amount is required"],
    [{ ...donation, currency: "ZZZ" }, "not an ISO 4217 currency code"],
    [{ ...donation, date: "2025-02-30" }, "date must be a date written YYYY-MM-DD"],
    [{ ...donation, date: "01/03/2025" }, "date must be a date written YYYY-MM-DD"],
    [{ ...donation, supporter_external_id: "" }, "supporter_external_id is required"],
    [{ kind: "supporter", external_id: "S-1", email: "not an address" }, "email must be a valid address"],
    [{ kind: "supporter", external_id: "S-1", email: "" }, "email is required"],
    [{ kind: "supporter", external_id: "S-1", email: "a@example.org", name: "Ada\u0007" }, "name contains control characters"],
    [{ kind: "supporter", external_id: "S-1", email: "a@example.org", name: "Ada\u202eevil" }, "name contains control characters"],
    [{ kind: "supporter", external_id: "S-1", email: "a@example.org", name: "Ada\nLovelace" }, "name contains control characters or line breaks"],
    [{ kind: "correspondence", external_id: "C-1", supporter_external_id: "S-1", at: "2025-03-01T10:00:00Z", direction: "in", channel: "email", body: "card 4111 1111 1111 1111 please" }, "body looks like a full card number"],
    [{ kind: "correspondence", external_id: "C-1", supporter_external_id: "S-1", at: "2025-03-01T10:00:00Z", direction: "sideways", channel: "email", body: "hi" }, "direction must be in or out"],
    [{ kind: "subscription", external_id: "L-1", supporter_external_id: "S-1", list: "alerts", at: "2025-03-01 10:00" }, "at must be an ISO 8601 time"],
    [{ kind: "subscription", external_id: "L-1", supporter_external_id: "S-1", list: "alerts", at: "2025-02-30T10:00:00Z" }, "at must be an ISO 8601 time"],
    [{ kind: "subscription", external_id: "L-1", supporter_external_id: "S-1", list: "alerts", at: "2025-03-01T25:00:00Z" }, "at must be an ISO 8601 time"],
    [{ kind: "subscription", external_id: "L-1", supporter_external_id: "S-1", list: "alerts", at: "2025-03-01", ended_at: "2025-13-01" }, "ended_at must be an ISO 8601 time"],
    [{ kind: "subscription", external_id: "L-1", supporter_external_id: "S-1", list: "alerts", at: "2025-03-01", ended_at: " " }, "ended_at must be an ISO 8601 time"],
    [{ kind: "membership", external_id: "M-1", supporter_external_id: "S-1", plan: "Standard", date: "2025-03-01", ends_on: "01/03/2026", status: "active" }, "ends_on must be a date written YYYY-MM-DD"],
    [{ kind: "web_visit", external_id: "W-1", supporter_external_id: "S-1", at: "2025-03-01", ip_address: "999.1.1.1", page: "/" }, "ip_address must be"],
  ])("refuses %j", (cells, reason) => {
    const result = row(cells);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.every((p) => p.line === 7)).toBe(true);
      expect(result.problems.map((p) => p.reason).join(" | ")).toContain(reason);
      // A refused card number is never repeated back.
      expect(JSON.stringify(result.problems)).not.toMatch(/\d{13}/);
    }
  });

  it.each<[Record<string, string>, string[]]>([
    [
      { kind: "supporter", external_id: "", email: "not an address", name: "Ada\u0007" },
      ["external_id is required", "email must be a valid address", "name contains control characters"],
    ],
    [
      { kind: "donation", external_id: "D-1", supporter_external_id: "S-1", amount: "25.123", currency: "GBP", date: "2025-02-30", method: "cash", card_last4: "4242" },
      ["date must be a date written YYYY-MM-DD", "amount must be a positive number like 25.00, with at most 2 decimal places for GBP", "card_last4 is only for donations by card"],
    ],
    [
      { kind: "donation", external_id: "D-1", supporter_external_id: "", amount: "5", currency: "XYZ", date: "2025-03-01", method: "barter" },
      ["supporter_external_id is required", "method must be one of", 'currency "XYZ" is not an ISO 4217 currency code'],
    ],
    [
      { kind: "correspondence", external_id: "C-1", supporter_external_id: "S-1", at: "yesterday", direction: "sideways", channel: "", subject: "4111 1111 1111 1111", body: "card 5555555555554444" },
      [
        "subject looks like a full card number",
        "body looks like a full card number",
        "at must be an ISO 8601 time",
        "direction must be in or out",
        "channel is required",
      ],
    ],
  ])("names every problem of %j at once", (cells, reasons) => {
    const result = row(cells);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const found = result.problems.map((p) => p.reason);
    expect(found).toHaveLength(reasons.length);
    for (const reason of reasons) expect(found.some((f) => f.includes(reason)), `${reason} in ${found.join(" | ")}`).toBe(true);
    expect(JSON.stringify(found)).not.toMatch(/\d{13}/);
  });
});

describe("each kind's compiled schema", () => {
  // Inputs as parseRow hands them over (a record's fields, every one a string): some right, some wrong in one or several ways.
  const inputs: Record<RecordKind, Record<string, string>[]> = {
    supporter: [
      { externalId: "S-1", email: " Ada@Example.ORG ", name: "Ada", postalAddress: "1 Street\r\nLondon", phone: "" },
      { externalId: "", email: "not an address", name: "Ada\u0007", postalAddress: "", phone: "x".repeat(51) },
      { externalId: "S-2", email: "", name: "Ada\nLovelace", postalAddress: "y".repeat(501), phone: "+44" },
    ],
    donation: [
      { externalId: "D-1", supporterExternalId: "S-1", amount: "25.00", currency: "gbp", donatedOn: "2025-03-01", method: " Card ", cardLast4: "4242" },
      { externalId: "D-2", supporterExternalId: "", amount: "", currency: "GBPX", donatedOn: "2025-02-30", method: "barter", cardLast4: "42a4" },
    ],
    membership: [
      { externalId: "M-1", supporterExternalId: "S-1", plan: "Standard", startedOn: "2024-01-31", endsOn: "", status: "Active" },
      { externalId: "M-2", supporterExternalId: "S-1", plan: "", startedOn: "31/01/2024", endsOn: "2024-13-01", status: "" },
    ],
    subscription: [
      { externalId: "L-1", supporterExternalId: "S-1", list: "Alerts", subscribedAt: "2025-03-01T09:30:00+01:00", unsubscribedAt: "2025-04-01" },
      { externalId: "L-2", supporterExternalId: "S-1", list: "alerts", subscribedAt: "2025-03-01 10:00", unsubscribedAt: "never" },
    ],
    petition_signature: [
      { externalId: "P-1", supporterExternalId: "S-1", petition: "Save the Park", signedAt: "2025-03-01T09:30:00Z", comment: "Yes\r\nplease" },
      { externalId: "P-2", supporterExternalId: "S-1", petition: "", signedAt: "2025-02-29", comment: "" },
    ],
    correspondence: [
      { externalId: "C-1", supporterExternalId: "S-1", at: "2025-03-01T10:00:00Z", direction: "IN", channel: "Email", subject: "", body: "Thanks\nfor all" },
      { externalId: "C-2", supporterExternalId: "S-1", at: "yesterday", direction: "sideways", channel: "", subject: "a\tb", body: "" },
    ],
    web_visit: [
      { externalId: "W-1", supporterExternalId: "S-1", at: "2025-03-01", ipAddress: "2001:db8::1", userAgent: "", page: "/donate", referrer: "" },
      { externalId: "W-2", supporterExternalId: "S-1", at: "2025-03-01T25:00:00Z", ipAddress: "999.1.1.1", userAgent: "x\u0000", page: "", referrer: "r" },
    ],
  };

  it.each(RECORD_KINDS)("%s: is compiled by zod, not left to walk the schema for each row", (kind) => {
    // z.compile hands back the schema itself when it cannot compile it.
    expect(rowSchema(kind)).not.toBe(ROW_SCHEMAS[kind]);
    expect(z.compile(ROW_SCHEMAS[kind], { strict: true })).toBeDefined();
  });

  it.each(RECORD_KINDS.flatMap((kind) => inputs[kind].map((input) => [kind, input] as const)))("%s %j: the same result and messages as the schema itself", (kind, input) => {
    const compiled = rowSchema(kind).safeParse(input);
    const plain = ROW_SCHEMAS[kind].safeParse(input);
    expect(compiled.success).toBe(plain.success);
    expect(compiled.data).toEqual(plain.data);
    expect(compiled.error?.issues.map((i) => [i.path, i.message])).toEqual(plain.error?.issues.map((i) => [i.path, i.message]));
  });
});

describe("checkRecord, on the rows as an import reads them", () => {
  const files: [string, string][] = [
    ["the layout's example", EXAMPLE_CSV],
    [
      "columns in another order, one left out, and an empty column with no name",
      [
        "external_id,method,kind,amount,currency,date,supporter_external_id,card_last4,email,name,",
        "D-1,card,donation,25.00,GBP,2025-03-01,S-1,4242,,,",
        "D-2,cash,Donation,25.001,XYZ,2025-02-30,,4242,,,",
        "S-1,,supporter,,,,,,ada@example.org,Ada Lovelace,",
        "S-2,,supporter,,,,,,not an address,4111 1111 1111 1111,",
        "X-1,,gift,,,,,,,,",
      ].join("\n"),
    ],
    [
      "every kind, with card numbers, control characters and quoted line breaks",
      [
        "kind,external_id,supporter_external_id,email,name,postal_address,at,direction,channel,subject,body,ip_address,page,list,petition,comment,plan,date,ends_on,status",
        'supporter,S-1,,a@example.org,"Ada\u0007",' + '"1 Street\r\nLondon"' + ",,,,,,,,,,,,,,",
        'correspondence,C-1,S-1,,,,yesterday,sideways,,4111 1111 1111 1111,"card 5555555555554444",,,,,,,,,',
        "web_visit,W-1,S-1,,,,2025-03-01,,,,,999.1.1.1,/,,,,,,,",
        "subscription,L-1,S-1,,,,2025-03-01T09:30:00+01:00,,,,,,,Alerts,,,,,,",
        "petition_signature,P-1,S-1,,,,2025-03-01T09:30:00Z,,,,,,,,Save the Park,Yes,,,,",
        "membership,M-1,S-1,,,,,,,,,,,,,,Standard,2024-01-31,2024-13-01,Active",
      ].join("\n"),
    ],
  ];

  it.each(files)("%s: the same results, lines and problems as parseRow on each row's cells", (_what, text) => {
    let columns: RowColumns | null = null;
    const byRecord = [...csvRecords(textSource(text), {}, (header) => (columns = rowColumns(header)))].map((row) => checkRecord(row.line, row.record, columns!));
    const byCells = [...csvRows(textSource(text))].map((row) => parseRow(row));
    expect(byRecord).toEqual(byCells);
    expect(byRecord.length).toBeGreaterThan(2);
  });
});
