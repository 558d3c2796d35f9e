/**
 * A MySQL or MariaDB database reached with `mysql2`: a bounded pool with a
 * queue limit, connected to the checked address, statements bound on the
 * server (prepared), a per-session statement time limit (MariaDB's
 * max_statement_time, or MySQL's max_execution_time), dates and large
 * numbers read as the server writes them, and transactions that are either
 * read-only or committed whole.
 */
import mysql from "mysql2/promise";
import { catalogueOf, deleteRuleOf, type Catalogue, type ForeignKey } from "./catalogue";
import type { Row, SqlDialect, SqlSession } from "./database-work";
import type { DatabaseDriver, DriverOptions } from "./driver";

export const mysqlDialect: SqlDialect = {
  // forbidQualified: a name is one identifier, never split on its dots.
  quote: (identifier) => mysql.escapeId(identifier, true),
  table: (name) => mysql.escapeId(name, true),
  param: () => "?",
  // Spaces around an address typed into a CRM do not hide the person, nor do its capitals under a collation that
  // tells case apart (utf8mb4_bin): the address is compared trimmed and in small letters, whatever the collation.
  emailEquals: (column, param) => `LOWER(TRIM(${column})) = ${param}`,
};

type CoreConnection = { query(sql: string, values: unknown[], callback: (error: unknown) => void): void };

export function mysqlDriver(options: DriverOptions): DatabaseDriver {
  const { settings, timeouts } = options;
  const pool = mysql.createPool({
    host: options.pinned.address,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: options.password,
    ssl:
      settings.tls === "off"
        ? undefined
        : { rejectUnauthorized: settings.tls === "verify", ...(options.hostName !== options.pinned.address ? { servername: options.hostName } : {}) },
    connectTimeout: timeouts.connectMs,
    connectionLimit: timeouts.poolSize,
    maxIdle: timeouts.poolSize,
    idleTimeout: timeouts.idleMs,
    // Work waiting for a connection is bounded too: a hung server cannot pile it up.
    queueLimit: 20,
    charset: "utf8mb4",
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    multipleStatements: false,
    maxPreparedStatements: 200,
  });
  const seconds = Math.max(1, Math.round(timeouts.statementMs / 1000));
  pool.pool.on("connection", (connection: CoreConnection) => {
    // MariaDB knows max_statement_time (seconds); MySQL only max_execution_time (milliseconds, for SELECT).
    connection.query("SET SESSION max_statement_time = ?", [seconds], (error) => {
      if (error) connection.query("SET SESSION max_execution_time = ?", [timeouts.statementMs], () => {});
    });
    connection.query("SET SESSION innodb_lock_wait_timeout = ?", [seconds], () => {});
  });
  const statementTimeout = timeouts.statementMs + 2_000;

  const sessionOf = (connection: mysql.PoolConnection): SqlSession => ({
    rows: async (sql, params) => {
      const [rows] = await connection.execute({ sql, values: params as unknown[], timeout: statementTimeout } as mysql.QueryOptions);
      return rows as Row[];
    },
    change: async (sql, params) => {
      const [result] = await connection.execute({ sql, values: params as unknown[], timeout: statementTimeout } as mysql.QueryOptions);
      return (result as mysql.ResultSetHeader).affectedRows ?? 0;
    },
  });

  async function inTransactionThere<T>(begin: string, work: (session: SqlSession) => Promise<T>, commit: boolean): Promise<T> {
    const connection = await pool.getConnection();
    let broken = false;
    try {
      await connection.query({ sql: begin, timeout: statementTimeout });
      try {
        const result = await work(sessionOf(connection));
        await connection.query({ sql: commit ? "COMMIT" : "ROLLBACK", timeout: statementTimeout });
        return result;
      } catch (error) {
        await connection.query("ROLLBACK").catch(() => {
          broken = true;
        });
        throw error;
      }
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      // A connection whose transaction could not be closed is not handed out again.
      if (broken) connection.destroy();
      else connection.release();
    }
  }

  return {
    kind: "mysql",
    dialect: mysqlDialect,
    async serverVersion() {
      const [rows] = await pool.query<mysql.RowDataPacket[]>("SELECT VERSION() AS version");
      return String(rows[0]?.version ?? "MySQL");
    },
    async catalogue(): Promise<Catalogue> {
      return inTransactionThere("START TRANSACTION READ ONLY", async (s) => {
        const columns = await s.rows(
          `SELECT c.TABLE_NAME AS table_name, c.COLUMN_NAME AS column_name, c.DATA_TYPE AS data_type,
                  c.IS_NULLABLE AS is_nullable, c.CHARACTER_MAXIMUM_LENGTH AS max_length
             FROM information_schema.COLUMNS c
             JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
            WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'`,
          [],
        );
        const rules = await s.rows(
          `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name, DELETE_RULE AS delete_rule
             FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`,
          [],
        );
        const ruleOf = new Map(rules.map((r) => [`${String(r.table_name)}\u0000${String(r.constraint_name)}`, deleteRuleOf(String(r.delete_rule))]));
        const keys = await s.rows(
          `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, CONSTRAINT_NAME AS constraint_name,
                  ORDINAL_POSITION AS position, REFERENCED_TABLE_NAME AS ref_table, REFERENCED_COLUMN_NAME AS ref_column
             FROM information_schema.KEY_COLUMN_USAGE
            WHERE TABLE_SCHEMA = DATABASE()
              AND (CONSTRAINT_NAME = 'PRIMARY' OR (REFERENCED_TABLE_NAME IS NOT NULL AND REFERENCED_TABLE_SCHEMA = DATABASE()))
            ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
          [],
        );
        const foreign = new Map<string, ForeignKey>();
        for (const k of keys.filter((k) => k.constraint_name !== "PRIMARY")) {
          const id = `${String(k.table_name)}\u0000${String(k.constraint_name)}`;
          const fk = foreign.get(id) ?? { table: String(k.table_name), refTable: String(k.ref_table), columns: [], refColumns: [], onDelete: ruleOf.get(id) ?? "refuse" };
          fk.columns.push(String(k.column_name));
          fk.refColumns.push(String(k.ref_column));
          foreign.set(id, fk);
        }
        // REFERENTIAL_CONSTRAINTS hides rows from a user with grants on single tables; the table's own definition does not.
        const unknown = [...new Set([...foreign.entries()].filter(([id]) => !ruleOf.has(id)).map(([, fk]) => fk.table))];
        for (const table of unknown) {
          const [definition] = await s.rows(`SHOW CREATE TABLE ${mysql.escapeId(table, true)}`, []);
          const text = String(definition?.["Create Table"] ?? "");
          for (const line of text.split("\n")) {
            const found = /CONSTRAINT `((?:[^`]|``)+)` FOREIGN KEY .* REFERENCES .*?(?:ON DELETE (CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION))?(?: ON UPDATE .*)?,?$/.exec(line.trim());
            const fk = found ? foreign.get(`${table}\u0000${found[1]!.replace(/``/g, "`")}`) : undefined;
            if (fk) fk.onDelete = deleteRuleOf(found![2] ?? "RESTRICT");
          }
        }
        return catalogueOf({
          columns: columns.map((r) => ({
            table: String(r.table_name),
            column: String(r.column_name),
            dataType: String(r.data_type),
            nullable: r.is_nullable === "YES",
            maxLength: r.max_length === null || r.max_length === undefined ? null : Number(r.max_length),
          })),
          primaryKeys: keys
            .filter((k) => k.constraint_name === "PRIMARY")
            .map((k) => ({ table: String(k.table_name), column: String(k.column_name), position: Number(k.position) })),
          foreignKeys: [...foreign.values()],
        });
      }, false);
    },
    readOnly: (work) => inTransactionThere("START TRANSACTION READ ONLY", work, false),
    allOrNothing: (work) => inTransactionThere("START TRANSACTION", work, true),
    close: () => pool.end(),
  };
}
