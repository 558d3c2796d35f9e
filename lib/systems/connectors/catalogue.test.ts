import { describe, expect, it } from "vitest";
import { cascadesOf, catalogueOf, checkMapAgainstCatalogue, deleteRuleOf, kindOfType, tablesReachable, type Catalogue, type ForeignKey } from "./catalogue";
import { keepPeriodStart } from "@/lib/calendar/dates";
import { dayOf, planErasure, type Row } from "./database-work";
import { parseDatasetMap, problemSentence } from "./dataset-map";

/** people ← gifts, people ← visits ← pages; gifts.person_id may be null. */
function catalogue(overrides: { giftsKey?: "none"; giftRule?: ForeignKey["onDelete"]; ticketsRule?: ForeignKey["onDelete"] } = {}): Catalogue {
  const col = (table: string, column: string, dataType: string, nullable = true, maxLength: number | null = null) => ({ table, column, dataType, nullable, maxLength });
  return catalogueOf({
    columns: [
      col("people", "id", "integer", false),
      col("people", "email", "character varying", false, 254),
      col("people", "code", "character varying", true, 8),
      col("people", "name", "text"),
      col("gifts", "id", "integer", false),
      col("gifts", "person_id", "integer"),
      col("gifts", "given_on", "date", false),
      col("gifts", "amount", "numeric", false),
      col("visits", "id", "bigint", false),
      col("visits", "person_id", "integer", false),
      col("visits", "ip", "text", false),
      col("pages", "id", "integer", false),
      col("pages", "visit_id", "bigint", false),
      col("pages", "page", "text", false),
      // A table the map leaves out.
      col("tickets", "id", "integer", false),
      col("tickets", "person_id", "integer"),
    ],
    primaryKeys: [
      { table: "people", column: "id", position: 1 },
      ...(overrides.giftsKey === "none" ? [] : [{ table: "gifts", column: "id", position: 1 }]),
      { table: "visits", column: "id", position: 1 },
      { table: "pages", column: "id", position: 1 },
    ],
    foreignKeys: [
      { table: "gifts", columns: ["person_id"], refTable: "people", refColumns: ["id"], onDelete: overrides.giftRule ?? "refuse" },
      { table: "visits", columns: ["person_id"], refTable: "people", refColumns: ["id"], onDelete: "refuse" },
      { table: "pages", columns: ["visit_id"], refTable: "visits", refColumns: ["id"], onDelete: "cascade" },
      { table: "elsewhere", columns: ["x"], refTable: "people", refColumns: ["id"], onDelete: "refuse" },
      ...(overrides.ticketsRule ? [{ table: "tickets", columns: ["person_id"], refTable: "people", refColumns: ["id"], onDelete: overrides.ticketsRule }] : []),
    ],
  });
}

const MAP = `version: 1
supporter: { table: people, email: email }
tables:
  pages:
    parent: visits
    join: { column: visit_id, parentColumn: id }
    erase: delete
    columns: { page: { category: web_visit } }
  people:
    erase: delete
    columns:
      email: { category: contact }
      name: { category: contact, correct: name }
  gifts:
    parent: people
    join: { column: person_id, parentColumn: id }
    erase: { keep: { years: 6, from: given_on, reason: Tax } }
    columns:
      person_id: { category: donation, erase: "null" }
      given_on: { category: donation }
  visits:
    parent: people
    join: { column: person_id, parentColumn: id }
    erase: delete
    columns: { ip: { category: web_visit } }
`;

function check(text: string, cat: Catalogue = catalogue()) {
  const parsed = parseDatasetMap(text);
  if (!parsed.ok) throw new Error(parsed.problems.map(problemSentence).join("\n"));
  return checkMapAgainstCatalogue(parsed.map, cat, parsed.positions);
}

function problems(text: string, cat?: Catalogue): string[] {
  const result = check(text, cat);
  return result.ok ? [] : result.problems.map(problemSentence);
}

describe("checking a map against a catalogue", () => {
  it("accepts a map that fits, deleting rows that refer to others before the rows they refer to", () => {
    const result = check(MAP);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.checked.joinOrder).toEqual(["people", "gifts", "visits", "pages"]);
    const order = result.checked.deleteOrder;
    expect(order.indexOf("pages")).toBeLessThan(order.indexOf("visits"));
    expect(order.indexOf("visits")).toBeLessThan(order.indexOf("people"));
    expect(order.indexOf("gifts")).toBeLessThan(order.indexOf("people"));
  });

  const bad: Array<{ name: string; text?: string; cat?: Catalogue; says: RegExp }> = [
    { name: "an unknown table", text: MAP.replace("  pages:\n", "  page:\n").replace("parent: visits", "parent: visits"), says: /^Line 4 \(tables › page\): the table page does not exist in the database, or the connection's user may not read it\.$/ },
    { name: "a table that differs in case", text: MAP.replace("  pages:\n", "  Pages:\n"), says: /the table Pages does not exist in the database \(there is pages\)/ },
    { name: "a table without a primary key", cat: catalogue({ giftsKey: "none" }), says: /^Line 14 \(tables › gifts\): gifts has no primary key, so its rows cannot be told apart/ },
    { name: "a join column that does not exist", text: MAP.replace("column: visit_id", "column: visit"), says: /^Line 6 \(tables › pages › join › column\): the column visit does not exist in pages\.$/ },
    { name: "a join of different kinds of value", text: MAP.replace("join: { column: visit_id, parentColumn: id }", "join: { column: page, parentColumn: id }"), says: /pages\.page \(text\) and visits\.id \(bigint\) hold different kinds of value/ },
    { name: "a correction into a column that is not text", text: MAP.replace("given_on: { category: donation }", "given_on: { category: donation, correct: phone }"), says: /gifts\.given_on is not a text column \(date\), so a correction cannot write to it/ },
    { name: "a fixed value too long for its column", text: MAP.replace("email: { category: contact }\n", "email: { category: contact }\n      code: { category: other, erase: { value: \"0123456789\" } }\n"), says: /code holds at most 8 characters, and the value has 10/ },
    { name: "a keyed hash in a short column", text: MAP.replace("email: { category: contact }\n", "email: { category: contact }\n      code: { category: other, erase: hash }\n"), says: /people\.code holds at most 8 characters, but a keyed hash needs 64/ },
    { name: "text for a number column", text: MAP.replace("given_on: { category: donation }", "given_on: { category: donation }\n      amount: { category: donation, erase: { value: zero } }"), says: /amount holds numbers, so the value must be a number/ },
    { name: "kept rows that would block a deletion", text: MAP.replace(`person_id: { category: donation, erase: "null" }`, "person_id: { category: donation }"), says: /gifts keeps rows that refer to people \(person_id\), whose rows erasure deletes; the database would refuse/ },
    { name: "a table left out of the map that refers to rows erasure deletes", cat: catalogue({ ticketsRule: "refuse" }), says: /^Line 10 \(tables › people › erase\): tickets, which the map leaves out, refers to people \(person_id\), whose rows erasure deletes; the database would refuse while such rows exist\. Add tickets to the map \(hanging off people\), or mask people instead\.$/ },
    { name: "kept rows the database would delete with their parent", text: MAP.replace(`person_id: { category: donation, erase: "null" }`, "person_id: { category: donation }"), cat: catalogue({ giftRule: "cascade" }), says: /but the database deletes them along with people's rows \(ON DELETE CASCADE\)/ },
  ];
  for (const { name, text, cat, says } of bad) {
    it(`refuses ${name}`, () => expect(problems(text ?? MAP, cat).join("\n")).toMatch(says));
  }

  for (const rule of ["set null", "cascade"] as const) {
    it(`accepts a table left out of the map whose rows the database ${rule === "cascade" ? "deletes" : "empties"} with the rows erasure deletes`, () => {
      expect(problems(MAP, catalogue({ ticketsRule: rule }))).toEqual([]);
    });
  }

  it("accepts kept rows the database itself empties on deletion (ON DELETE SET NULL)", () => {
    expect(problems(MAP.replace(`person_id: { category: donation, erase: "null" }`, "person_id: { category: donation }"), catalogue({ giftRule: "set null" }))).toEqual([]);
  });
});

describe("reading the catalogue", () => {
  const kinds: Array<[string, string]> = [
    ["character varying", "text"], ["varchar", "text"], ["longtext", "text"], ["uuid", "text"], ["enum", "text"],
    ["integer", "number"], ["bigint", "number"], ["decimal", "number"], ["double precision", "number"], ["tinyint", "number"],
    ["boolean", "boolean"], ["date", "date"], ["datetime", "date"], ["timestamp with time zone", "date"], ["time", "date"],
    ["interval", "other"], ["bytea", "other"], ["json", "other"], ["point", "other"],
  ];
  for (const [type, kind] of kinds) it(`takes ${type} as ${kind}`, () => expect(kindOfType(type)).toBe(kind));

  const rules: Array<[string, string]> = [["c", "cascade"], ["CASCADE", "cascade"], ["n", "set null"], ["SET NULL", "set null"], ["a", "refuse"], ["RESTRICT", "refuse"], ["NO ACTION", "refuse"]];
  for (const [name, rule] of rules) it(`takes the delete rule ${name} as ${rule}`, () => expect(deleteRuleOf(name)).toBe(rule));

  it("leaves out foreign keys to tables it cannot see", () => {
    expect(catalogue().foreignKeys.map((fk) => fk.table)).toEqual(["gifts", "visits", "pages"]);
  });

  it("finds the tables that hang off a table through foreign keys, in both directions, each once, within the hops asked", () => {
    expect(tablesReachable(catalogue(), "pages", 3).map((t) => [t.table, t.parent, t.hops])).toEqual([
      ["pages", null, 0],
      ["visits", "pages", 1],
      ["people", "visits", 2],
      ["gifts", "people", 3],
    ]);
    expect(tablesReachable(catalogue(), "people", 1).map((t) => t.table)).toEqual(["people", "gifts", "visits"]);
    expect(tablesReachable(catalogue(), "nowhere")).toEqual([]);
  });
});

describe("planning an erasure", () => {
  const checked = (() => {
    const result = check(MAP);
    if (!result.ok) throw new Error("map");
    return result.checked;
  })();
  const now = new Date("2026-12-01T00:00:00Z");

  it("counts the keep period from the same calendar day years back, in the organisation's time zone", () => {
    expect(keepPeriodStart(now, 6, "UTC")).toBe("2020-12-01");
    expect(keepPeriodStart(new Date("2024-02-29T10:00:00Z"), 1, "UTC")).toBe("2023-03-01");
    // Midnight UTC is still 30 November west of UTC: the period ends, and starts, a day earlier there.
    expect(keepPeriodStart(now, 6, "America/Chicago")).toBe("2020-11-30");
    expect(keepPeriodStart(new Date("2026-11-30T20:00:00Z"), 6, "Asia/Tokyo")).toBe("2020-12-01");
  });

  it.each([
    // 18:00 on 30 November in Chicago: the gift of 30 November 2020 is inside the period there, outside it by the UTC day.
    { zone: "America/Chicago", now: "2026-12-01T00:00:00Z", kept: [1, 4, 5], deleted: [2, 3] },
    { zone: "UTC", now: "2026-12-01T00:00:00Z", kept: [1, 4], deleted: [2, 3, 5] },
    // 05:00 on 1 December in Tokyo, still 30 November in UTC: the gift of 30 November 2020 has just left the period there.
    { zone: "Asia/Tokyo", now: "2026-11-30T20:00:00Z", kept: [1, 4], deleted: [2, 3, 5] },
    { zone: "UTC", now: "2026-11-30T20:00:00Z", kept: [1, 4, 5], deleted: [2, 3] },
  ])("$zone at $now: keeps gifts $kept and deletes $deleted", ({ zone, now: at, kept, deleted }) => {
    const gathered = new Map<string, Row[]>([
      ["people", [{ id: 1, email: "a@example.org" }]],
      [
        "gifts",
        [
          { id: 1, person_id: 1, given_on: "2020-12-01" },
          { id: 2, person_id: 1, given_on: "2020-11-29" },
          { id: 3, person_id: 1, given_on: null },
          { id: 4, person_id: 1, given_on: "2026-01-01" },
          { id: 5, person_id: 1, given_on: "2020-11-30 23:00:00" },
        ],
      ],
    ]);
    const gifts = planErasure(checked, gathered, new Date(at), zone)[1]!;
    expect(gifts.toMask.map((r) => r.id).sort()).toEqual(kept);
    expect(gifts.toDelete.map((r) => r.id).sort()).toEqual(deleted);
  });

  it("keeps rows inside the period, deletes older ones and rows without a date, and deletes the rest", () => {
    const gathered = new Map<string, Row[]>([
      ["people", [{ id: 1, email: "a@example.org" }]],
      ["gifts", [{ id: 1, person_id: 1, given_on: "2020-12-01" }, { id: 2, person_id: 1, given_on: "2020-11-30 23:59:59" }, { id: 3, person_id: 1, given_on: null }, { id: 4, person_id: 1, given_on: "2026-01-01T00:00:00+00" }]],
      ["visits", [{ id: "10", person_id: 1 }]],
      ["pages", [{ id: 5, visit_id: "10" }, { id: 6, visit_id: "10" }]],
    ]);
    const plan = planErasure(checked, gathered, now, "UTC");
    expect(plan.map(({ table, deleted, masked, kept }) => ({ table, deleted, masked, kept }))).toEqual([
      { table: "people", deleted: 1, masked: 0, kept: 0 },
      { table: "gifts", deleted: 2, masked: 0, kept: 2 },
      { table: "visits", deleted: 1, masked: 0, kept: 0 },
      { table: "pages", deleted: 2, masked: 0, kept: 0 },
    ]);
    expect(plan[1]!.toDelete.map((r) => r.id)).toEqual([2, 3]);
    expect(plan[1]!.toMask.map((r) => r.id)).toEqual([1, 4]);
    expect(plan[1]!.keptWhy).toBe("Tax (kept for 6 years from given_on)");
  });
});

describe("what the database deletes by itself from tables a map leaves out", () => {
  /** A catalogue of tables by name (each with an id key) and foreign keys given as "from>to:rule". */
  function shaped(tables: string[], keys: string[]): Catalogue {
    return catalogueOf({
      columns: tables.flatMap((table) => [
        { table, column: "id", dataType: "integer", nullable: false, maxLength: null },
        { table, column: "ref", dataType: "integer", nullable: true, maxLength: null },
        { table, column: "email", dataType: "text", nullable: true, maxLength: null },
      ]),
      primaryKeys: tables.map((table) => ({ table, column: "id", position: 1 })),
      foreignKeys: keys.map((key) => {
        const [, from, to, rule] = /^(\w+)>(\w+):(.+)$/.exec(key)!;
        return { table: from!, columns: ["ref"], refTable: to!, refColumns: ["id"], onDelete: rule as ForeignKey["onDelete"] };
      }),
    });
  }
  const mapOf = (tables: string[]) => {
    const [root, ...rest] = tables;
    const text = [
      "version: 1",
      `supporter: { table: ${root}, email: email }`,
      "tables:",
      `  ${root}: { erase: delete, columns: { email: { category: contact } } }`,
      ...rest.map((t) => `  ${t}: { parent: ${root}, join: { column: ref, parentColumn: id }, erase: delete, columns: { email: { category: contact } } }`),
    ].join("\n");
    const parsed = parseDatasetMap(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return parsed.map;
  };
  /** Each cascade as "from>to", depth first. */
  const flat = (cascades: ReturnType<typeof cascadesOf>) => {
    const out: string[] = [];
    const walk = (list: NonNullable<ReturnType<ReturnType<typeof cascadesOf>["get"]>>) => {
      for (const c of list) {
        out.push(`${c.foreignKey.table}>${c.foreignKey.refTable}`);
        walk(c.next);
      }
    };
    for (const [, list] of cascades) walk(list);
    return out;
  };
  const cases: Array<{ name: string; tables: string[]; mapped: string[]; keys: string[]; cascades: string[] }> = [
    { name: "one table left out, cascading", tables: ["people", "notes"], mapped: ["people"], keys: ["notes>people:cascade"], cascades: ["notes>people"] },
    { name: "two deep", tables: ["people", "notes", "tags"], mapped: ["people"], keys: ["notes>people:cascade", "tags>notes:cascade"], cascades: ["notes>people", "tags>notes"] },
    { name: "a mapped table is counted by the map, not as a cascade", tables: ["people", "gifts"], mapped: ["people", "gifts"], keys: ["gifts>people:cascade"], cascades: [] },
    { name: "emptied or refused is no deletion", tables: ["people", "a", "b"], mapped: ["people"], keys: ["a>people:set null", "b>people:refuse"], cascades: [] },
    { name: "below a table that is only emptied, nothing cascades", tables: ["people", "a", "b"], mapped: ["people"], keys: ["a>people:set null", "b>a:cascade"], cascades: [] },
    { name: "a loop is followed once", tables: ["people", "a", "b"], mapped: ["people"], keys: ["a>people:cascade", "b>a:cascade", "a>b:cascade"], cascades: ["a>people", "b>a"] },
    { name: "a table referring to itself", tables: ["people", "a"], mapped: ["people"], keys: ["a>people:cascade", "a>a:cascade"], cascades: ["a>people"] },
  ];
  it.each(cases)("$name", ({ tables, mapped, keys, cascades }) => {
    expect(flat(cascadesOf(mapOf(mapped), shaped(tables, keys)))).toEqual(cascades);
  });
});

describe("the day a keep rule counts from", () => {
  it.each([
    // A date, and a date and time without a zone (CiviCRM's wall-clock times): their own day, in any zone.
    { value: "2020-11-30", zone: "Pacific/Auckland", day: "2020-11-30" },
    { value: "2020-11-30 23:30:00", zone: "Pacific/Auckland", day: "2020-11-30" },
    // A timestamptz as PostgreSQL writes it in the connection's zone: the organisation's day at that moment.
    { value: "2020-11-30 23:30:00-08", zone: "America/Los_Angeles", day: "2020-11-30" },
    { value: "2020-12-01 07:30:00+00", zone: "America/Los_Angeles", day: "2020-11-30" },
    { value: "2020-12-01 07:30:00.123456+00", zone: "UTC", day: "2020-12-01" },
    { value: "2020-11-30 12:30:00+05:30", zone: "Pacific/Auckland", day: "2020-11-30" },
    { value: "2020-11-30 11:30:00+00", zone: "Pacific/Auckland", day: "2020-12-01" },
    { value: "2020-11-30T20:00:00Z", zone: "Asia/Tokyo", day: "2020-12-01" },
    // A driver's Date: the moment it is.
    { value: new Date("2020-12-01T07:30:00Z"), zone: "America/New_York", day: "2020-12-01" },
    { value: new Date("2020-12-01T03:30:00Z"), zone: "America/New_York", day: "2020-11-30" },
    { value: null, zone: "UTC", day: null },
    { value: "not a date", zone: "UTC", day: null },
  ])("$value in $zone is $day", ({ value, zone, day }) => {
    expect(dayOf(value, zone)).toBe(day);
  });
});
