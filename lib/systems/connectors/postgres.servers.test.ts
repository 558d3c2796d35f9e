/**
 * The database connector against a real PostgreSQL: a small CRM whose
 * supporter table has gifts (kept for tax), visits and the pages of each
 * visit (two hops out), and newsletter rows with a key of two columns.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseConnection, type DatabaseServer, startPostgres } from "@/lib/testing/servers";
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import type { DatabaseSettings } from "./connection-settings";
import {
  checkMapLive,
  correctInDatabase,
  dryRunErasure,
  eraseInDatabase,
  gatherForExport,
  openDatabase,
  testDatabase,
  unsubscribeInDatabase,
} from "./database-connector";
import { problemSentence } from "./dataset-map";
import { DEFAULT_TIMEOUTS, type DatabaseDriver } from "./driver";
import { describeFailure, SystemAnswer } from "./failures";
import { connectedSystemProblems } from "./connected-systems";

const allowLoopback: OutboundPolicy = { allowPrivateHosts: ["127.0.0.1"], resolve: async () => [] };
const NOW = new Date("2026-12-01T12:00:00Z");
const hashValue = (value: string) => `h:${Buffer.from(value).toString("hex").padEnd(62, "0").slice(0, 62)}`;

const SCHEMA = `
  CREATE TABLE people (id serial PRIMARY KEY, email varchar(254) NOT NULL, full_name varchar(120), first_name varchar(60), phone varchar(40), notes text);
  CREATE TABLE gifts (id serial PRIMARY KEY, person_id int REFERENCES people(id), amount_pence int NOT NULL, given_on date NOT NULL, card_last4 char(4));
  CREATE TABLE visits (id bigserial PRIMARY KEY, person_id int NOT NULL REFERENCES people(id), ip text NOT NULL, at timestamptz NOT NULL);
  CREATE TABLE visit_pages (id serial PRIMARY KEY, visit_id bigint NOT NULL REFERENCES visits(id), page text NOT NULL);
  CREATE TABLE newsletter (person_id int NOT NULL REFERENCES people(id), list text NOT NULL, status text NOT NULL, PRIMARY KEY (person_id, list));
  CREATE TABLE audit_log (id serial PRIMARY KEY, note text);
`;

const MAP = `
version: 1
supporter:
  table: people
  email: email
tables:
  people:
    label: Supporter records
    erase: delete
    columns:
      email: { category: contact, correct: email }
      full_name: { category: contact, correct: name }
      first_name: { category: contact, correct: { field: name, part: first } }
      phone: { category: contact, correct: phone }
      notes: { category: correspondence }
  gifts:
    label: Donations
    parent: people
    join: { column: person_id, parentColumn: id }
    erase:
      keep: { years: 6, from: given_on, reason: "Tax law: donation records" }
    columns:
      person_id: { category: donation, erase: "null" }
      amount_pence: { category: donation }
      given_on: { category: donation }
      card_last4: { category: donation, erase: "null" }
  visits:
    parent: people
    join: { column: person_id, parentColumn: id }
    erase: delete
    columns:
      ip: { category: web_visit }
      at: { category: web_visit }
  visit_pages:
    parent: visits
    join: { column: visit_id, parentColumn: id }
    erase: delete
    columns:
      page: { category: web_visit }
  newsletter:
    parent: people
    join: { column: person_id, parentColumn: id }
    erase: delete
    unsubscribe: { set: { status: unsubscribed } }
    columns:
      list: { category: subscription }
      status: { category: subscription }
`;

let server: DatabaseServer;
let connection: DatabaseConnection;
let driver: DatabaseDriver;

async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = [], as: DatabaseConnection = connection): Promise<T[]> {
  const client = new pg.Client(as);
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

function settingsOf(c: DatabaseConnection): DatabaseSettings {
  return { host: c.host, port: c.port, database: c.database, user: c.user, schema: "public", tls: "off" };
}

/** Two supporters: Ada (stored with capitals) with rows everywhere, and Bob, who must never be touched. */
async function seed(): Promise<void> {
  await sql(`TRUNCATE people, gifts, visits, visit_pages, newsletter RESTART IDENTITY CASCADE`);
  await sql(`INSERT INTO people (email, full_name, first_name, phone, notes) VALUES
    ('Ada@Example.org', 'Ada Lovelace', 'Ada', '+44 20 7946 0000', 'Met at the gala'),
    ('bob@example.org', 'Bob Brown', 'Bob', NULL, NULL)`);
  await sql(`INSERT INTO gifts (person_id, amount_pence, given_on, card_last4) VALUES
    (1, 2500, '2025-03-01', '4242'), (1, 1000, '2015-01-01', NULL), (2, 500, '2025-01-01', '1111')`);
  await sql(`INSERT INTO visits (person_id, ip, at) VALUES (1, '192.0.2.1', '2026-01-01T10:00:00Z'), (1, '192.0.2.2', '2026-02-01T10:00:00Z'), (2, '198.51.100.9', '2026-01-05T10:00:00Z')`);
  await sql(`INSERT INTO visit_pages (visit_id, page) VALUES (1, '/donate'), (1, '/thanks'), (2, '/news'), (3, '/about')`);
  await sql(`INSERT INTO newsletter (person_id, list, status) VALUES (1, 'alerts', 'subscribed'), (1, 'news', 'subscribed'), (2, 'news', 'subscribed')`);
}

/** Every text value in every table that holds the address, as "table.column". */
async function whereTheAddressIs(address: string): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character')`,
  );
  const found: string[] = [];
  for (const c of columns) {
    const rows = await sql(`SELECT 1 FROM ${pg.escapeIdentifier(c.table_name)} WHERE lower(${pg.escapeIdentifier(c.column_name)}::text) LIKE $1`, [`%${address.toLowerCase()}%`]);
    if (rows.length > 0) found.push(`${c.table_name}.${c.column_name}`);
  }
  return found;
}

beforeAll(async () => {
  server = await startPostgres();
  connection = await server.createDatabase();
  await sql(SCHEMA);
  driver = await openDatabase({ kind: "postgres", settings: settingsOf(connection), password: connection.password }, allowLoopback);
});
afterAll(async () => {
  await driver?.close();
  await server?.stop();
});

describe("checking a map against a live PostgreSQL catalogue", () => {
  it("accepts the map, and a connection test names the server and counts its tables", async () => {
    const test = await testDatabase(driver, MAP);
    expect(test.version).toMatch(/^PostgreSQL 1[5-9]/);
    expect(test.tables).toBe(6);
    expect(test.map?.ok).toBe(true);
  });

  const bad: Array<{ name: string; change: (map: string) => string; says: RegExp }> = [
    { name: "an unknown table", change: (m) => m.replace("  visit_pages:\n", "  visit_pagez:\n"), says: /^Line 34 \(tables › visit_pagez\): the table visit_pagez does not exist in the database/ },
    { name: "a column that does not exist", change: (m) => m.replace("      notes: {", "      note: {"), says: /^Line 15 \(tables › people › columns › note\): the column note does not exist in people\.$/ },
    { name: "a column that differs in case", change: (m) => m.replace("      phone: {", "      Phone: {"), says: /the column Phone does not exist in people \(there is phone\)/ },
    { name: "null for a NOT NULL column", change: (m) => m.replace("ip: { category: web_visit }", `ip: { category: web_visit, erase: "null" }`), says: /visits\.ip cannot be empty in the database \(NOT NULL\)/ },
    { name: "a hash for a column too short to hold one", change: (m) => m.replace(`card_last4: { category: donation, erase: "null" }`, "card_last4: { category: donation, erase: hash }"), says: /gifts\.card_last4 holds at most 4 characters, but a keyed hash needs 64/ },
    { name: "a keep rule counting from a column that is not a date", change: (m) => m.replace("from: given_on", "from: amount_pence"), says: /amount_pence is not a date column/ },
    {
      name: "a table left out of the map whose rows still refer to rows erasure deletes",
      change: (m) => m.slice(0, m.indexOf("  visits:\n")) + m.slice(m.indexOf("  newsletter:\n")),
      says: /^Line 9 \(tables › people › erase\): visits, which the map leaves out, refers to people \(person_id\), whose rows erasure deletes; the database would refuse while such rows exist\./,
    },
    { name: "kept rows that would still refer to deleted ones", change: (m) => m.replace(`person_id: { category: donation, erase: "null" }`, "person_id: { category: donation }"), says: /gifts keeps rows that refer to people \(person_id\), whose rows erasure deletes/ },
  ];
  for (const { name, change, says } of bad) {
    it(`refuses ${name} with a sentence naming the line`, async () => {
      const check = await checkMapLive(driver, change(MAP));
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.problems.map(problemSentence).join("\n")).toMatch(says);
    });
  }
});

describe("a supporter's rows in PostgreSQL", () => {
  it("gathers every mapped table's rows for the address, whatever its case, two hops deep, and nobody else's", async () => {
    await seed();
    const tables = await gatherForExport(driver, MAP, "ada@example.org");
    const byTable = Object.fromEntries(tables.map((t) => [t.table, t]));
    expect(tables.map((t) => t.table)).toEqual(["people", "gifts", "visits", "newsletter", "visit_pages"]);
    expect(byTable.people!.label).toBe("Supporter records");
    expect(byTable.people!.rows).toEqual([{ email: "Ada@Example.org", full_name: "Ada Lovelace", first_name: "Ada", phone: "+44 20 7946 0000", notes: "Met at the gala" }]);
    expect(byTable.gifts!.rows.map((r) => r.given_on).sort()).toEqual(["2015-01-01", "2025-03-01"]);
    expect(byTable.visits!.rows.length).toBe(2);
    expect(byTable.visit_pages!.rows.map((r) => r.page).sort()).toEqual(["/donate", "/news", "/thanks"]);
    expect(byTable.newsletter!.rows.map((r) => r.list).sort()).toEqual(["alerts", "news"]);
    expect(byTable.people!.columns.find((c) => c.name === "notes")).toEqual({ name: "notes", category: "correspondence", categoryLabel: "Correspondence" });
    expect((await gatherForExport(driver, MAP, "nobody@example.org")).every((t) => t.rows.length === 0)).toBe(true);
  });

  it("finds and erases a supporter whose address was typed with spaces around it, and capitals", async () => {
    await seed();
    await sql(`UPDATE people SET email = $1 WHERE id = 1`, ["  Ada@Example.ORG "]);
    const tables = Object.fromEntries((await gatherForExport(driver, MAP, "ada@example.org")).map((t) => [t.table, t.rows.length]));
    expect(tables).toEqual({ people: 1, gifts: 2, visits: 2, newsletter: 2, visit_pages: 3 });
    const counts = await dryRunErasure(driver, MAP, { email: "ada@example.org", now: NOW, timeZone: "UTC" });
    expect(counts.find((c) => c.table === "people")).toMatchObject({ deleted: 1 });
    expect(await eraseInDatabase(driver, MAP, { email: "ada@example.org", now: NOW, timeZone: "UTC", hashValue })).toEqual(counts);
    expect(await sql("SELECT id FROM people ORDER BY id")).toEqual([{ id: 2 }]);
    expect(await whereTheAddressIs("ada@example.org")).toEqual([]);
  });

  it("counts what an erasure would do, per table, and changes nothing", async () => {
    await seed();
    const counts = await dryRunErasure(driver, MAP, { email: "ada@example.org", now: NOW, timeZone: "UTC" });
    expect(counts).toEqual([
      { table: "people", label: "Supporter records", deleted: 1, masked: 0, kept: 0, keptWhy: null, keptFor: null },
      { table: "gifts", label: "Donations", deleted: 1, masked: 0, kept: 1, keptWhy: "Tax law: donation records (kept for 6 years from given_on)", keptFor: { years: 6, reason: "Tax law: donation records" } },
      { table: "visits", label: "visits", deleted: 2, masked: 0, kept: 0, keptWhy: null, keptFor: null },
      { table: "newsletter", label: "newsletter", deleted: 2, masked: 0, kept: 0, keptWhy: null, keptFor: null },
      { table: "visit_pages", label: "visit_pages", deleted: 3, masked: 0, kept: 0, keptWhy: null, keptFor: null },
    ]);
    expect((await sql("SELECT count(*)::int AS n FROM visit_pages"))[0]!.n).toBe(4);
  });

  it("counts, in the dry run and the receipt, the rows of tables the map leaves out that the database deletes with the person's (ON DELETE CASCADE, two deep)", async () => {
    await seed();
    await sql(`
      CREATE TABLE interests (id serial PRIMARY KEY, person_id int NOT NULL REFERENCES people(id) ON DELETE CASCADE, topic text NOT NULL);
      CREATE TABLE interest_notes (id serial PRIMARY KEY, interest_id int NOT NULL REFERENCES interests(id) ON DELETE CASCADE, note text NOT NULL);
      CREATE TABLE visit_flags (visit_id bigint NOT NULL REFERENCES visits(id) ON DELETE CASCADE, flag text NOT NULL);
      INSERT INTO interests (person_id, topic) VALUES (1, 'rivers'), (1, 'forests'), (2, 'rivers');
      INSERT INTO interest_notes (interest_id, note) VALUES (1, 'asked for the report'), (1, 'came to the walk'), (2, 'wrote in'), (3, 'Bob''s note');
      INSERT INTO visit_flags (visit_id, flag) VALUES (1, 'first'), (1, 'donated'), (3, 'first');
    `);
    try {
      // Another text of the same map: checked afresh against the catalogue that now has these tables.
      const map = `${MAP}# with the tables that cascade\n`;
      const input = { email: "ada@example.org", now: NOW, timeZone: "UTC" };
      const dry = await dryRunErasure(driver, map, input);
      expect(dry.slice(5)).toEqual([
        { table: "interests", label: "interests (deleted by the database with the rows they refer to)", deleted: 2, masked: 0, kept: 0, keptWhy: null, keptFor: null },
        { table: "interest_notes", label: "interest_notes (deleted by the database with the rows they refer to)", deleted: 3, masked: 0, kept: 0, keptWhy: null, keptFor: null },
        { table: "visit_flags", label: "visit_flags (deleted by the database with the rows they refer to)", deleted: 2, masked: 0, kept: 0, keptWhy: null, keptFor: null },
      ]);
      // The dry run changed nothing; the erasure deletes what it counted, and says so.
      expect((await sql("SELECT count(*)::int AS n FROM interest_notes"))[0]!.n).toBe(4);
      expect(await eraseInDatabase(driver, map, { ...input, hashValue })).toEqual(dry);
      expect(await sql("SELECT person_id, topic FROM interests")).toEqual([{ person_id: 2, topic: "rivers" }]);
      expect(await sql("SELECT note FROM interest_notes")).toEqual([{ note: "Bob's note" }]);
      expect(await sql("SELECT visit_id, flag FROM visit_flags")).toEqual([{ visit_id: "3", flag: "first" }]);
      // Nothing left: nothing counted.
      expect((await eraseInDatabase(driver, map, { ...input, hashValue })).slice(5)).toEqual([]);
    } finally {
      await sql("DROP TABLE interest_notes, interests, visit_flags");
    }
  });

  it("erases in one transaction: the address is found afterwards nowhere, the kept gift has no link or card digits, Bob is untouched", async () => {
    await seed();
    const dry = await dryRunErasure(driver, MAP, { email: "ada@example.org", now: NOW, timeZone: "UTC" });
    const done = await eraseInDatabase(driver, MAP, { email: "ada@example.org", now: NOW, timeZone: "UTC", hashValue });
    expect(done).toEqual(dry);
    expect(await whereTheAddressIs("ada@example.org")).toEqual([]);
    expect(await sql("SELECT person_id, amount_pence, given_on::text, card_last4 FROM gifts ORDER BY id")).toEqual([
      { person_id: null, amount_pence: 2500, given_on: "2025-03-01", card_last4: null },
      { person_id: 2, amount_pence: 500, given_on: "2025-01-01", card_last4: "1111" },
    ]);
    expect(await sql("SELECT email FROM people")).toEqual([{ email: "bob@example.org" }]);
    expect((await sql("SELECT count(*)::int AS n FROM visit_pages"))[0]!.n).toBe(1);
    // Again: nothing left to erase.
    expect((await eraseInDatabase(driver, MAP, { email: "ada@example.org", now: NOW, timeZone: "UTC", hashValue })).every((c) => c.deleted === 0 && c.kept === 0)).toBe(true);
  });

  // Six years back from the organisation's day: at 21:00 on 30 November in Los Angeles (1 December in UTC) the gift of
  // 30 November 2020 is inside the period; at 01:00 on 1 December in Auckland (30 November in UTC) it has just left it.
  it.each([
    { zone: "America/Los_Angeles", now: "2026-12-01T05:00:00Z", kept: ["2020-11-30", "2025-03-01"] },
    { zone: "UTC", now: "2026-12-01T05:00:00Z", kept: ["2025-03-01"] },
    { zone: "Pacific/Auckland", now: "2026-11-30T12:00:00Z", kept: ["2025-03-01"] },
    { zone: "UTC", now: "2026-11-30T12:00:00Z", kept: ["2020-11-30", "2025-03-01"] },
  ])("$zone at $now: the dry run and the erasure keep the gifts of $kept, counted from the organisation's day", async ({ zone, now, kept }) => {
    await seed();
    await sql(`INSERT INTO gifts (person_id, amount_pence, given_on) VALUES (1, 700, '2020-11-30')`);
    const input = { email: "ada@example.org", now: new Date(now), timeZone: zone };
    const dry = await dryRunErasure(driver, MAP, input);
    expect(dry.find((c) => c.table === "gifts")).toMatchObject({ kept: kept.length, deleted: 3 - kept.length });
    expect(await eraseInDatabase(driver, MAP, { ...input, hashValue })).toEqual(dry);
    expect((await sql<{ given_on: string }>("SELECT given_on::text FROM gifts WHERE person_id IS NULL ORDER BY given_on")).map((r) => r.given_on)).toEqual(kept);
  });

  // A timestamptz keep column is written by PostgreSQL in the connection's zone (UTC here): the pledge made at 00:30 on
  // 1 December 2020 in Auckland is 11:30 on 30 November in UTC. Six years back from 01:00 on 1 December 2026 in
  // Auckland it has just come inside the period, though UTC's day is the one before.
  it("counts a timestamptz keep column's period by the organisation's day at that moment, not the connection's", async () => {
    await seed();
    await sql(`
      CREATE TABLE pledges (id serial PRIMARY KEY, person_id int REFERENCES people(id), pledged_at timestamptz NOT NULL);
      INSERT INTO pledges (person_id, pledged_at) VALUES (1, '2020-11-30 11:30:00+00'), (1, '2020-11-30 10:30:00+00');
    `);
    try {
      const map = `${MAP}  pledges:
    parent: people
    join: { column: person_id, parentColumn: id }
    erase:
      keep: { years: 6, from: pledged_at, reason: "Gift Aid declarations" }
    columns:
      person_id: { category: donation, erase: "null" }
      pledged_at: { category: donation }
`;
      expect((await sql<{ at: string }>("SELECT pledged_at::text AS at FROM pledges ORDER BY id"))[0]!.at).toBe("2020-11-30 11:30:00+00");
      const input = { email: "ada@example.org", now: new Date("2026-11-30T12:00:00Z"), timeZone: "Pacific/Auckland" };
      const dry = await dryRunErasure(driver, map, input);
      expect(dry.find((c) => c.table === "pledges")).toMatchObject({ kept: 1, deleted: 1 });
      expect(await eraseInDatabase(driver, map, { ...input, hashValue })).toEqual(dry);
      expect(await sql("SELECT person_id, pledged_at::text AS at FROM pledges")).toEqual([{ person_id: null, at: "2020-11-30 11:30:00+00" }]);
    } finally {
      await sql("DROP TABLE pledges");
    }
  });

  it("never half-applies an erasure: a refusal part-way leaves every row as it was", async () => {
    await seed();
    await sql(`CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no deleting people today'; END $$`);
    await sql(`CREATE TRIGGER refuse_people_delete BEFORE DELETE ON people FOR EACH ROW EXECUTE FUNCTION refuse_delete()`);
    try {
      const failed = await eraseInDatabase(driver, MAP, { email: "ada@example.org", now: NOW, timeZone: "UTC", hashValue }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(Error);
      // The server's own words (which could quote data) are never what staff see.
      expect(describeFailure(failed).sentence).not.toMatch(/no deleting/);
      expect((await sql("SELECT count(*)::int AS n FROM visit_pages"))[0]!.n).toBe(4);
      expect((await sql("SELECT count(*)::int AS n FROM gifts WHERE card_last4 IS NOT NULL"))[0]!.n).toBe(2);
      expect(await whereTheAddressIs("ada@example.org")).toEqual(["people.email"]);
    } finally {
      await sql("DROP TRIGGER refuse_people_delete ON people; DROP FUNCTION refuse_delete()");
    }
  });

  it("writes accepted corrections to the columns the map allows, splitting the name where a column holds a part", async () => {
    await seed();
    const written = await correctInDatabase(driver, MAP, { email: "ada@example.org", changes: { name: "Augusta Ada King", phone: "+44 20 7946 0999" } });
    expect(written).toEqual([{ table: "people", label: "Supporter records", columns: ["full_name", "first_name", "phone"], rows: 1 }]);
    expect(await sql("SELECT full_name, first_name, phone FROM people WHERE id = 1")).toEqual([{ full_name: "Augusta Ada King", first_name: "Augusta Ada", phone: "+44 20 7946 0999" }]);
    expect(await sql("SELECT full_name FROM people WHERE id = 2")).toEqual([{ full_name: "Bob Brown" }]);
    // A corrected address moves the rows with it.
    await correctInDatabase(driver, MAP, { email: "ada@example.org", changes: { email: "Ada.King@Example.org" } });
    expect(await sql("SELECT email FROM people WHERE id = 1")).toEqual([{ email: "ada.king@example.org" }]);
  });

  it("refuses a correction longer than the column holds, writing nothing", async () => {
    await seed();
    const failed = await correctInDatabase(driver, MAP, { email: "ada@example.org", changes: { name: "A".repeat(70) + " B", phone: "1" } }).catch((e: unknown) => e);
    expect(describeFailure(failed)).toEqual({ sentence: expect.stringMatching(/longer than people\.first_name holds \(60 characters\); nothing was written/), retry: false });
    expect(await sql("SELECT phone FROM people WHERE id = 1")).toEqual([{ phone: "+44 20 7946 0000" }]);
  });

  it("ends the mapped subscriptions on unsubscribe", async () => {
    await seed();
    expect(await unsubscribeInDatabase(driver, MAP, "ada@example.org")).toEqual([{ table: "newsletter", label: "newsletter", rows: 2, how: "changed" }]);
    expect(await sql("SELECT person_id, list, status FROM newsletter ORDER BY person_id, list")).toEqual([
      { person_id: 1, list: "alerts", status: "unsubscribed" },
      { person_id: 1, list: "news", status: "unsubscribed" },
      { person_id: 2, list: "news", status: "subscribed" },
    ]);
  });
});

describe("a dedicated user with only the grants the README gives", () => {
  it("can check the map, gather, count, erase, correct and unsubscribe", async () => {
    await seed();
    const password = "least-privilege-1";
    await sql(`CREATE ROLE rightsdesk_connector LOGIN PASSWORD '${password}'`, [], { ...server.admin, database: connection.database });
    await sql(
      `GRANT USAGE ON SCHEMA public TO rightsdesk_connector;
       GRANT SELECT, UPDATE, DELETE ON people, gifts, visits, visit_pages, newsletter TO rightsdesk_connector`,
      [],
      { ...server.admin, database: connection.database },
    );
    const limited = await openDatabase({ kind: "postgres", settings: { ...settingsOf(connection), user: "rightsdesk_connector" }, password }, allowLoopback);
    try {
      const test = await testDatabase(limited, MAP);
      expect(test.map?.ok).toBe(true);
      // Tables it was given nothing on are not in its catalogue.
      expect(test.tables).toBe(5);
      await correctInDatabase(limited, MAP, { email: "ada@example.org", changes: { phone: "0" } });
      await unsubscribeInDatabase(limited, MAP, "ada@example.org");
      expect((await dryRunErasure(limited, MAP, { email: "ada@example.org", now: NOW, timeZone: "UTC" }))[0]!.deleted).toBe(1);
      await eraseInDatabase(limited, MAP, { email: "ada@example.org", now: NOW, timeZone: "UTC", hashValue });
      expect(await whereTheAddressIs("ada@example.org")).toEqual([]);
      // And it cannot write where it was given nothing.
      await expect(limited.allOrNothing((s) => s.change("INSERT INTO audit_log (note) VALUES ($1)", ["x"]))).rejects.toMatchObject({ code: "42501" });
    } finally {
      await limited.close();
    }
  });
});

describe("when the database cannot be reached or takes too long", () => {
  it("is refused at a loopback address unless an admin allowed that host", async () => {
    const failed = await openDatabase({ kind: "postgres", settings: settingsOf(connection), password: connection.password }, { allowPrivateHosts: [], resolve: async () => [] }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(SystemAnswer);
    expect(describeFailure(failed).sentence).toMatch(/^The host 127\.0\.0\.1 leads to a private or internal network address/);
  });

  it("says a wrong password was refused", async () => {
    const wrong = await openDatabase({ kind: "postgres", settings: settingsOf(connection), password: "wrong" }, allowLoopback);
    try {
      expect(describeFailure(await wrong.serverVersion().catch((e: unknown) => e)).sentence).toBe("the database refused the user name or password");
    } finally {
      await wrong.close();
    }
  });

  it.each([
    ["a wrong password, under the password", { password: "wrong" }, "password", "the database refused the user name or password"],
    ["a database that does not exist, under the database's name", { database: "no_such_database" }, "database", "the database named in the connection does not exist"],
    ["a port nothing listens on, under the host", { port: 1 }, "host", "the system refused the connection (is it running?)"],
  ])("the form says %s", async (_what, change, field, sentence) => {
    const { password = connection.password, ...settings } = { ...settingsOf(connection), ...change } as DatabaseSettings & { password?: string };
    const problems = await connectedSystemProblems(
      { id: null, name: "CRM", kind: "postgres", settings, password, mapText: "" },
      allowLoopback,
    );
    expect(problems).toEqual({ [field]: `Rightsdesk could not check the system: ${sentence.charAt(0).toUpperCase()}${sentence.slice(1).replace(/\.$/, "")}.` });
  });

  it("stops a statement that runs past the time limit", async () => {
    const quick = await openDatabase({ kind: "postgres", settings: settingsOf(connection), password: connection.password }, allowLoopback, {
      ...DEFAULT_TIMEOUTS,
      statementMs: 300,
    });
    try {
      const failed = await quick.readOnly((s) => s.rows("SELECT pg_sleep(3)", [])).catch((e: unknown) => e);
      expect(describeFailure(failed)).toEqual({ sentence: "a statement took longer than the time allowed and was stopped", retry: true });
    } finally {
      await quick.close();
    }
  });

  it("says the database is down while it is, and works again once it is back", async () => {
    await seed();
    await server.halt();
    try {
      const failed = await gatherForExport(driver, MAP, "ada@example.org").catch((e: unknown) => e);
      expect(describeFailure(failed).retry).toBe(true);
      expect(describeFailure(failed).sentence).toMatch(/refused the connection|cut before the system answered|shutting down/);
    } finally {
      await server.resume();
    }
    const tables = await gatherForExport(driver, MAP, "ada@example.org");
    expect(tables[0]!.rows.length).toBe(1);
  });
});
