/**
 * What staff are told when a connected system fails: a fixed sentence
 * chosen by the error's code, never the server's own message (which can
 * quote the data in a row, or the inside of a network). Whether the work
 * is worth trying again later decides if a task stays open for a retry.
 */
import { CredentialsError } from "./credentials";
import { MapRefusal } from "./database-work";

/**
 * `field`: the connection setting the failure points at, when one does (the
 * password refused, a database that does not exist), so the form names it
 * there; otherwise the address the system was reached at.
 */
export type Failure = { sentence: string; retry: boolean; field?: "password" | "database" | "user" };

const BY_CODE: Record<string, Failure> = {
  // Connecting.
  ECONNREFUSED: { sentence: "the system refused the connection (is it running?)", retry: true },
  ETIMEDOUT: { sentence: "the system did not answer in time", retry: true },
  ECONNRESET: { sentence: "the connection was cut before the system answered", retry: true },
  EHOSTUNREACH: { sentence: "the system's network could not be reached", retry: true },
  ENETUNREACH: { sentence: "the system's network could not be reached", retry: true },
  ENOTFOUND: { sentence: "the system's host name could not be found", retry: true },
  EPIPE: { sentence: "the connection was cut before the system answered", retry: true },
  PROTOCOL_CONNECTION_LOST: { sentence: "the connection was cut before the system answered", retry: true },
  PROTOCOL_SEQUENCE_TIMEOUT: { sentence: "the system did not answer in time", retry: true },
  // PostgreSQL (SQLSTATE).
  "28P01": { sentence: "the database refused the user name or password", retry: true, field: "password" },
  "28000": { sentence: "the database refused the user name or password", retry: true, field: "password" },
  "3D000": { sentence: "the database named in the connection does not exist", retry: true, field: "database" },
  "42501": { sentence: "the database user lacks a permission this needs (see the grants in the README)", retry: true },
  "42P01": { sentence: "a mapped table no longer exists; check the map against the database again", retry: true },
  "42703": { sentence: "a mapped column no longer exists; check the map against the database again", retry: true },
  "23503": { sentence: "the database refused because other rows still refer to these (a foreign key); the map needs to cover them", retry: true },
  "23505": { sentence: "the database refused because the value is already used by another row (a unique key)", retry: false },
  "23502": { sentence: "the database refused an empty value in a column that requires one", retry: false },
  "22001": { sentence: "the database refused a value longer than its column holds; nothing was written", retry: false },
  "57014": { sentence: "a statement took longer than the time allowed and was stopped", retry: true },
  "55P03": { sentence: "the rows were locked by other work in the database for too long", retry: true },
  "40001": { sentence: "the database stopped the work because of other work at the same time", retry: true },
  "40P01": { sentence: "the database stopped the work because of other work at the same time", retry: true },
  "57P01": { sentence: "the database was shutting down", retry: true },
  "57P03": { sentence: "the database is starting up or not accepting connections", retry: true },
  "53300": { sentence: "the database has too many connections", retry: true },
  // MySQL / MariaDB.
  ER_ACCESS_DENIED_ERROR: { sentence: "the database refused the user name or password", retry: true, field: "password" },
  ER_BAD_DB_ERROR: { sentence: "the database named in the connection does not exist", retry: true, field: "database" },
  ER_DBACCESS_DENIED_ERROR: { sentence: "the database user may not use this database", retry: true, field: "user" },
  ER_TABLEACCESS_DENIED_ERROR: { sentence: "the database user lacks a permission this needs (see the grants in the README)", retry: true },
  ER_COLUMNACCESS_DENIED_ERROR: { sentence: "the database user lacks a permission this needs (see the grants in the README)", retry: true },
  ER_NO_SUCH_TABLE: { sentence: "a mapped table no longer exists; check the map against the database again", retry: true },
  ER_BAD_FIELD_ERROR: { sentence: "a mapped column no longer exists; check the map against the database again", retry: true },
  ER_ROW_IS_REFERENCED: { sentence: "the database refused because other rows still refer to these (a foreign key); the map needs to cover them", retry: true },
  ER_ROW_IS_REFERENCED_2: { sentence: "the database refused because other rows still refer to these (a foreign key); the map needs to cover them", retry: true },
  ER_DUP_ENTRY: { sentence: "the database refused because the value is already used by another row (a unique key)", retry: false },
  ER_BAD_NULL_ERROR: { sentence: "the database refused an empty value in a column that requires one", retry: false },
  ER_DATA_TOO_LONG: { sentence: "the database refused a value longer than its column holds; nothing was written", retry: false },
  ER_LOCK_WAIT_TIMEOUT: { sentence: "the rows were locked by other work in the database for too long", retry: true },
  ER_LOCK_DEADLOCK: { sentence: "the database stopped the work because of other work at the same time", retry: true },
  ER_STATEMENT_TIMEOUT: { sentence: "a statement took longer than the time allowed and was stopped", retry: true },
  ER_QUERY_TIMEOUT: { sentence: "a statement took longer than the time allowed and was stopped", retry: true },
  ER_CON_COUNT_ERROR: { sentence: "the database has too many connections", retry: true },
  ER_SERVER_SHUTDOWN: { sentence: "the database was shutting down", retry: true },
};

/** MariaDB's max_statement_time and MySQL's max_execution_time, by number (older drivers name them differently). */
const MYSQL_NUMBERS: Record<number, string> = { 1969: "ER_STATEMENT_TIMEOUT", 3024: "ER_QUERY_TIMEOUT", 1451: "ER_ROW_IS_REFERENCED_2", 1406: "ER_DATA_TOO_LONG" };

/** A system that answered, but not as it should: the sentence is ours, chosen by the caller. */
export class SystemAnswer extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly field?: Failure["field"],
  ) {
    super(message);
  }
}

export function describeFailure(error: unknown): Failure {
  if (error instanceof MapRefusal) return { sentence: error.message, retry: false };
  if (error instanceof CredentialsError) return { sentence: error.message, retry: false };
  if (error instanceof SystemAnswer) return { sentence: error.message, retry: error.retry, ...(error.field ? { field: error.field } : {}) };
  const e = error as { code?: unknown; errno?: unknown; name?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? e.code : typeof e?.errno === "number" ? (MYSQL_NUMBERS[e.errno] ?? "") : "";
  const known = BY_CODE[code];
  if (known) return known;
  const message = typeof e?.message === "string" ? e.message : "";
  if (e?.name === "TimeoutError" || e?.name === "AbortError" || /timeout|timed out/i.test(message)) {
    return { sentence: "the system did not answer in time", retry: true };
  }
  if (/ECONNREFUSED/.test(message)) return BY_CODE.ECONNREFUSED!;
  if (/terminated|Connection terminated|closed/i.test(message)) return BY_CODE.ECONNRESET!;
  if (/ssl|tls|certificate/i.test(message)) return { sentence: "the secure connection failed (check the TLS setting and the server's certificate)", retry: true };
  return { sentence: "the system answered with an error Rightsdesk does not recognise", retry: true };
}
