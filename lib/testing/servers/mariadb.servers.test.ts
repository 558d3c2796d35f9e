import { statSync } from "node:fs";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection, DatabaseServer } from "./database-server";
import { startMariaDb } from "./mariadb";
import { MARIADB } from "./requirements";
import { serviceUser } from "./service-process";

let server: DatabaseServer;
beforeAll(async () => {
  server = await startMariaDb();
  console.log(`[servers] MariaDB started in ${server.startedInMs} ms: ${server.version}`);
});
afterAll(async () => {
  await server?.stop();
});

async function withConnection<T>(options: DatabaseConnection, work: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection(options);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

async function tableCount(options: DatabaseConnection): Promise<number> {
  return withConnection(options, async (connection) => {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()",
    );
    return Number(rows[0]?.n);
  });
}

describe("startMariaDb", () => {
  it("serves MariaDB 10.11 or later on 127.0.0.1", () => {
    expect(server.version).toMatch(/^(10\.(1[1-9])|1[1-9]\.\d+)\.\d+-MariaDB/);
    expect(server.connection.host).toBe("127.0.0.1");
  });

  it("gives an empty database where the ordinary user creates a table, inserts a row and reads it back", async () => {
    expect(await tableCount(server.connection)).toBe(0);
    const rows = await withConnection(server.connection, async (connection) => {
      await connection.query("CREATE TABLE civicrm_email (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(254) NOT NULL, note TEXT)");
      await connection.execute("INSERT INTO civicrm_email (email, note) VALUES (?, ?)", ["ada@example.org", "Zoë's 📧"]);
      const [selected] = await connection.query("SELECT email, note FROM civicrm_email");
      return selected;
    });
    // utf8mb4 throughout: a four-byte character survives the round trip.
    expect(rows).toEqual([{ email: "ada@example.org", note: "Zoë's 📧" }]);
  });

  it("gives the ordinary user rights on its own database only, and the admin connection every right", async () => {
    await expect(withConnection(server.connection, (c) => c.query("CREATE DATABASE not_mine"))).rejects.toThrow(/Access denied/);
    const [grants] = await withConnection(server.admin, (c) => c.query<mysql.RowDataPacket[]>("SHOW GRANTS"));
    expect(JSON.stringify(grants)).toMatch(/GRANT ALL PRIVILEGES ON \*\.\* TO/);
  });

  it("refuses a wrong password, also for root: no account logs in over TCP without its password", async () => {
    await expect(withConnection({ ...server.connection, password: "wrong" }, (c) => c.query("SELECT 1"))).rejects.toThrow(/Access denied/);
    await expect(withConnection({ ...server.admin, password: "" }, (c) => c.query("SELECT 1"))).rejects.toThrow(/Access denied/);
  });

  it("creates another empty database for the same user on request", async () => {
    const other = await server.createDatabase();
    expect(other.database).not.toBe(server.connection.database);
    expect(other.user).toBe(server.connection.user);
    expect(await tableCount(other)).toBe(0);
  });

  // Not root: it runs as whoever runs the tests, and there is no other user to check.
  it.runIf(process.getuid?.() === 0)("runs as the mysql user when the tests run as root", () => {
    expect(statSync(`${server.dir}/mysqld.pid`).uid).toBe(serviceUser(MARIADB.user)?.uid);
  });

  it("halts (connections refused) and resumes on the same port with the data and logins kept", async () => {
    await withConnection(server.connection, (c) => c.query("CREATE TABLE kept (n INT)").then(() => c.query("INSERT INTO kept VALUES (7)")));
    await server.halt();
    await expect(withConnection(server.connection, (c) => c.query("SELECT 1"))).rejects.toThrow(/ECONNREFUSED/);
    await server.resume();
    const [rows] = await withConnection(server.connection, (c) => c.query("SELECT n FROM kept"));
    expect(rows).toEqual([{ n: 7 }]);
  });
});
