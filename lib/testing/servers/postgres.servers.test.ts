import { statSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection, DatabaseServer } from "./database-server";
import { startPostgres } from "./postgres";
import { POSTGRES } from "./requirements";
import { serviceUser } from "./service-process";

let server: DatabaseServer;
beforeAll(async () => {
  server = await startPostgres();
  console.log(`[servers] PostgreSQL started in ${server.startedInMs} ms: ${server.version}`);
});
afterAll(async () => {
  await server?.stop();
});

async function withClient<T>(connection: DatabaseConnection, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe("startPostgres", () => {
  it("serves PostgreSQL 15 or later on 127.0.0.1", () => {
    expect(server.version).toMatch(/^PostgreSQL (1[5-9]|[2-9]\d)\./);
    expect(server.connection.host).toBe("127.0.0.1");
  });

  it("gives an empty database where the ordinary user creates a table, inserts a row and reads it back", async () => {
    const rows = await withClient(server.connection, async (client) => {
      const tables = await client.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'");
      expect(tables.rows[0]).toEqual({ n: 0 });
      await client.query("CREATE TABLE supporters (id serial PRIMARY KEY, email text NOT NULL, name text)");
      await client.query("INSERT INTO supporters (email, name) VALUES ($1, $2)", ["ada@example.org", "Ada O'Neill"]);
      return (await client.query("SELECT email, name FROM supporters")).rows;
    });
    expect(rows).toEqual([{ email: "ada@example.org", name: "Ada O'Neill" }]);
  });

  it("gives the ordinary user no superuser rights, and the admin connection every right", async () => {
    const ordinary = await withClient(server.connection, (client) => client.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
    expect(ordinary.rows).toEqual([{ rolsuper: false }]);
    const admin = await withClient(server.admin, (client) => client.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
    expect(admin.rows).toEqual([{ rolsuper: true }]);
  });

  it("refuses a wrong password: logins need the password", async () => {
    await expect(withClient({ ...server.connection, password: "wrong" }, (client) => client.query("SELECT 1"))).rejects.toThrow(
      /password authentication failed/,
    );
  });

  it("creates another empty database for the same user on request", async () => {
    const other = await server.createDatabase();
    expect(other.database).not.toBe(server.connection.database);
    const tables = await withClient(other, (client) =>
      client.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'"),
    );
    expect(tables.rows[0]).toEqual({ n: 0 });
  });

  // Not root: it runs as whoever runs the tests, and there is no other user to check.
  it.runIf(process.getuid?.() === 0)("runs as the postgres user when the tests run as root", () => {
    expect(statSync(`${server.dir}/data/postmaster.pid`).uid).toBe(serviceUser(POSTGRES.user)?.uid);
  });

  it("halts (connections refused) and resumes on the same port with the data kept", async () => {
    await withClient(server.connection, (client) => client.query("CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)"));
    await server.halt();
    await expect(withClient(server.connection, (client) => client.query("SELECT 1"))).rejects.toThrow(/ECONNREFUSED/);
    await server.resume();
    const rows = await withClient(server.connection, (client) => client.query("SELECT n FROM kept"));
    expect(rows.rows).toEqual([{ n: 7 }]);
  });
});
