/**
 * The ready CiviCRM map against a CiviCRM-shaped database in a real
 * MariaDB: checked against its catalogue, then a supporter's rows gathered,
 * counted, corrected, unsubscribed and erased, with a dedicated user that
 * has only the grants the README gives.
 */
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCivicrmGroups, addCivicrmSupporter, createCivicrmTables } from "@/lib/testing/civicrm-schema";
import { type DatabaseConnection, type DatabaseServer, startMariaDb } from "@/lib/testing/servers";
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import { CIVICRM_MAP_YAML } from "./civicrm-map";
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
import { describeFailure } from "./failures";

const allowLoopback: OutboundPolicy = { allowPrivateHosts: ["127.0.0.1"], resolve: async () => [] };
const NOW = new Date("2026-12-01T12:00:00Z");
const hashValue = (value: string) => value.replace(/./g, "h").padEnd(64, "h").slice(0, 64);

let server: DatabaseServer;
let connection: DatabaseConnection;
let driver: DatabaseDriver;

async function withDb<T>(work: (c: mysql.Connection) => Promise<T>, as: DatabaseConnection = connection): Promise<T> {
  const c = await mysql.createConnection({ ...as, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

async function rows(sql: string, params: unknown[] = []): Promise<mysql.RowDataPacket[]> {
  return withDb(async (c) => (await c.query<mysql.RowDataPacket[]>(sql, params))[0]);
}

function settingsOf(c: DatabaseConnection): DatabaseSettings {
  return { host: c.host, port: c.port, database: c.database, user: c.user, schema: "public", tls: "off" };
}

/** Fresh tables with Ada (two addresses) and Bob, who must never be touched; returns their contact ids. */
async function seed(): Promise<{ ada: number; bob: number }> {
  return withDb(async (c) => {
    await c.query("SET FOREIGN_KEY_CHECKS = 0");
    const [tables] = await c.query<mysql.RowDataPacket[]>("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()");
    for (const t of tables) await c.query(`DROP TABLE ${mysql.escapeId(String(t.t))}`);
    await c.query("SET FOREIGN_KEY_CHECKS = 1");
    await createCivicrmTables(c);
    await addCivicrmGroups(c);
    const ada = await addCivicrmSupporter(c, { email: "ada@example.org", otherEmail: "ada.work@example.com", first: "Ada", last: "Lovelace", recentGiftOn: "2025-03-01", oldGiftOn: "2015-01-01" });
    const bob = await addCivicrmSupporter(c, { email: "bob@example.org", first: "Bob", last: "Brown", recentGiftOn: "2025-01-01", oldGiftOn: "2016-01-01" });
    return { ada, bob };
  });
}

/** Every text column of every table holding `text`, as "table.column". */
async function whereTextIs(text: string): Promise<string[]> {
  const columns = await rows(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND DATA_TYPE IN ('varchar', 'char', 'text', 'longtext', 'mediumtext', 'tinytext')`,
  );
  const found: string[] = [];
  for (const { t, c } of columns) {
    const hit = await rows(`SELECT 1 FROM ${mysql.escapeId(String(t))} WHERE ${mysql.escapeId(String(c))} LIKE ? LIMIT 1`, [`%${text}%`]);
    if (hit.length > 0) found.push(`${String(t)}.${String(c)}`);
  }
  return found.sort();
}

beforeAll(async () => {
  server = await startMariaDb();
  connection = await server.createDatabase();
  await seed();
  driver = await openDatabase({ kind: "mysql", settings: settingsOf(connection), password: connection.password }, allowLoopback);
});
afterAll(async () => {
  await driver?.close();
  await server?.stop();
});

describe("the ready CiviCRM map on MariaDB", () => {
  it("fits a CiviCRM-shaped database's own catalogue", async () => {
    const test = await testDatabase(driver, CIVICRM_MAP_YAML);
    expect(test.version).toMatch(/MariaDB/);
    if (test.map && !test.map.ok) throw new Error(test.map.problems.map(problemSentence).join("\n"));
    expect(test.map?.ok).toBe(true);
  });

  const bad: Array<{ name: string; change: (map: string) => string; says: RegExp }> = [
    { name: "an unknown table", change: (m) => m.replace("  civicrm_phone:\n", "  civicrm_phones:\n"), says: /^Line \d+ \(tables › civicrm_phones\): the table civicrm_phones does not exist/ },
    { name: "a column that does not exist", change: (m) => m.replace("      nick_name:", "      nickname:"), says: /^Line 33 \(tables › civicrm_contact › columns › nickname\): the column nickname does not exist in civicrm_contact\.$/ },
    { name: "a loop of joins", change: (m) => m.replace("    parent: civicrm_email\n", "    parent: civicrm_activity\n"), says: /the tables form a loop \(civicrm_contact → civicrm_activity → civicrm_activity_contact → civicrm_contact\)/ },
    { name: "a keep rule without years", change: (m) => m.replace("keep: { years: 6, from", "keep: { from"), says: /^Line \d+ \(tables › civicrm_contribution › erase › keep › years\): years \(how many years the rows are kept\) is missing\.$/ },
    { name: "deleting contacts whose contributions are kept", change: (m) => m.replace("    erase: mask\n    unsubscribe", "    erase: delete\n    unsubscribe"), says: /civicrm_contribution keeps rows that refer to civicrm_contact \(contact_id\), but the database deletes them along with civicrm_contact's rows \(ON DELETE CASCADE\)/ },
  ];
  for (const { name, change, says } of bad) {
    it(`refuses ${name}, naming the line`, async () => {
      const check = await checkMapLive(driver, change(CIVICRM_MAP_YAML));
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.problems.map(problemSentence).join("\n")).toMatch(says);
    });
  }

  it("gathers every table's rows for the supporter, each row once, and nobody else's", async () => {
    await seed();
    const tables = Object.fromEntries((await gatherForExport(driver, CIVICRM_MAP_YAML, "Ada@Example.org")).map((t) => [t.table, t]));
    const count = (t: string) => tables[t]!.rows.length;
    expect(Object.fromEntries(Object.keys(tables).map((t) => [t, count(t)]))).toEqual({
      civicrm_email: 1,
      civicrm_contact: 1,
      // The supporter's own address is shown once, under the first entry.
      civicrm_email_other: 1,
      civicrm_address: 1,
      civicrm_phone: 1,
      civicrm_contribution: 2,
      civicrm_membership: 1,
      civicrm_group_contact: 2,
      civicrm_activity_contact: 1,
      civicrm_activity: 1,
    });
    expect(tables.civicrm_contact!.rows[0]).toMatchObject({ first_name: "Ada", last_name: "Lovelace", display_name: "Ada Lovelace" });
    expect(tables.civicrm_email_other!.rows[0]!.email).toBe("ada.work@example.com");
    expect(tables.civicrm_contribution!.rows.map((r) => r.total_amount).sort()).toEqual(["10.00", "25.00"]);
    expect(JSON.stringify(tables)).not.toMatch(/bob/i);
  });

  it("counts the erasure, then erases: the address and name are found nowhere, the recent gift is kept on an anonymous contact", async () => {
    const { ada, bob } = await seed();
    const counts = await dryRunErasure(driver, CIVICRM_MAP_YAML, { email: "ada@example.org", now: NOW, timeZone: "UTC" });
    const byTable = Object.fromEntries(counts.map((c) => [c.table, c]));
    expect(byTable.civicrm_contribution).toMatchObject({ deleted: 1, kept: 1, keptWhy: "Tax law: donation records are kept for six years (kept for 6 years from receive_date)" });
    expect(byTable.civicrm_contact).toMatchObject({ deleted: 0, masked: 1 });
    expect(byTable.civicrm_email).toMatchObject({ deleted: 1 });
    expect(byTable.civicrm_email_other).toMatchObject({ deleted: 1 });
    expect(byTable.civicrm_group_contact).toMatchObject({ deleted: 2 });
    // The map leaves civicrm_membership_payment out; MariaDB deletes Ada's row there with her membership, and says so.
    expect(byTable.civicrm_membership_payment).toEqual({
      table: "civicrm_membership_payment",
      label: "civicrm_membership_payment (deleted by the database with the rows they refer to)",
      deleted: 1,
      masked: 0,
      kept: 0,
      keptWhy: null,
      keptFor: null,
    });
    const payments = async () => Number((await rows("SELECT count(*) AS n FROM civicrm_membership_payment"))[0]!.n);
    expect(await payments()).toBe(2);
    // The dry run changed nothing.
    expect(await whereTextIs("ada@example.org")).toEqual([
      "civicrm_activity.details",
      "civicrm_contact.external_identifier",
      "civicrm_contribution.source",
      "civicrm_email.email",
      "civicrm_email.signature_text",
    ]);

    expect(await eraseInDatabase(driver, CIVICRM_MAP_YAML, { email: "ada@example.org", now: NOW, timeZone: "UTC", hashValue })).toEqual(counts);
    expect(await payments()).toBe(1);
    expect(await whereTextIs("ada@example.org")).toEqual([]);
    expect(await whereTextIs("ada.work@example.com")).toEqual([]);
    expect(await whereTextIs("Lovelace")).toEqual([]);
    expect(await rows("SELECT display_name, first_name, is_opt_out, is_deleted FROM civicrm_contact WHERE id = ?", [ada])).toEqual([
      { display_name: "Anonymous", first_name: null, is_opt_out: 1, is_deleted: 1 },
    ]);
    expect(await rows("SELECT total_amount, receive_date, source FROM civicrm_contribution WHERE contact_id = ?", [ada])).toEqual([
      { total_amount: "25.00", receive_date: "2025-03-01 09:30:00", source: null },
    ]);
    expect(await rows("SELECT subject, details FROM civicrm_activity")).toEqual([{ subject: "[Removed at the supporter's request]", details: null }, { subject: "Call with Bob Brown", details: expect.stringContaining("bob@example.org") }]);
    // Bob is as he was.
    expect((await rows("SELECT count(*) AS n FROM civicrm_email WHERE contact_id = ?", [bob]))[0]!.n).toBe("1");
    expect((await rows("SELECT count(*) AS n FROM civicrm_contribution WHERE contact_id = ?", [bob]))[0]!.n).toBe("2");
  });

  // CiviCRM's receive_date is the organisation's wall-clock time: the six years count back from the organisation's day,
  // which at 21:00 on 30 November in Los Angeles is not yet UTC's 1 December.
  it.each([
    { zone: "America/Los_Angeles", kept: ["2020-11-30 09:30:00", "2025-03-01 09:30:00"] },
    { zone: "UTC", kept: ["2025-03-01 09:30:00"] },
  ])("in $zone, the dry run and the erasure keep the contributions received $kept", async ({ zone, kept }) => {
    const { ada } = await seed();
    await withDb((c) => c.query("UPDATE civicrm_contribution SET receive_date = '2020-11-30 09:30:00' WHERE contact_id = ? AND trxn_id LIKE '%_old'", [ada]));
    const input = { email: "ada@example.org", now: new Date("2026-12-01T05:00:00Z"), timeZone: zone };
    const counts = await dryRunErasure(driver, CIVICRM_MAP_YAML, input);
    expect(counts.find((c) => c.table === "civicrm_contribution")).toMatchObject({ kept: kept.length, deleted: 2 - kept.length });
    expect(await eraseInDatabase(driver, CIVICRM_MAP_YAML, { ...input, hashValue })).toEqual(counts);
    expect((await rows("SELECT receive_date FROM civicrm_contribution WHERE contact_id = ? ORDER BY receive_date", [ada])).map((r) => r.receive_date)).toEqual(kept);
  });

  it("finds and erases a supporter whose address was typed with spaces around it and capitals, in a column whose collation tells case apart", async () => {
    const { ada } = await seed();
    await withDb(async (c) => {
      await c.query("ALTER TABLE civicrm_email MODIFY email VARCHAR(254) COLLATE utf8mb4_bin NULL");
      await c.query("UPDATE civicrm_email SET email = ? WHERE email = ?", ["  Ada@Example.ORG ", "ada@example.org"]);
    });
    const tables = Object.fromEntries((await gatherForExport(driver, CIVICRM_MAP_YAML, "ada@example.org")).map((t) => [t.table, t.rows.length]));
    expect(tables).toMatchObject({ civicrm_email: 1, civicrm_contact: 1, civicrm_email_other: 1, civicrm_contribution: 2 });
    const counts = await dryRunErasure(driver, CIVICRM_MAP_YAML, { email: "ada@example.org", now: NOW, timeZone: "UTC" });
    expect(counts.find((c) => c.table === "civicrm_email")).toMatchObject({ deleted: 1 });
    expect(await eraseInDatabase(driver, CIVICRM_MAP_YAML, { email: "ada@example.org", now: NOW, timeZone: "UTC", hashValue })).toEqual(counts);
    expect(await rows("SELECT count(*) AS n FROM civicrm_email WHERE contact_id = ?", [ada])).toEqual([{ n: "0" }]);
    expect(await whereTextIs("Lovelace")).toEqual([]);
  });

  it("writes a corrected name into CiviCRM's name columns and a corrected address into the supporter's email row", async () => {
    const { ada } = await seed();
    const written = await correctInDatabase(driver, CIVICRM_MAP_YAML, { email: "ada@example.org", changes: { name: "Augusta Ada King", email: "ada.king@example.org" } });
    expect(written.map((w) => [w.table, w.columns, w.rows])).toEqual([
      ["civicrm_email", ["email"], 1],
      ["civicrm_contact", ["first_name", "last_name", "display_name", "sort_name"], 1],
    ]);
    expect(await rows("SELECT first_name, last_name, display_name, sort_name FROM civicrm_contact WHERE id = ?", [ada])).toEqual([
      { first_name: "Augusta Ada", last_name: "King", display_name: "Augusta Ada King", sort_name: "King, Augusta Ada" },
    ]);
    expect((await rows("SELECT email FROM civicrm_email WHERE contact_id = ? ORDER BY id", [ada])).map((r) => r.email)).toEqual(["ada.king@example.org", "ada.work@example.com"]);
  });

  it("sets CiviCRM's no-bulk-email flag on unsubscribe", async () => {
    const { ada, bob } = await seed();
    expect(await unsubscribeInDatabase(driver, CIVICRM_MAP_YAML, "ada@example.org")).toEqual([{ table: "civicrm_contact", label: "Contact record", rows: 1, how: "changed" }]);
    expect(await rows("SELECT id, is_opt_out FROM civicrm_contact ORDER BY id")).toEqual([
      { id: ada, is_opt_out: 1 },
      { id: bob, is_opt_out: 0 },
    ]);
  });

  it("works for a dedicated user with only SELECT, UPDATE and DELETE on the mapped tables", async () => {
    await seed();
    const db = connection.database;
    const tables = ["civicrm_contact", "civicrm_email", "civicrm_address", "civicrm_phone", "civicrm_contribution", "civicrm_membership", "civicrm_group_contact", "civicrm_activity", "civicrm_activity_contact"];
    await withDb(async (c) => {
      await c.query("CREATE USER 'rightsdesk_connector'@'127.0.0.1' IDENTIFIED BY 'least-privilege-1'");
      for (const t of tables) await c.query(`GRANT SELECT, UPDATE, DELETE ON ${mysql.escapeId(db)}.${mysql.escapeId(t)} TO 'rightsdesk_connector'@'127.0.0.1'`);
    }, server.admin);
    const limited = await openDatabase({ kind: "mysql", settings: { ...settingsOf(connection), user: "rightsdesk_connector" }, password: "least-privilege-1" }, allowLoopback);
    try {
      const test = await testDatabase(limited, CIVICRM_MAP_YAML);
      if (test.map && !test.map.ok) throw new Error(test.map.problems.map(problemSentence).join("\n"));
      expect(test.map?.ok).toBe(true);
      await correctInDatabase(limited, CIVICRM_MAP_YAML, { email: "ada@example.org", changes: { name: "Ada King" } });
      await unsubscribeInDatabase(limited, CIVICRM_MAP_YAML, "ada@example.org");
      await eraseInDatabase(limited, CIVICRM_MAP_YAML, { email: "ada@example.org", now: NOW, timeZone: "UTC", hashValue });
      expect(await whereTextIs("ada@example.org")).toEqual([]);
      const refused = await limited.allOrNothing((s) => s.change("DELETE FROM civicrm_group WHERE id = ?", [1])).catch((e: unknown) => e);
      expect(describeFailure(refused).sentence).toMatch(/lacks a permission/);
    } finally {
      await limited.close();
    }
  });

  it("stops a statement that runs past the time limit", async () => {
    const quick = await openDatabase({ kind: "mysql", settings: settingsOf(connection), password: connection.password }, allowLoopback, { ...DEFAULT_TIMEOUTS, statementMs: 1_000 });
    try {
      const failed = await quick.readOnly((s) => s.rows("SELECT SLEEP(5) AS slept, COUNT(*) FROM civicrm_contact", [])).catch((e: unknown) => e);
      // MariaDB may end a sleeping statement by answering early (SLEEP gives 1) rather than with an error.
      if (Array.isArray(failed)) expect(failed[0]).toMatchObject({ slept: 1 });
      else expect(describeFailure(failed).sentence).toMatch(/took longer than the time allowed|did not answer in time/);
    } finally {
      await quick.close();
    }
  });

  it("says the database is down while it is, and works again once it is back", async () => {
    await seed();
    await server.halt();
    try {
      const failed = await dryRunErasure(driver, CIVICRM_MAP_YAML, { email: "ada@example.org", now: NOW, timeZone: "UTC" }).catch((e: unknown) => e);
      expect(describeFailure(failed).retry).toBe(true);
      expect(describeFailure(failed).sentence).toMatch(/refused the connection|cut before the system answered|shutting down/);
    } finally {
      await server.resume();
    }
    expect((await dryRunErasure(driver, CIVICRM_MAP_YAML, { email: "ada@example.org", now: NOW, timeZone: "UTC" }))[0]!.deleted).toBe(1);
  });
});
