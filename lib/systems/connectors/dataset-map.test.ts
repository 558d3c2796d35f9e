import { describe, expect, it } from "vitest";
import { CORRECTABLE_FIELDS } from "@/lib/vocabulary/request-details";
import { CIVICRM_MAP_YAML } from "./civicrm-map";
import { CORRECTION_SOURCES, correctedValue, formatOf, parseDatasetMap, problemSentence, tablesInJoinOrder } from "./dataset-map";

const GOOD = `version: 1
supporter:
  table: people
  email: email
tables:
  people:
    erase: delete
    columns:
      email: { category: contact, correct: email }
  gifts:
    parent: people
    join: { column: person_id, parentColumn: id }
    erase:
      keep: { years: 6, from: given_on, reason: "Tax law" }
    columns:
      given_on: { category: donation }
  pages:
    parent: visits
    join: { column: visit_id, parentColumn: id }
    erase: delete
    columns:
      page: { category: web_visit }
  visits:
    parent: people
    join: { column: person_id, parentColumn: id }
    erase: delete
    columns:
      ip: { category: web_visit, erase: hash }
`;

function problems(text: string): string[] {
  const parsed = parseDatasetMap(text);
  return parsed.ok ? [] : parsed.problems.map(problemSentence);
}

describe("reading a dataset map", () => {
  it("reads a good map, filling in the defaults", () => {
    const parsed = parseDatasetMap(GOOD);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.format).toBe("yaml");
    expect(parsed.map.tables.people!.columns.email).toEqual({ category: "contact", correct: { field: "email", part: "full" }, erase: { rule: "keep" } });
    expect(parsed.map.tables.gifts!.erase).toEqual({ rule: "keep", keep: { years: 6, from: "given_on", reason: "Tax law" } });
    expect(parsed.map.tables.visits!.columns.ip!.erase).toEqual({ rule: "hash" });
    // Several hops deep, each table after its parent whatever order the file lists them in.
    expect(tablesInJoinOrder(parsed.map)).toEqual(["people", "gifts", "visits", "pages"]);
  });

  it("reads the same map written as JSON, with lines for its problems too", () => {
    const json = JSON.stringify(parseDatasetMap(GOOD).ok ? { version: 1, supporter: { table: "people", email: "email" }, tables: { people: { erase: "delete", columns: { email: { category: "contact" } } } } } : null, null, 2);
    expect(formatOf(json)).toBe("json");
    expect(parseDatasetMap(json).ok).toBe(true);
    expect(problems(json.replace('"contact"', '"contacts"'))).toEqual([
      "Line 12 (tables › people › columns › email › category): category must be one of contact, donation, membership, subscription, correspondence, web_visit, other.",
    ]);
  });

  it("reads the ready CiviCRM map", () => {
    expect(problems(CIVICRM_MAP_YAML)).toEqual([]);
  });

  const bad: Array<{ name: string; text: string; says: string[] }> = [
    { name: "an empty file", text: "  \n", says: ["The map is empty."] },
    { name: "a file that is not YAML", text: "version: 1\ntables: [\n", says: [expect.stringMatching(/^Line \d+: the YAML cannot be read: /) as unknown as string] },
    { name: "a table written twice", text: GOOD.replace("  visits:\n", "  people:\n"), says: ["Line 23: the YAML cannot be read: a name is written twice in the same place; keep one."] },
    { name: "a keep rule without years", text: GOOD.replace("years: 6, ", ""), says: ["Line 14 (tables › gifts › erase › keep › years): years (how many years the rows are kept) is missing."] },
    { name: "a keep rule without a reason", text: GOOD.replace(', reason: "Tax law"', ""), says: ["Line 14 (tables › gifts › erase › keep › reason): reason (why the law requires keeping them, told to the supporter) is missing."] },
    { name: "years that are not whole", text: GOOD.replace("years: 6", "years: 6.5"), says: ["Line 14 (tables › gifts › erase › keep › years): years must be a whole number of years."] },
    { name: "an unknown erase rule", text: GOOD.replace("    erase: delete\n    columns:\n      page", "    erase: shred\n    columns:\n      page"), says: ["Line 20 (tables › pages › erase): erase must be delete, mask, or keep with years, from and reason."] },
    { name: "an unknown column rule", text: GOOD.replace("erase: hash", "erase: scramble"), says: ["Line 28 (tables › visits › columns › ip › erase): A column's erase must be keep, null, hash, or value with a fixed value."] },
    { name: "a misspelt setting", text: GOOD.replace("    parent: visits", "    parnet: visits"), says: expect.arrayContaining(["Line 18 (tables › pages › parnet): “parnet” is not a setting Rightsdesk knows here; check the spelling."]) as unknown as string[] },
    { name: "a correction from a field the portal does not have", text: GOOD.replace("correct: email", "correct: birthday"), says: ["Line 9 (tables › people › columns › email › correct › field): correct must name one of the portal's correction fields: name, email, postalAddress, phone."] },
    { name: "a name part for another field", text: GOOD.replace("correct: email", "correct: { field: phone, part: first }"), says: ["Line 9 (tables › people › columns › email › correct › part): part applies only to the name: other fields are written whole."] },
    { name: "a table name that is not a plain name", text: GOOD.replace("  pages:", '  "pages; DROP TABLE x":'), says: ["Line 17 (tables › pages; DROP TABLE x): “pages; DROP TABLE x” is not a plain table or column name (letters, digits and _; at most 63 characters)."] },
    { name: "a table without a parent", text: GOOD.replace("    parent: people\n    join: { column: person_id, parentColumn: id }\n    erase:\n      keep", "    erase:\n      keep"), says: ["Line 10 (tables › gifts): gifts needs a parent (the table it hangs off) and a join."] },
    { name: "a parent that is not in the map", text: GOOD.replace("parent: visits", "parent: sessions"), says: ["Line 18 (tables › pages › parent): the parent sessions is not listed under tables."] },
    { name: "a supporter table that is not listed", text: GOOD.replace("  table: people", "  table: persons"), says: ["Line 3 (supporter › table): the supporter's table persons is not listed under tables."] },
    { name: "an email column that is not mapped", text: GOOD.replace("  email: email", "  email: mail"), says: ["Line 4 (supporter › email): the email column mail must be listed under people's columns, with its category and rules."] },
    { name: "a keep rule from a column that is not mapped", text: GOOD.replace("from: given_on", "from: given_at"), says: ["Line 14 (tables › gifts › erase › keep › from): the date column given_at must be listed under gifts's columns."] },
    {
      name: "a loop of joins",
      text: GOOD.replace("    parent: people\n    join: { column: person_id, parentColumn: id }\n    erase: delete\n    columns:\n      ip", "    parent: pages\n    join: { column: person_id, parentColumn: id }\n    erase: delete\n    columns:\n      ip"),
      says: ["Line 18 (tables › pages › parent): the tables form a loop (pages → visits → pages), so none of them leads to the supporter table people. Each table hangs off exactly one parent, nearer the supporter."],
    },
    { name: "a version Rightsdesk does not read", text: GOOD.replace("version: 1", "version: 2"), says: ["Line 1 (version): version must be 1."] },
  ];
  for (const { name, text, says } of bad) {
    it(`refuses ${name}, with a sentence naming its line`, () => {
      expect(problems(text)).toEqual(says);
    });
  }

  it("refuses a map too long to be one", () => {
    expect(problems(`# ${"x".repeat(300_000)}`)).toEqual(["The map is too long: at most 256,000 characters."]);
  });
});

describe("the value a column gets from a corrected name", () => {
  const cases: Array<[string, "full" | "first" | "last" | "sort", string]> = [
    ["Ada Lovelace", "full", "Ada Lovelace"],
    ["Augusta Ada King", "first", "Augusta Ada"],
    ["Augusta Ada King", "last", "King"],
    ["Augusta Ada King", "sort", "King, Augusta Ada"],
    ["Cher", "first", ""],
    ["Cher", "last", "Cher"],
    ["Cher", "sort", "Cher"],
    ["  Ada   Lovelace ", "last", "Lovelace"],
  ];
  for (const [name, part, expected] of cases) {
    it(`${part} of “${name}” is “${expected}”`, () => expect(correctedValue(name, part)).toBe(expected));
  }
});

it("names the same correction fields as a correction request", () => {
  expect([...CORRECTION_SOURCES]).toEqual([...CORRECTABLE_FIELDS]);
});
