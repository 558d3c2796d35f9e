/**
 * A connected database's own description of itself (information_schema and
 * friends), and the check of a dataset map against it: every table and
 * column must exist there, each table needs a primary key, and each rule
 * must suit its column. A map that passes becomes a CheckedMap, whose
 * identifiers are the catalogue's own spellings: the only identifiers any
 * statement is ever built from.
 */
import {
  pathLabel,
  tableNameOf,
  tablesInJoinOrder,
  type ColumnMap,
  type DatasetMap,
  type MapPositions,
  type MapProblem,
  type Scalar,
} from "./dataset-map";

export type ColumnKind = "text" | "number" | "boolean" | "date" | "other";

export type CatalogueColumn = {
  name: string;
  /** The server's own type name, e.g. "character varying", "varchar", "timestamp with time zone". */
  dataType: string;
  kind: ColumnKind;
  nullable: boolean;
  /** Characters a text column holds at most; null when unbounded or not text. */
  maxLength: number | null;
};

export type CatalogueTable = { name: string; columns: Map<string, CatalogueColumn>; primaryKey: string[] };

/** What the database does to referring rows when a referred-to row is deleted. */
export type DeleteRule = "cascade" | "set null" | "refuse";

export type ForeignKey = { table: string; columns: string[]; refTable: string; refColumns: string[]; onDelete: DeleteRule };

/** A delete rule as either server names it (PostgreSQL's confdeltype letter, or MySQL's DELETE_RULE words). */
export function deleteRuleOf(name: string): DeleteRule {
  const rule = name.trim().toUpperCase();
  if (rule === "C" || rule === "CASCADE") return "cascade";
  if (rule === "N" || rule === "SET NULL" || rule === "D" || rule === "SET DEFAULT") return "set null";
  return "refuse";
}

export type Catalogue = { tables: Map<string, CatalogueTable>; foreignKeys: ForeignKey[] };

const TEXT_TYPES = /char|text|citext|uuid|enum|set/i;
const NUMBER_TYPES = /int|numeric|decimal|real|double|float|serial|money/i;
const BOOLEAN_TYPES = /^(boolean|bool|bit)$/i;
const DATE_TYPES = /date|time/i;

/** What a server's type name means for the checks. */
export function kindOfType(dataType: string): ColumnKind {
  // Names that contain another kind's word: an interval is not an int, a point is not an int.
  if (/interval|point/i.test(dataType)) return "other";
  if (DATE_TYPES.test(dataType)) return "date";
  if (BOOLEAN_TYPES.test(dataType)) return "boolean";
  if (NUMBER_TYPES.test(dataType)) return "number";
  if (TEXT_TYPES.test(dataType)) return "text";
  return "other";
}

/** Builds a catalogue from rows as both servers' catalogues give them. */
export function catalogueOf(input: {
  columns: Array<{ table: string; column: string; dataType: string; nullable: boolean; maxLength: number | null }>;
  primaryKeys: Array<{ table: string; column: string; position: number }>;
  foreignKeys: ForeignKey[];
}): Catalogue {
  const tables = new Map<string, CatalogueTable>();
  for (const c of input.columns) {
    const table = tables.get(c.table) ?? { name: c.table, columns: new Map(), primaryKey: [] };
    table.columns.set(c.column, { name: c.column, dataType: c.dataType, kind: kindOfType(c.dataType), nullable: c.nullable, maxLength: c.maxLength });
    tables.set(c.table, table);
  }
  for (const pk of [...input.primaryKeys].sort((a, b) => a.position - b.position)) tables.get(pk.table)?.primaryKey.push(pk.column);
  return { tables, foreignKeys: input.foreignKeys.filter((fk) => tables.has(fk.table) && tables.has(fk.refTable)) };
}

/** A keyed hash is 64 hexadecimal characters. */
export const HASH_LENGTH = 64;

/** A map that passed every check, with what the statements need from the catalogue. */
export type CheckedMap = {
  readonly checked: true;
  map: DatasetMap;
  /** The map's entries from the supporter's outwards, each after its parent. */
  joinOrder: string[];
  /** The map's entries in the order their rows may be deleted without breaking a foreign key. */
  deleteOrder: string[];
  /** Each map entry's table as the catalogue has it. */
  tables: Map<string, CatalogueTable>;
  /**
   * For each table of the database (by its name), the tables the map leaves out whose rows the database deletes by
   * itself (ON DELETE CASCADE) when rows of that table are deleted, each with what cascades from it in turn: an
   * erasure counts those rows too, so its dry run and receipt say all that was deleted. Absent: nothing cascades.
   */
  cascadesFrom?: Map<string, Cascade[]>;
};

/** Rows of a table the map leaves out that the database deletes along with the rows they refer to. */
export type Cascade = { foreignKey: ForeignKey; table: CatalogueTable; next: Cascade[] };

/** What cascades from each table into tables the map leaves out, followed as far as it goes (a loop is followed once). */
export function cascadesOf(map: DatasetMap, catalogue: Catalogue): Map<string, Cascade[]> {
  const mapped = new Set(Object.keys(map.tables).map((entry) => tableNameOf(map, entry)));
  const from = (table: string, path: ReadonlySet<string>): Cascade[] =>
    catalogue.foreignKeys
      .filter((fk) => fk.refTable === table && fk.onDelete === "cascade" && !mapped.has(fk.table) && !path.has(fk.table))
      .map((fk) => ({ foreignKey: fk, table: catalogue.tables.get(fk.table)!, next: from(fk.table, new Set([...path, fk.table])) }));
  const out = new Map<string, Cascade[]>();
  for (const table of mapped) {
    const cascades = from(table, new Set([table]));
    if (cascades.length > 0) out.set(table, cascades);
  }
  return out;
}

export type CheckResult = { ok: true; checked: CheckedMap } | { ok: false; problems: MapProblem[] };

/**
 * Checks the map against the live catalogue. Names are compared exactly;
 * a name that differs only in case is suggested.
 */
export function checkMapAgainstCatalogue(map: DatasetMap, catalogue: Catalogue, positions: MapPositions): CheckResult {
  const problems: MapProblem[] = [];
  const at = (path: (string | number)[], message: string) => problems.push({ line: positions.lineOf(path), path: pathLabel(path), message });
  const resolved = new Map<string, CatalogueTable>();

  const tableNamed = (name: string, path: (string | number)[]): CatalogueTable | null => {
    const table = catalogue.tables.get(name);
    if (table) return table;
    const near = [...catalogue.tables.keys()].find((t) => t.toLowerCase() === name.toLowerCase());
    at(path, `the table ${name} does not exist in the database${near ? ` (there is ${near})` : ""}, or the connection's user may not read it.`);
    return null;
  };
  const columnNamed = (table: CatalogueTable, name: string, path: (string | number)[]): CatalogueColumn | null => {
    const column = table.columns.get(name);
    if (column) return column;
    const near = [...table.columns.keys()].find((c) => c.toLowerCase() === name.toLowerCase());
    at(path, `the column ${name} does not exist in ${table.name}${near ? ` (there is ${near})` : ""}.`);
    return null;
  };

  for (const [name, tableMap] of Object.entries(map.tables)) {
    const table = tableNamed(tableNameOf(map, name), ["tables", name, ...(tableMap.table ? ["table"] : [])]);
    if (!table) continue;
    resolved.set(name, table);
    if (table.primaryKey.length === 0) {
      at(["tables", name], `${name} has no primary key, so its rows cannot be told apart; add one in the database, or leave the table out.`);
    }
    for (const [columnName, columnMap] of Object.entries(tableMap.columns)) {
      const column = columnNamed(table, columnName, ["tables", name, "columns", columnName]);
      if (column) columnRuleProblems(columnMap, column, name, (sub, message) => at(["tables", name, "columns", columnName, ...sub], message));
    }
    if (tableMap.erase.rule === "keep") {
      const from = table.columns.get(tableMap.erase.keep.from);
      if (from && from.kind !== "date") {
        at(["tables", name, "erase", "keep", "from"], `${tableMap.erase.keep.from} is not a date column (${from.dataType}), so the years cannot count from it.`);
      }
    }
    if (tableMap.unsubscribe?.rule === "set") {
      for (const [columnName, value] of Object.entries(tableMap.unsubscribe.set)) {
        const column = table.columns.get(columnName);
        const problem = column ? valueProblem(value, column) : null;
        if (problem) at(["tables", name, "unsubscribe", "set", columnName], problem);
      }
    }
  }
  const root = resolved.get(map.supporter.table);
  if (root) {
    const email = root.columns.get(map.supporter.email);
    if (email && email.kind !== "text") at(["supporter", "email"], `${map.supporter.email} is not a text column (${email.dataType}), so it cannot hold an email address.`);
  }
  for (const [name, tableMap] of Object.entries(map.tables)) {
    const table = resolved.get(name);
    const parent = tableMap.parent ? resolved.get(tableMap.parent) : undefined;
    if (!table || !parent || !tableMap.join) continue;
    const mine = columnNamed(table, tableMap.join.column, ["tables", name, "join", "column"]);
    const theirs = columnNamed(parent, tableMap.join.parentColumn, ["tables", name, "join", "parentColumn"]);
    if (mine && theirs && mine.kind !== theirs.kind) {
      at(["tables", name, "join"], `${name}.${mine.name} (${mine.dataType}) and ${parent.name}.${theirs.name} (${theirs.dataType}) hold different kinds of value, so they cannot be joined.`);
    }
  }
  if (problems.length === 0) problems.push(...keptRowsThatReferToDeletedOnes(map, catalogue, positions));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    checked: { checked: true, map, joinOrder: tablesInJoinOrder(map), deleteOrder: deleteOrder(map, catalogue), tables: resolved, cascadesFrom: cascadesOf(map, catalogue) },
  };
}

function columnRuleProblems(rule: ColumnMap, column: CatalogueColumn, table: string, at: (sub: string[], message: string) => void): void {
  const where = `${table}.${column.name}`;
  if (rule.erase.rule === "null" && !column.nullable) {
    at(["erase"], `${where} cannot be empty in the database (NOT NULL), so erase cannot set it to null; use a fixed value or hash.`);
  }
  if (rule.erase.rule === "hash") {
    if (column.kind !== "text") at(["erase"], `${where} is not a text column (${column.dataType}), so it cannot hold a keyed hash.`);
    else if (column.maxLength !== null && column.maxLength < HASH_LENGTH) {
      at(["erase"], `${where} holds at most ${column.maxLength} characters, but a keyed hash needs ${HASH_LENGTH}; use a fixed value or null.`);
    }
  }
  if (rule.erase.rule === "value") {
    const problem = valueProblem(rule.erase.value, column);
    if (problem) at(["erase", "value"], problem);
  }
  if (rule.correct) {
    if (column.kind !== "text") at(["correct"], `${where} is not a text column (${column.dataType}), so a correction cannot write to it.`);
  }
}

/** Why a fixed value does not suit a column, or null. */
function valueProblem(value: Scalar, column: CatalogueColumn): string | null {
  const where = column.name;
  if (value === null) return column.nullable ? null : `${where} cannot be empty in the database (NOT NULL), so it cannot be set to null.`;
  if (column.kind === "text" && typeof value === "string" && column.maxLength !== null && [...value].length > column.maxLength) {
    return `${where} holds at most ${column.maxLength} characters, and the value has ${[...value].length}.`;
  }
  if (column.kind === "number" && typeof value !== "number" && typeof value !== "boolean") return `${where} holds numbers, so the value must be a number.`;
  if (column.kind === "boolean" && typeof value !== "boolean" && value !== 0 && value !== 1) return `${where} holds true or false, so the value must be one of them.`;
  if (column.kind === "date" && (typeof value !== "string" || Number.isNaN(Date.parse(value)))) return `${where} holds dates, so the value must be a date such as 1970-01-01.`;
  return null;
}

/**
 * A table whose rows stay (masked or kept) must not point at rows of a table
 * that erasure deletes, unless the pointing column is emptied too: the
 * database would refuse the deletion, and the erasure would never complete.
 * Nor may a table the map leaves out, unless the database itself deletes or
 * empties its referring rows.
 */
function keptRowsThatReferToDeletedOnes(map: DatasetMap, catalogue: Catalogue, positions: MapPositions): MapProblem[] {
  const problems: MapProblem[] = [];
  const entriesOf = entriesByTable(map);
  for (const fk of catalogue.foreignKeys) {
    if (fk.table === fk.refTable) continue;
    // A table the map leaves out is never touched by erasure: its rows still refer to the person's rows, and with a
    // delete rule that refuses, every erasure of someone who has such rows fails, over and over, while the dry run
    // counted the rows as deleted.
    if (!entriesOf.has(fk.table) && fk.onDelete === "refuse") {
      for (const toEntry of entriesOf.get(fk.refTable) ?? []) {
        const to = map.tables[toEntry]!;
        if (to.erase.rule === "mask") continue;
        const path = ["tables", toEntry, "erase"];
        problems.push({
          line: positions.lineOf(path),
          path: pathLabel(path),
          message: `${fk.table}, which the map leaves out, refers to ${toEntry} (${fk.columns.join(", ")}), whose rows erasure deletes; the database would refuse while such rows exist. Add ${fk.table} to the map (hanging off ${toEntry}), or mask ${toEntry} instead.`,
        });
      }
    }
    for (const fromEntry of entriesOf.get(fk.table) ?? []) {
      for (const toEntry of entriesOf.get(fk.refTable) ?? []) {
        const from = map.tables[fromEntry]!;
        const to = map.tables[toEntry]!;
        if (to.erase.rule !== "delete" || from.erase.rule === "delete") continue;
        // Emptied by the map first, or by the database itself: the deletion goes through and the row stays.
        if (fk.onDelete === "set null" || fk.columns.every((c) => from.columns[c]?.erase.rule === "null")) continue;
        const path = ["tables", fromEntry, "erase"];
        problems.push({
          line: positions.lineOf(path),
          path: pathLabel(path),
          message:
            fk.onDelete === "cascade"
              ? `${fromEntry} keeps rows that refer to ${toEntry} (${fk.columns.join(", ")}), but the database deletes them along with ${toEntry}'s rows (ON DELETE CASCADE), so they would not be kept. Mask ${toEntry} instead, or set ${fk.columns.join(", ")} to null.`
              : `${fromEntry} keeps rows that refer to ${toEntry} (${fk.columns.join(", ")}), whose rows erasure deletes; the database would refuse. Delete these rows too, set ${fk.columns.join(", ")} to null, or mask ${toEntry} instead.`,
        });
      }
    }
  }
  return problems;
}

/** The map's entries for each table of the database. */
function entriesByTable(map: DatasetMap): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const entry of Object.keys(map.tables)) {
    const table = tableNameOf(map, entry);
    entries.set(table, [...(entries.get(table) ?? []), entry]);
  }
  return entries;
}

/**
 * Rows that refer to others go first: a table is deleted from before any
 * table it has a foreign key to. Within a loop of keys (which a database
 * allows when a key may be null) the map's own order decides.
 */
function deleteOrder(map: DatasetMap, catalogue: Catalogue): string[] {
  const entries = tablesInJoinOrder(map);
  const entriesOf = entriesByTable(map);
  const refersTo = new Map<string, Set<string>>(entries.map((t) => [t, new Set()]));
  for (const fk of catalogue.foreignKeys) {
    if (fk.table === fk.refTable) continue;
    for (const from of entriesOf.get(fk.table) ?? []) for (const to of entriesOf.get(fk.refTable) ?? []) refersTo.get(from)?.add(to);
  }
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < entries.length) {
    // An entry nothing unplaced still refers to may go next.
    const next =
      entries.find((t) => !placed.has(t) && entries.every((other) => placed.has(other) || other === t || !refersTo.get(other)!.has(t))) ??
      entries.find((t) => !placed.has(t))!;
    order.push(next);
    placed.add(next);
  }
  return order;
}

/**
 * The tables reachable from a starting table through foreign keys, in
 * either direction, up to `maxHops` away: a starting point for a map, each
 * table reached once (a table met again is a loop and is not followed).
 */
export function tablesReachable(
  catalogue: Catalogue,
  start: string,
  maxHops = 4,
): Array<{ table: string; parent: string | null; join: { column: string; parentColumn: string } | null; hops: number }> {
  if (!catalogue.tables.has(start)) return [];
  const found = [{ table: start, parent: null as string | null, join: null as { column: string; parentColumn: string } | null, hops: 0 }];
  const seen = new Set([start]);
  for (let i = 0; i < found.length; i++) {
    const here = found[i]!;
    if (here.hops >= maxHops) continue;
    for (const fk of catalogue.foreignKeys) {
      if (fk.columns.length !== 1) continue;
      // A table that points at this one hangs off it; so does one this table points at.
      const next =
        fk.refTable === here.table && !seen.has(fk.table)
          ? { table: fk.table, join: { column: fk.columns[0]!, parentColumn: fk.refColumns[0]! } }
          : fk.table === here.table && !seen.has(fk.refTable)
            ? { table: fk.refTable, join: { column: fk.refColumns[0]!, parentColumn: fk.columns[0]! } }
            : null;
      if (!next) continue;
      seen.add(next.table);
      found.push({ ...next, parent: here.table, hops: here.hops + 1 });
    }
  }
  return found;
}
