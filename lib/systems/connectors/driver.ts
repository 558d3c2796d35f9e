/**
 * What Rightsdesk needs of a database driver, met by postgres.ts and
 * mysql.ts: the catalogue, a read-only transaction (the dry run and the
 * preview), a transaction committed whole or not at all (erasure,
 * correction, unsubscribe), and a pool that can be closed.
 */
import type { ResolvedAddress } from "@/lib/http/outbound-address";
import type { Catalogue } from "./catalogue";
import type { DatabaseKind, DatabaseSettings } from "./connection-settings";
import type { SqlDialect, SqlSession } from "./database-work";

export type Timeouts = {
  /** Opening a connection (and waiting for one from the pool). */
  connectMs: number;
  /** Any one statement. */
  statementMs: number;
  /** An unused connection is closed after this. */
  idleMs: number;
  /** Connections open at once to one system, at most. */
  poolSize: number;
};

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, statementMs: 15_000, idleMs: 30_000, poolSize: 3 };

export type DriverOptions = {
  settings: DatabaseSettings;
  password: string;
  /** The host as the admin wrote it (for TLS) and the checked address connected to. */
  hostName: string;
  pinned: ResolvedAddress;
  timeouts: Timeouts;
};

export type DatabaseDriver = {
  kind: DatabaseKind;
  dialect: SqlDialect;
  serverVersion(): Promise<string>;
  catalogue(): Promise<Catalogue>;
  /** A transaction that cannot write, rolled back at its end. */
  readOnly<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** A transaction committed when `work` resolves, rolled back when it throws. */
  allOrNothing<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};
