/**
 * A PostgreSQL database reached with `pg`: a bounded pool connected to the
 * checked address, with connect, statement, lock and idle-in-transaction
 * timeouts, dates read as the server writes them (never shifted by this
 * machine's time zone), and transactions that are either read-only or
 * committed whole.
 */
import pg from "pg";
import type { Catalogue } from "./catalogue";
import { catalogueOf, deleteRuleOf } from "./catalogue";
import type { DatabaseDriver, DriverOptions } from "./driver";
import type { Row, SqlDialect, SqlSession } from "./database-work";

/** date, time, timestamp, timestamptz, timetz: kept as the server's text. */
const DATE_TYPES = new Set([1082, 1083, 1114, 1184, 1266]);

export function postgresDialect(schema: string): SqlDialect {
  return {
    quote: (identifier) => pg.escapeIdentifier(identifier),
    table: (name) => `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(name)}`,
    param: (n) => `$${n}`,
    // Spaces around an address typed into a CRM, and its capitals, do not hide the person: index lower(btrim(email)).
    emailEquals: (column, param) => `lower(btrim(${column})) = ${param}`,
  };
}

export function postgresDriver(options: DriverOptions): DatabaseDriver {
  const { settings, timeouts } = options;
  const pool = new pg.Pool({
    host: options.pinned.address,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: options.password,
    ssl:
      settings.tls === "off"
        ? false
        : { rejectUnauthorized: settings.tls === "verify", ...(options.hostName !== options.pinned.address ? { servername: options.hostName } : {}) },
    max: timeouts.poolSize,
    connectionTimeoutMillis: timeouts.connectMs,
    idleTimeoutMillis: timeouts.idleMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.statementMs + 2_000,
    lock_timeout: timeouts.statementMs,
    idle_in_transaction_session_timeout: timeouts.statementMs * 2,
    application_name: "rightsdesk",
    types: { getTypeParser: ((oid: number, format?: "text" | "binary") => (DATE_TYPES.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  } as pg.PoolConfig);
  // A server going away emits 'error' on idle clients; the next query's own failure says what happened.
  pool.on("error", () => {});
  const dialect = postgresDialect(settings.schema);

  const sessionOf = (client: pg.PoolClient): SqlSession => ({
    rows: async (sql, params) => (await client.query(sql, params as unknown[])).rows as Row[],
    change: async (sql, params) => (await client.query(sql, params as unknown[])).rowCount ?? 0,
  });

  async function inTransactionThere<T>(begin: string, work: (session: SqlSession) => Promise<T>, commit: boolean): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      try {
        const result = await work(sessionOf(client));
        await client.query(commit ? "COMMIT" : "ROLLBACK");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {
          broken = true;
        });
        throw error;
      }
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      // A client whose transaction could not be closed is not handed out again.
      client.release(broken ? true : undefined);
    }
  }

  return {
    kind: "postgres",
    dialect,
    async serverVersion() {
      const { rows } = await pool.query<{ version: string }>("SELECT version() AS version");
      return rows[0]?.version.split(" on ")[0] ?? "PostgreSQL";
    },
    async catalogue(): Promise<Catalogue> {
      return inTransactionThere("BEGIN READ ONLY", async (s) => {
        const columns = await s.rows(
          `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.character_maximum_length
             FROM information_schema.columns c
             JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE'`,
          [settings.schema],
        );
        const primaryKeys = await s.rows(
          `SELECT kcu.table_name, kcu.column_name, kcu.ordinal_position
             FROM information_schema.table_constraints tc
             JOIN information_schema.key_column_usage kcu
               ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
            WHERE tc.table_schema = $1 AND tc.constraint_type = 'PRIMARY KEY'`,
          [settings.schema],
        );
        // information_schema pairs the columns of a key of several columns badly; pg_constraint keeps their order.
        const foreignKeys = await s.rows(
          `SELECT src.relname AS table_name, dst.relname AS ref_table, c.confdeltype::text AS on_delete,
                  ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i)
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
                  ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i)
                          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS ref_columns
             FROM pg_constraint c
             JOIN pg_class src ON src.oid = c.conrelid JOIN pg_namespace sn ON sn.oid = src.relnamespace
             JOIN pg_class dst ON dst.oid = c.confrelid JOIN pg_namespace dn ON dn.oid = dst.relnamespace
            WHERE c.contype = 'f' AND sn.nspname = $1 AND dn.nspname = $1`,
          [settings.schema],
        );
        return catalogueOf({
          columns: columns.map((r) => ({
            table: String(r.table_name),
            column: String(r.column_name),
            dataType: String(r.data_type),
            nullable: r.is_nullable === "YES",
            maxLength: r.character_maximum_length === null ? null : Number(r.character_maximum_length),
          })),
          primaryKeys: primaryKeys.map((r) => ({ table: String(r.table_name), column: String(r.column_name), position: Number(r.ordinal_position) })),
          foreignKeys: foreignKeys.map((r) => ({
            table: String(r.table_name),
            refTable: String(r.ref_table),
            columns: (r.columns as string[]).map(String),
            refColumns: (r.ref_columns as string[]).map(String),
            onDelete: deleteRuleOf(String(r.on_delete)),
          })),
        });
      }, false);
    },
    readOnly: (work) => inTransactionThere("BEGIN READ ONLY", work, false),
    allOrNothing: (work) => inTransactionThere("BEGIN", work, true),
    close: () => pool.end(),
  };
}
