/**
 * What a test gets from a database server the harness started: how to reach
 * a ready-made empty database, how to reach the server as its superuser, and
 * the controls of the process. Only tests import this.
 */
import { randomBytes } from "node:crypto";
import type { ServerProcess } from "./service-process";

/** Everything a driver needs to connect (`pg`'s and `mysql2`'s options take these names). */
export type DatabaseConnection = {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
};

export type DatabaseServer = Omit<ServerProcess, "port"> & {
  /** How long the start took, from nothing to a ready database, in milliseconds. */
  startedInMs: number;
  /** The server's own name for its version, e.g. "PostgreSQL 15.18 …" or "10.11.19-MariaDB-…". */
  version: string;
  /** An empty database owned by an ordinary (not super) user, ready when the server is. */
  connection: DatabaseConnection;
  /** The server's superuser on its maintenance database: for tests that create users or grants. */
  admin: DatabaseConnection;
  /** Another empty database, owned by the same ordinary user, so each test can have its own. */
  createDatabase(): Promise<DatabaseConnection>;
  /** The server's temporary folder (data, socket, log), deleted by `stop`. */
  dir: string;
  logPath: string;
};

/** The ordinary user and the ready-made database, the same name on every server. */
export const TEST_USER = "rightsdesk";
export const TEST_DATABASE = "rightsdesk_test";

/** A password that needs no quoting anywhere (hex). */
export function newPassword(): string {
  return randomBytes(18).toString("hex");
}

/** A database name no earlier call gave, safe as an unquoted identifier on both servers. */
export function newDatabaseName(): string {
  return `test_${randomBytes(6).toString("hex")}`;
}
