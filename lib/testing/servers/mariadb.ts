/**
 * A real MariaDB server for a test file: mariadb-install-db into a temporary
 * folder, mariadbd on 127.0.0.1 on a free port (dropping to the mysql user by
 * its own --user when the tests run as root), password logins only over TCP,
 * and an empty database for an ordinary user. Only tests import this.
 *
 *   const server = await startMariaDb();              // in beforeAll
 *   const connection = await mysql.createConnection(server.connection);
 *   await server.stop();                               // in afterAll
 */
import { existsSync } from "node:fs";
import path from "node:path";
import mysql from "mysql2/promise";
import {
  type DatabaseConnection,
  type DatabaseServer,
  newDatabaseName,
  newPassword,
  TEST_DATABASE,
  TEST_USER,
} from "./database-server";
import { locatePrograms, MARIADB } from "./requirements";
import { makeServerDir, runToEnd, serviceUser, startServerProcess, writePrivateFile } from "./service-process";

const HOST = "127.0.0.1";
const SUPERUSER = "root";

/**
 * Small and fast rather than durable: a throwaway server needs no crash safety.
 * Given to mariadb-install-db too, which hands them to the server it bootstraps.
 */
const SERVER_SETTINGS = [
  "--innodb-log-file-size=8M",
  "--innodb-buffer-pool-size=32M",
  "--innodb-flush-log-at-trx-commit=0",
  "--innodb-doublewrite=0",
  "--innodb-flush-method=nosync",
];

export async function startMariaDb(): Promise<DatabaseServer> {
  const began = Date.now();
  const programs = locatePrograms(MARIADB, existsSync);
  if (!programs) throw new Error("MariaDB is not installed: `npm test` installs it (Debian's mariadb-server package) before the tests run.");
  const user = serviceUser(MARIADB.user);
  // mariadbd drops to this user itself (its --user), which it only does when started as root.
  const runAs = user ? [`--user=${user.name}`] : [];
  const folder = makeServerDir("rightsdesk-mariadb-", user, "SIGTERM");
  const dir = folder.path;
  const dataDir = path.join(dir, "data");
  const logPath = path.join(dir, "server.log");
  const socketPath = path.join(dir, "mysqld.sock");
  const initFile = path.join(dir, "init.sql");
  const adminPassword = newPassword();
  const userPassword = newPassword();

  try {
    // root@localhost is left to unix-socket logins by the account that runs the tests; no account can log in over TCP without a password.
    await runToEnd([
      programs.installDb,
      "--no-defaults",
      `--datadir=${dataDir}`,
      ...runAs,
      "--auth-root-authentication-method=socket",
      "--skip-test-db",
      "--skip-name-resolve",
      ...SERVER_SETTINGS,
    ]);
    // The server runs this file on every start, before it accepts connections: so it is written to be run again.
    writePrivateFile(
      initFile,
      [
        `CREATE USER IF NOT EXISTS '${SUPERUSER}'@'${HOST}' IDENTIFIED BY '${adminPassword}';`,
        `GRANT ALL PRIVILEGES ON *.* TO '${SUPERUSER}'@'${HOST}' WITH GRANT OPTION;`,
        `CREATE DATABASE IF NOT EXISTS ${TEST_DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
        `CREATE USER IF NOT EXISTS '${TEST_USER}'@'${HOST}' IDENTIFIED BY '${userPassword}';`,
        `GRANT ALL PRIVILEGES ON ${TEST_DATABASE}.* TO '${TEST_USER}'@'${HOST}';`,
        "",
      ].join("\n"),
      user,
    );
  } catch (err) {
    folder.remove();
    throw err;
  }

  const ordinary = (port: number, database: string): DatabaseConnection => ({
    host: HOST,
    port,
    user: TEST_USER,
    password: userPassword,
    database,
  });
  const admin = (port: number): DatabaseConnection => ({ host: HOST, port, user: SUPERUSER, password: adminPassword, database: "mysql" });

  let version = "MariaDB";
  const running = await startServerProcess({
    what: "MariaDB",
    dir: folder,
    logPath,
    logPaths: [logPath],
    commandLine: (port) => [
      programs.mariadbd,
      // Only these settings: never the machine's /etc/mysql.
      "--no-defaults",
      `--datadir=${dataDir}`,
      ...runAs,
      `--port=${port}`,
      `--bind-address=${HOST}`,
      `--socket=${socketPath}`,
      `--pid-file=${path.join(dir, "mysqld.pid")}`,
      `--init-file=${initFile}`,
      "--skip-name-resolve",
      "--skip-log-bin",
      "--character-set-server=utf8mb4",
      "--collation-server=utf8mb4_unicode_ci",
      ...SERVER_SETTINGS,
    ],
    ready: async (port) => {
      version = await withConnection(ordinary(port, TEST_DATABASE), async (connection) => {
        const [rows] = await connection.query<mysql.RowDataPacket[]>("SELECT VERSION() AS version");
        return String(rows[0]?.version ?? "MariaDB");
      });
    },
  });

  const port = running.port;
  return {
    ...running,
    startedInMs: Date.now() - began,
    version,
    connection: ordinary(port, TEST_DATABASE),
    admin: admin(port),
    async createDatabase() {
      const name = newDatabaseName();
      await withConnection(admin(port), async (connection) => {
        await connection.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
        await connection.query(`GRANT ALL PRIVILEGES ON ${name}.* TO '${TEST_USER}'@'${HOST}'`);
      });
      return ordinary(port, name);
    },
    dir,
    logPath,
  };
}

async function withConnection<T>(options: DatabaseConnection, work: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection({ ...options, connectTimeout: 5_000 });
  try {
    return await work(connection);
  } finally {
    await connection.end().catch(() => {});
  }
}
