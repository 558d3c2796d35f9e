/**
 * What Rightsdesk does in a connected database, the same for PostgreSQL and
 * MySQL/MariaDB: find a supporter's rows through the checked map, count what
 * an erasure would do, and carry out an erasure, a correction or an
 * unsubscribe. Statements are built only from the catalogue's identifiers,
 * quoted by the driver's own quoting (the dialect), and every value is a
 * bound parameter. The caller holds the transaction (see the drivers).
 */
import { calendarDateIn, keepPeriodStart } from "@/lib/calendar/dates";
import type { Cascade, CheckedMap } from "./catalogue";
import { correctedValue, DATA_CATEGORY_LABELS, type CorrectionSource, type DataCategory, type Scalar, type TableMap } from "./dataset-map";

export type Row = Record<string, unknown>;

/** How one server writes what the statements need. */
export type SqlDialect = {
  /** A column name, quoted by the driver's own function. */
  quote(identifier: string): string;
  /** A table name, quoted (and, on PostgreSQL, qualified by the connection's schema). */
  table(name: string): string;
  /** The n-th (1-based) bound parameter. */
  param(n: number): string;
  /** The test that finds the supporter's address (given trimmed, in small letters): the column's spaces and capitals ignored. */
  emailEquals(quotedColumn: string, param: string): string;
};

/** One connection inside a transaction the driver opened. */
export type SqlSession = {
  rows(sql: string, params: readonly unknown[]): Promise<Row[]>;
  /** Runs a statement that changes rows; resolves with how many it changed. */
  change(sql: string, params: readonly unknown[]): Promise<number>;
};

/** Values per statement in an IN list: well under both servers' limits on parameters. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A value as the export and the keep rule read it: text, number, true/false or null. */
export function plainValue(value: unknown): Scalar {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value)) return `base64:${value.toString("base64")}`;
  return JSON.stringify(value);
}

function keyOf(row: Row, primaryKey: readonly string[]): string {
  return JSON.stringify(primaryKey.map((c) => plainValue(row[c])));
}

/** `pk IN (…)`, or `(a, b) IN ((…), …)` for a key of several columns, with its parameters from `first` on. */
function keyFilter(dialect: SqlDialect, primaryKey: readonly string[], rows: readonly Row[], first: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  let n = first;
  const tuple = (row: Row) => {
    const places = primaryKey.map((c) => {
      params.push(row[c]);
      return dialect.param(n++);
    });
    return places.length === 1 ? places[0]! : `(${places.join(", ")})`;
  };
  const columns = primaryKey.length === 1 ? dialect.quote(primaryKey[0]!) : `(${primaryKey.map((c) => dialect.quote(c)).join(", ")})`;
  return { sql: `${columns} IN (${rows.map(tuple).join(", ")})`, params };
}

/** The columns a table's statements read: its key, its joins, and every mapped column. */
function columnsToRead(checked: CheckedMap, table: string): string[] {
  const map = checked.map.tables[table]!;
  const wanted = new Set<string>(checked.tables.get(table)!.primaryKey);
  if (map.join) wanted.add(map.join.column);
  for (const other of Object.values(checked.map.tables)) {
    if (other.parent === table && other.join) wanted.add(other.join.parentColumn);
  }
  for (const column of Object.keys(map.columns)) wanted.add(column);
  if (map.erase.rule === "keep") wanted.add(map.erase.keep.from);
  // What rows of tables the map leaves out refer to, when the database deletes them along with these (counted so).
  for (const cascade of checked.cascadesFrom?.get(checked.tables.get(table)!.name) ?? []) {
    for (const column of cascade.foreignKey.refColumns) wanted.add(column);
  }
  // Only names the catalogue knows: the map's names were checked against it, and are taken from it here.
  const catalogueColumns = checked.tables.get(table)!.columns;
  return [...wanted].map((c) => catalogueColumns.get(c)!.name);
}

export type GatheredRows = Map<string, Row[]>;

/**
 * Every mapped table's rows for the address: the supporter table's rows
 * whose email column matches, then each table's rows joined to rows
 * already found, outwards. `lock` takes the rows for update, so an erasure
 * or correction changes exactly the rows it counted.
 */
export async function gatherRows(session: SqlSession, dialect: SqlDialect, checked: CheckedMap, email: string, options: { lock: boolean }): Promise<GatheredRows> {
  const found: GatheredRows = new Map();
  const lock = options.lock ? " FOR UPDATE" : "";
  for (const table of checked.joinOrder) {
    const map = checked.map.tables[table]!;
    const catalogueTable = checked.tables.get(table)!;
    const select = `SELECT ${columnsToRead(checked, table).map((c) => dialect.quote(c)).join(", ")} FROM ${dialect.table(catalogueTable.name)}`;
    if (!map.parent || !map.join) {
      const emailColumn = dialect.quote(catalogueTable.columns.get(checked.map.supporter.email)!.name);
      found.set(table, await session.rows(`${select} WHERE ${dialect.emailEquals(emailColumn, dialect.param(1))}${lock}`, [email.trim().toLowerCase()]));
      continue;
    }
    const parentRows = found.get(map.parent) ?? [];
    const values = [...new Map(parentRows.map((r) => [JSON.stringify(plainValue(r[map.join!.parentColumn])), r[map.join!.parentColumn]])).values()].filter(
      (v) => v !== null && v !== undefined,
    );
    const rows: Row[] = [];
    const seen = new Set<string>();
    const joinColumn = dialect.quote(catalogueTable.columns.get(map.join.column)!.name);
    for (const part of chunks(values)) {
      const places = part.map((_, i) => dialect.param(i + 1)).join(", ");
      for (const row of await session.rows(`${select} WHERE ${joinColumn} IN (${places})${lock}`, part)) {
        const key = keyOf(row, catalogueTable.primaryKey);
        if (!seen.has(key)) {
          seen.add(key);
          rows.push(row);
        }
      }
    }
    found.set(table, rows);
  }
  return found;
}

/**
 * Each row once: where two entries of the map stand for one table (the
 * supporter's own address, then all of the person's addresses), a row the
 * earlier entry found is not counted or shown again under the later one.
 */
export function distinctRows(checked: CheckedMap, gathered: GatheredRows): GatheredRows {
  const claimed = new Map<string, Set<string>>();
  const out: GatheredRows = new Map();
  for (const entry of checked.joinOrder) {
    const table = checked.tables.get(entry)!;
    const seen = claimed.get(table.name) ?? new Set<string>();
    claimed.set(table.name, seen);
    out.set(
      entry,
      (gathered.get(entry) ?? []).filter((row) => {
        const key = keyOf(row, table.primaryKey);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------
// What the access export shows
// ---------------------------------------------------------------------------

export type ExportedTable = {
  table: string;
  label: string;
  /** The category of each mapped column, in the map's order. */
  columns: Array<{ name: string; category: DataCategory; categoryLabel: string }>;
  rows: Array<Record<string, Scalar>>;
};

/** The mapped columns of every table's rows, for the supporter's export (keys and joins only where mapped). */
export function exportedTables(checked: CheckedMap, gathered: GatheredRows): ExportedTable[] {
  const distinct = distinctRows(checked, gathered);
  return checked.joinOrder.map((table) => {
    const map = checked.map.tables[table]!;
    const columns = Object.entries(map.columns).map(([name, c]) => ({ name, category: c.category, categoryLabel: DATA_CATEGORY_LABELS[c.category] }));
    const rows = (distinct.get(table) ?? []).map((row) => Object.fromEntries(columns.map((c) => [c.name, plainValue(row[c.name])])));
    return { table, label: map.label ?? table, columns, rows };
  });
}

// ---------------------------------------------------------------------------
// Erasure: one plan, counted by the dry run and carried out by the erasure
// ---------------------------------------------------------------------------

export type TableErasureCount = {
  table: string;
  label: string;
  /** Rows deleted. */
  deleted: number;
  /** Rows kept with their mapped columns emptied, replaced or hashed. */
  masked: number;
  /** Rows kept under a keep rule (their columns masked as the map says), and why. */
  kept: number;
  keptWhy: string | null;
  /** The keep rule's years and reason (the map's own words), when rows were kept: the supporter's email says them in its language. */
  keptFor?: { years: number; reason: string } | null;
};

type TablePlan = TableErasureCount & { toDelete: Row[]; toMask: Row[] };

/** A date and time with its offset from UTC, as PostgreSQL writes a timestamptz ("2020-11-30 23:30:00-08", "…+05:30"). */
const WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?:(Z)|([+-]\d{2})(?::?(\d{2}))?(?::?\d{2})?)$/;

/**
 * The calendar day a date value stands for, or null (a row without a date is
 * outside any keep period). A moment with its offset (a timestamptz, which
 * PostgreSQL writes in the connection's own zone) is the organisation's day
 * at that moment, as the keep period is counted in `timeZone`; a date, or a
 * date and time without a zone (CiviCRM's wall-clock times), is its own day.
 */
export function dayOf(value: unknown, timeZone: string): string | null {
  const v = plainValue(value);
  if (typeof v !== "string") return null;
  const moment = WITH_OFFSET.exec(v.trim());
  if (moment) {
    const [, date, time, utc, hours, minutes] = moment;
    const at = new Date(`${date}T${time}${utc ? "Z" : `${hours}:${minutes ?? "00"}`}`);
    if (!Number.isNaN(at.getTime())) return calendarDateIn(at, timeZone);
  }
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(v)?.[1];
  return day ?? null;
}

function hasMask(map: TableMap): boolean {
  return Object.values(map.columns).some((c) => c.erase.rule !== "keep");
}

/** `timeZone`: the organisation's, whose calendar day a keep rule's period is counted back from. */
export function planErasure(checked: CheckedMap, gathered: GatheredRows, now: Date, timeZone: string): TablePlan[] {
  const distinct = distinctRows(checked, gathered);
  return checked.joinOrder.map((table) => {
    const map = checked.map.tables[table]!;
    const rows = distinct.get(table) ?? [];
    const base = {
      table,
      label: map.label ?? table,
      deleted: 0,
      masked: 0,
      kept: 0,
      keptWhy: null as string | null,
      keptFor: null as TableErasureCount["keptFor"],
      toDelete: [] as Row[],
      toMask: [] as Row[],
    };
    if (map.erase.rule === "delete") return { ...base, deleted: rows.length, toDelete: rows };
    if (map.erase.rule === "mask") return { ...base, masked: rows.length, toMask: hasMask(map) ? rows : [] };
    const { years, from, reason } = map.erase.keep;
    const cutoff = keepPeriodStart(now, years, timeZone);
    const inside = rows.filter((r) => {
      const day = dayOf(r[from], timeZone);
      return day !== null && day >= cutoff;
    });
    const outside = rows.filter((r) => !inside.includes(r));
    return {
      ...base,
      deleted: outside.length,
      kept: inside.length,
      keptWhy: inside.length > 0 ? `${reason} (kept for ${years} ${years === 1 ? "year" : "years"} from ${from})` : null,
      keptFor: inside.length > 0 ? { years, reason } : null,
      toDelete: outside,
      toMask: hasMask(map) ? inside : [],
    };
  });
}

function countsOf(plan: TablePlan[]): TableErasureCount[] {
  return plan.map(({ toDelete: _d, toMask: _m, ...count }) => count);
}

/** The label under which rows the database deletes by itself are counted: the table's own name, and why. */
function cascadeLabel(table: string): string {
  return `${table} (deleted by the database with the rows they refer to)`;
}

/**
 * The rows of tables the map leaves out that the database will delete by
 * itself (ON DELETE CASCADE, followed as far as it goes) when the plan's rows
 * are deleted, counted per table before anything is deleted: the dry run and
 * the receipt then say all that an erasure deletes, not only what the map
 * names. Each row once, however many paths reach it (by its primary key,
 * when it has one). A table the connection's user may not read is not in the
 * catalogue, so not counted (see the README's grants).
 */
async function cascadedDeletions(session: SqlSession, dialect: SqlDialect, checked: CheckedMap, plan: readonly TablePlan[]): Promise<TableErasureCount[]> {
  const cascadesFrom = checked.cascadesFrom;
  if (!cascadesFrom || cascadesFrom.size === 0) return [];
  const counts = new Map<string, number>();
  const seen = new Map<string, Set<string>>();
  const follow = async (cascades: readonly Cascade[], parents: readonly Row[]): Promise<void> => {
    for (const { foreignKey, table, next } of cascades) {
      // The referring columns' values, taken from the referred-to rows; a row with an empty one refers to nothing.
      const tuples = new Map<string, Row>();
      for (const parent of parents) {
        const values = foreignKey.refColumns.map((c) => parent[c]);
        if (values.some((v) => v === null || v === undefined)) continue;
        tuples.set(JSON.stringify(values.map(plainValue)), Object.fromEntries(foreignKey.columns.map((c, i) => [c, values[i]])));
      }
      if (tuples.size === 0) continue;
      const wanted = [...new Set([...table.primaryKey, ...next.flatMap((n) => n.foreignKey.refColumns)])];
      const select = wanted.length > 0 ? wanted.map((c) => dialect.quote(c)).join(", ") : "1 AS one";
      const rows: Row[] = [];
      for (const part of chunks([...tuples.values()])) {
        const filter = keyFilter(dialect, foreignKey.columns, part, 1);
        rows.push(...(await session.rows(`SELECT ${select} FROM ${dialect.table(table.name)} WHERE ${filter.sql}`, filter.params)));
      }
      const known = seen.get(table.name) ?? new Set<string>();
      seen.set(table.name, known);
      const fresh =
        table.primaryKey.length === 0
          ? rows
          : rows.filter((row) => {
              const key = keyOf(row, table.primaryKey);
              if (known.has(key)) return false;
              known.add(key);
              return true;
            });
      counts.set(table.name, (counts.get(table.name) ?? 0) + fresh.length);
      if (next.length > 0 && fresh.length > 0) await follow(next, fresh);
    }
  };
  // The rows the erasure deletes, table by table, each once whatever entries of the map found it.
  const deleted = new Map<string, Map<string, Row>>();
  for (const p of plan) {
    const table = checked.tables.get(p.table)!;
    const rows = deleted.get(table.name) ?? new Map<string, Row>();
    for (const row of p.toDelete) rows.set(keyOf(row, table.primaryKey), row);
    deleted.set(table.name, rows);
  }
  for (const [name, rows] of deleted) {
    const cascades = cascadesFrom.get(name);
    if (cascades && rows.size > 0) await follow(cascades, [...rows.values()]);
  }
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([table, n]) => ({ table, label: cascadeLabel(table), deleted: n, masked: 0, kept: 0, keptWhy: null, keptFor: null }));
}

/** The dry run: what an erasure would do now, per table, changing nothing. */
export async function countErasure(
  session: SqlSession,
  dialect: SqlDialect,
  checked: CheckedMap,
  input: { email: string; now: Date; timeZone: string },
): Promise<TableErasureCount[]> {
  const plan = planErasure(checked, await gatherRows(session, dialect, checked, input.email, { lock: false }), input.now, input.timeZone);
  return [...countsOf(plan), ...(await cascadedDeletions(session, dialect, checked, plan))];
}

/**
 * The erasure, inside the driver's transaction: the rows are found and
 * locked, masked rows are changed first (which may empty a column that
 * refers to a deleted row), then rows are deleted, tables that refer to
 * others before the tables they refer to.
 */
export async function carryOutErasure(
  session: SqlSession,
  dialect: SqlDialect,
  checked: CheckedMap,
  input: { email: string; now: Date; timeZone: string; hashValue: (value: string) => string },
): Promise<TableErasureCount[]> {
  const plan = planErasure(checked, await gatherRows(session, dialect, checked, input.email, { lock: true }), input.now, input.timeZone);
  // Counted before anything is deleted: afterwards the database has taken them away. Read, not locked (the user needs
  // only SELECT there): the referred-to rows are locked, so no new row can come to refer to them meanwhile.
  const cascaded = await cascadedDeletions(session, dialect, checked, plan);
  const byTable = new Map(plan.map((p) => [p.table, p]));
  for (const p of plan) {
    if (p.toMask.length > 0) await maskRows(session, dialect, checked, p.table, p.toMask, input.hashValue);
  }
  for (const table of checked.deleteOrder) {
    const p = byTable.get(table);
    if (!p || p.toDelete.length === 0) continue;
    const primaryKey = checked.tables.get(table)!.primaryKey;
    // A row the database already removed by a cascade from an earlier table is still counted where the map put it.
    for (const part of chunks(p.toDelete)) {
      const filter = keyFilter(dialect, primaryKey, part, 1);
      await session.change(`DELETE FROM ${dialect.table(checked.tables.get(table)!.name)} WHERE ${filter.sql}`, filter.params);
    }
  }
  return [...countsOf(plan), ...cascaded];
}

async function maskRows(session: SqlSession, dialect: SqlDialect, checked: CheckedMap, table: string, rows: Row[], hashValue: (value: string) => string): Promise<void> {
  const map = checked.map.tables[table]!;
  const catalogueTable = checked.tables.get(table)!;
  const primaryKey = catalogueTable.primaryKey;
  const rules = Object.entries(map.columns).filter(([, c]) => c.erase.rule !== "keep");
  for (const part of chunks(rows)) {
    const params: unknown[] = [];
    const next = () => dialect.param(params.length + 1);
    const sets = rules.map(([column, c]) => {
      const quoted = dialect.quote(catalogueTable.columns.get(column)!.name);
      if (c.erase.rule === "null") return `${quoted} = NULL`;
      if (c.erase.rule === "value") {
        const place = next();
        params.push(c.erase.value);
        return `${quoted} = ${place}`;
      }
      // A keyed hash differs row by row: one CASE over the rows' keys.
      const cases = part.map((row) => {
        const conditions = primaryKey.map((k) => {
          const place = next();
          params.push(row[k]);
          return `${dialect.quote(k)} = ${place}`;
        });
        const place = next();
        const value = plainValue(row[column]);
        params.push(value === null ? null : hashValue(String(value)));
        return `WHEN ${conditions.join(" AND ")} THEN ${place}`;
      });
      return `${quoted} = CASE ${cases.join(" ")} END`;
    });
    const filter = keyFilter(dialect, primaryKey, part, params.length + 1);
    await session.change(`UPDATE ${dialect.table(catalogueTable.name)} SET ${sets.join(", ")} WHERE ${filter.sql}`, [...params, ...filter.params]);
  }
}

// ---------------------------------------------------------------------------
// Correction and unsubscribe
// ---------------------------------------------------------------------------

export type CorrectionChanges = Partial<Record<CorrectionSource, string>>;
export type ColumnsWritten = { table: string; label: string; columns: string[]; rows: number };

/** A change the database cannot hold, said in a sentence before anything is written. */
export class MapRefusal extends Error {}

/** Writes the accepted corrections to every column the map allows, inside the driver's transaction. */
export async function carryOutCorrection(
  session: SqlSession,
  dialect: SqlDialect,
  checked: CheckedMap,
  input: { email: string; changes: CorrectionChanges },
): Promise<ColumnsWritten[]> {
  const writes: Array<{ table: string; sets: Array<{ column: string; value: string }> }> = [];
  for (const table of checked.joinOrder) {
    const map = checked.map.tables[table]!;
    const sets: Array<{ column: string; value: string }> = [];
    for (const [column, c] of Object.entries(map.columns)) {
      const proposed = c.correct ? input.changes[c.correct.field] : undefined;
      if (proposed === undefined || !c.correct) continue;
      const value = c.correct.field === "email" ? proposed.trim().toLowerCase() : correctedValue(proposed, c.correct.part);
      const max = checked.tables.get(table)!.columns.get(column)!.maxLength;
      if (max !== null && [...value].length > max) {
        throw new MapRefusal(`The corrected ${c.correct.field === "postalAddress" ? "postal address" : c.correct.field} is longer than ${table}.${column} holds (${max} characters); nothing was written to this system.`);
      }
      sets.push({ column, value });
    }
    if (sets.length > 0) writes.push({ table, sets });
  }
  if (writes.length === 0) return [];
  const gathered = await gatherRows(session, dialect, checked, input.email, { lock: true });
  const written: ColumnsWritten[] = [];
  for (const { table, sets } of writes) {
    const rows = gathered.get(table) ?? [];
    if (rows.length === 0) continue;
    const catalogueTable = checked.tables.get(table)!;
    let changed = 0;
    for (const part of chunks(rows)) {
      const assignments = sets.map((s, i) => `${dialect.quote(catalogueTable.columns.get(s.column)!.name)} = ${dialect.param(i + 1)}`);
      const filter = keyFilter(dialect, catalogueTable.primaryKey, part, sets.length + 1);
      changed += await session.change(`UPDATE ${dialect.table(catalogueTable.name)} SET ${assignments.join(", ")} WHERE ${filter.sql}`, [
        ...sets.map((s) => s.value),
        ...filter.params,
      ]);
    }
    written.push({ table, label: checked.map.tables[table]!.label ?? table, columns: sets.map((s) => s.column), rows: changed });
  }
  return written;
}

export type UnsubscribeCount = { table: string; label: string; rows: number; how: "deleted" | "changed" };

/** Ends every mapped subscription for the address, inside the driver's transaction. */
export async function carryOutUnsubscribe(session: SqlSession, dialect: SqlDialect, checked: CheckedMap, email: string): Promise<UnsubscribeCount[]> {
  const tables = checked.joinOrder.filter((t) => checked.map.tables[t]!.unsubscribe);
  if (tables.length === 0) return [];
  const gathered = await gatherRows(session, dialect, checked, email, { lock: true });
  const counts: UnsubscribeCount[] = [];
  for (const table of tables) {
    const rule = checked.map.tables[table]!.unsubscribe!;
    const catalogueTable = checked.tables.get(table)!;
    const rows = gathered.get(table) ?? [];
    for (const part of chunks(rows)) {
      if (rule.rule === "delete") {
        const filter = keyFilter(dialect, catalogueTable.primaryKey, part, 1);
        await session.change(`DELETE FROM ${dialect.table(catalogueTable.name)} WHERE ${filter.sql}`, filter.params);
      } else {
        const entries = Object.entries(rule.set);
        const assignments = entries.map(([column], i) => `${dialect.quote(catalogueTable.columns.get(column)!.name)} = ${dialect.param(i + 1)}`);
        const filter = keyFilter(dialect, catalogueTable.primaryKey, part, entries.length + 1);
        await session.change(`UPDATE ${dialect.table(catalogueTable.name)} SET ${assignments.join(", ")} WHERE ${filter.sql}`, [
          ...entries.map(([, v]) => v),
          ...filter.params,
        ]);
      }
    }
    counts.push({ table, label: checked.map.tables[table]!.label ?? table, rows: rows.length, how: rule.rule === "delete" ? "deleted" : "changed" });
  }
  return counts;
}
