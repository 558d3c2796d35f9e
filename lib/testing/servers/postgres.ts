/**
 * A real PostgreSQL server for a test file: initdb into a temporary folder,
 * postgres on 127.0.0.1 on a free port (as the postgres user when the tests
 * run as root, since PostgreSQL refuses root), password logins only, and an
 * empty database owned by an ordinary user. Only tests import this.
 *
 *   const server = await startPostgres();            // in beforeAll
 *   const client = new pg.Client(server.connection);
 *   await server.stop();                              // in afterAll
 */
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import {
  type DatabaseConnection,
  type DatabaseServer,
  newDatabaseName,
  newPassword,
  TEST_DATABASE,
  TEST_USER,
} from "./database-server";
import { locatePrograms, POSTGRES } from "./requirements";
import { asUser, makeServerDir, runToEnd, serviceUser, startServerProcess, writePrivateFile } from "./service-process";

const HOST = "127.0.0.1";
const SUPERUSER = "postgres";

export async function startPostgres(): Promise<DatabaseServer> {
  const began = Date.now();
  const programs = locatePrograms(POSTGRES, existsSync);
  if (!programs) throw new Error("PostgreSQL is not installed: `npm test` installs it (Debian's postgresql package) before the tests run.");
  const user = serviceUser(POSTGRES.user);
  // Fast shutdown: open connections are ended rather than waited for.
  const folder = makeServerDir("rightsdesk-postgres-", user, "SIGINT");
  const dir = folder.path;
  const dataDir = path.join(dir, "data");
  const logPath = path.join(dir, "server.log");
  const adminPassword = newPassword();
  const userPassword = newPassword();

  try {
    const passwordFile = path.join(dir, "superuser-password");
    writePrivateFile(passwordFile, `${adminPassword}\n`, user);
    // --no-sync and the settings below trade crash safety, which a throwaway server does not need, for speed.
    await runToEnd(
      asUser(user, [
        programs.initdb,
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
        "--no-instructions",
      ]),
    );
  } catch (err) {
    folder.remove();
    throw err;
  }

  const admin = (port: number, database = SUPERUSER): DatabaseConnection => ({
    host: HOST,
    port,
    user: SUPERUSER,
    password: adminPassword,
    database,
  });
  const running = await startServerProcess({
    what: "PostgreSQL",
    dir: folder,
    logPath,
    logPaths: [logPath],
    commandLine: (port) =>
      asUser(user, [
        programs.postgres,
        "-D",
        dataDir,
        "-p",
        String(port),
        "-c",
        `listen_addresses=${HOST}`,
        "-c",
        `unix_socket_directories=${dir}`,
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "shared_buffers=32MB",
        "-c",
        "max_connections=40",
      ]),
    ready: async (port) => {
      await withClient(admin(port), (client) => client.query("SELECT 1"));
    },
  });

  const port = running.port;
  const version = await withClient(admin(port), async (client) => {
    await client.query(`CREATE ROLE ${TEST_USER} LOGIN PASSWORD ${client.escapeLiteral(userPassword)}`);
    await client.query(`CREATE DATABASE ${TEST_DATABASE} OWNER ${TEST_USER}`);
    const row = await client.query<{ version: string }>("SELECT version()");
    return row.rows[0]?.version ?? "PostgreSQL";
  }).catch(async (err: unknown) => {
    await running.stop();
    throw err;
  });

  const ordinary = (database: string): DatabaseConnection => ({ host: HOST, port, user: TEST_USER, password: userPassword, database });
  return {
    ...running,
    startedInMs: Date.now() - began,
    version,
    connection: ordinary(TEST_DATABASE),
    admin: admin(port),
    async createDatabase() {
      const name = newDatabaseName();
      await withClient(admin(port), (client) => client.query(`CREATE DATABASE ${name} OWNER ${TEST_USER}`));
      return ordinary(name);
    },
    dir,
    logPath,
  };
}

async function withClient<T>(connection: DatabaseConnection, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...connection, connectionTimeoutMillis: 5_000 });
  // A server going down mid-query emits 'error' on the client; the query's own rejection carries it.
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}
