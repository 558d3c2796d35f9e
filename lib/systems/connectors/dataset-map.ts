/**
 * The dataset map: where a supporter is found in a connected database (a
 * table and its email column), the tables that hang off it (each joined to
 * its parent, several hops deep), and for every mapped column its category,
 * whether a correction may write it, and what erasure does to it. An admin
 * uploads or edits it as JSON or YAML; every problem is reported as one
 * sentence naming the line it is on. This file checks the map's own shape;
 * catalogue.ts then checks it against the live database.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { z } from "zod";

export const MAP_VERSION = 1;
/** The largest map accepted, in characters: CiviCRM's ready map is about 8,000. */
export const MAP_MAX_CHARACTERS = 256_000;

export const DATA_CATEGORIES = ["contact", "donation", "membership", "subscription", "correspondence", "web_visit", "other"] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const DATA_CATEGORY_LABELS: Record<DataCategory, string> = {
  contact: "Contact details",
  donation: "Donations",
  membership: "Memberships",
  subscription: "Subscriptions",
  correspondence: "Correspondence",
  web_visit: "Web visits",
  other: "Other",
};

/** The portal's correction fields a column may take its new value from (the same names as a correction request's). */
export const CORRECTION_SOURCES = ["name", "email", "postalAddress", "phone"] as const;
export type CorrectionSource = (typeof CORRECTION_SOURCES)[number];

/** Which part of the corrected name a column holds: a CRM often splits it. */
export const NAME_PARTS = ["full", "first", "last", "sort"] as const;
export type NamePart = (typeof NAME_PARTS)[number];

export type Scalar = string | number | boolean | null;

export type ColumnErasure = { rule: "keep" } | { rule: "null" } | { rule: "hash" } | { rule: "value"; value: Scalar };
export type TableErasure = { rule: "delete" } | { rule: "mask" } | { rule: "keep"; keep: { years: number; from: string; reason: string } };
export type Unsubscribe = { rule: "delete" } | { rule: "set"; set: Record<string, Scalar> };

export type ColumnMap = {
  category: DataCategory;
  correct?: { field: CorrectionSource; part: NamePart };
  erase: ColumnErasure;
};

export type TableMap = {
  /**
   * The table in the database, when the entry's own name is not it: the same
   * table can then be reached twice (the supporter's address in an email
   * table, and every other address of the same person in that table).
   */
  table?: string;
  /** How the access export names the table; the entry's name when unset. */
  label?: string;
  parent?: string;
  /** This table's `column` equals the parent's `parentColumn`. */
  join?: { column: string; parentColumn: string };
  erase: TableErasure;
  unsubscribe?: Unsubscribe;
  columns: Record<string, ColumnMap>;
};

export type DatasetMap = {
  version: 1;
  supporter: { table: string; email: string };
  tables: Record<string, TableMap>;
};

export type MapFormat = "json" | "yaml";

/** One problem with a map: its line in the file (null when it has none) and the sentence that says it. */
export type MapProblem = { line: number | null; path: string; message: string };

/** "Line 12 (tables › civicrm_contact › columns › frist_name): …" */
export function problemSentence(problem: MapProblem): string {
  const where = problem.path ? ` (${problem.path})` : "";
  return problem.line === null ? `${problem.path ? `${problem.path}: ` : ""}${problem.message}` : `Line ${problem.line}${where}: ${problem.message}`;
}

// ---------------------------------------------------------------------------
// The shape, with a sentence for each way it can be wrong.
// ---------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

type Issue = { input?: unknown };
const missingOr = (what: string, wrong: string) => (issue: Issue) => (issue.input === undefined ? `${what} is missing.` : wrong);

function identifier(what: string) {
  return z
    .string({ error: missingOr(what, `${what} must be a name written as text.`) })
    .regex(IDENTIFIER, { error: `${what} must be a plain table or column name (letters, digits and _; at most 63 characters).` });
}

const scalar = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()], {
  error: "A fixed value must be text (at most 1,000 characters), a number, true, false or null.",
});

/** A string shorthand ("delete") or an object is turned into one object with `rule`, so each form gets its own sentence. */
function ruleOf(shorthand: readonly string[], objectKeys: readonly string[]) {
  return (value: unknown): unknown => {
    if (typeof value === "string" && shorthand.includes(value)) return { rule: value };
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const key = objectKeys.find((k) => k in value);
      if (key) return { rule: key, ...(value as object) };
    }
    return value;
  };
}

const keepRule = z
  .object(
    {
      years: z
        .number({ error: missingOr("years (how many years the rows are kept)", "years must be a whole number of years.") })
        .int({ error: "years must be a whole number of years." })
        .min(1, { error: "years must be at least 1." })
        .max(100, { error: "years must be at most 100." }),
      from: identifier("from (the date column the years count from)"),
      reason: z
        .string({ error: missingOr("reason (why the law requires keeping them, told to the supporter)", "reason must be text.") })
        .trim()
        .min(3, { error: "reason must say why the rows are kept, such as “Tax law: donation records”." })
        .max(300, { error: "reason must be at most 300 characters." }),
    },
    { error: "keep must hold years, from and reason." },
  )
  .strict();

const tableErasure = z.preprocess(
  ruleOf(["delete", "mask"], ["keep"]),
  z.discriminatedUnion(
    "rule",
    [
      z.object({ rule: z.literal("delete") }).strict(),
      z.object({ rule: z.literal("mask") }).strict(),
      z.object({ rule: z.literal("keep"), keep: keepRule }).strict(),
    ],
    { error: missingOr("erase (what erasure does to the rows)", "erase must be delete, mask, or keep with years, from and reason.") },
  ),
);

const columnErasure = z.preprocess(
  ruleOf(["keep", "null", "hash"], ["value"]),
  z.discriminatedUnion(
    "rule",
    [
      z.object({ rule: z.literal("keep") }).strict(),
      z.object({ rule: z.literal("null") }).strict(),
      z.object({ rule: z.literal("hash") }).strict(),
      z.object({ rule: z.literal("value"), value: scalar }).strict(),
    ],
    { error: "A column's erase must be keep, null, hash, or value with a fixed value." },
  ),
);

const unsubscribeRule = z.preprocess(
  ruleOf(["delete"], ["set"]),
  z.discriminatedUnion(
    "rule",
    [
      z.object({ rule: z.literal("delete") }).strict(),
      z
        .object({
          rule: z.literal("set"),
          set: z
            .record(identifier("A column to set"), scalar, { error: "set must name columns and the value each gets." })
            .refine((s) => Object.keys(s).length > 0, { error: "set must name at least one column." }),
        })
        .strict(),
    ],
    { error: "unsubscribe must be delete, or set with the columns to change." },
  ),
);

const correctRule = z.preprocess(
  (value) => (typeof value === "string" ? { field: value } : value),
  z
    .object(
      {
        field: z.enum(CORRECTION_SOURCES, { error: `correct must name one of the portal's correction fields: ${CORRECTION_SOURCES.join(", ")}.` }),
        part: z.enum(NAME_PARTS, { error: `part must be one of ${NAME_PARTS.join(", ")}.` }).default("full"),
      },
      { error: `correct must name one of the portal's correction fields: ${CORRECTION_SOURCES.join(", ")}.` },
    )
    .strict()
    .refine((c) => c.field === "name" || c.part === "full", { error: "part applies only to the name: other fields are written whole.", path: ["part"] }),
);

const columnMap = z
  .object(
    {
      category: z.enum(DATA_CATEGORIES, {
        error: missingOr("category", `category must be one of ${DATA_CATEGORIES.join(", ")}.`),
      }),
      correct: correctRule.optional(),
      erase: columnErasure.default({ rule: "keep" }),
    },
    { error: "Each column needs its settings: at least a category." },
  )
  .strict();

const tableMap = z
  .object(
    {
      table: identifier("table").optional(),
      label: z.string({ error: "label must be text." }).trim().min(1).max(100, { error: "label must be at most 100 characters." }).optional(),
      parent: identifier("parent").optional(),
      join: z
        .object(
          { column: identifier("join's column (in this table)"), parentColumn: identifier("join's parentColumn (in the parent table)") },
          { error: "join must hold column and parentColumn." },
        )
        .strict()
        .optional(),
      erase: tableErasure,
      unsubscribe: unsubscribeRule.optional(),
      columns: z
        .record(identifier("A column name"), columnMap, {
          error: missingOr("columns (the table's mapped columns)", "columns must list the table's mapped columns, each with its settings."),
        })
        .refine((c) => Object.keys(c).length > 0, { error: "columns must list at least one column." }),
    },
    { error: "Each table needs its settings: at least erase and columns." },
  )
  .strict();

const datasetMapSchema = z
  .object(
    {
      version: z.literal(MAP_VERSION, { error: `version must be ${MAP_VERSION}.` }),
      supporter: z
        .object(
          { table: identifier("supporter's table"), email: identifier("supporter's email column") },
          { error: "supporter must name the table where a supporter is found and its email column." },
        )
        .strict(),
      tables: z
        .record(identifier("A table name"), tableMap, { error: missingOr("tables", "tables must list the mapped tables, each with its settings.") })
        .refine((t) => Object.keys(t).length > 0 && Object.keys(t).length <= 100, { error: "tables must list between 1 and 100 tables." }),
    },
    { error: "The map must be an object with version, supporter and tables." },
  )
  .strict();

// ---------------------------------------------------------------------------
// Reading the file, and where in it each problem is.
// ---------------------------------------------------------------------------

export type MapPositions = {
  /** The line of the key at `path` (or of the nearest part of it that is in the file). */
  lineOf(path: readonly (string | number)[]): number | null;
};

function positionsOf(doc: Document, counter: LineCounter): MapPositions {
  return {
    lineOf(path) {
      let node: Node | null = doc.contents as Node | null;
      let line: number | null = node?.range ? counter.linePos(node.range[0]).line : null;
      for (const segment of path) {
        if (!isMap(node)) break;
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        const key = pair.key as Node;
        if (key.range) line = counter.linePos(key.range[0]).line;
        node = (pair.value as Node | null) ?? null;
      }
      return line;
    },
  };
}

export function pathLabel(path: readonly PropertyKey[]): string {
  return path.map(String).join(" › ");
}

export type ParsedMap =
  | { ok: true; map: DatasetMap; format: MapFormat; positions: MapPositions }
  | { ok: false; problems: MapProblem[] };

/** The format a map's text is written in: JSON when it starts with "{", YAML otherwise. */
export function formatOf(text: string): MapFormat {
  return text.trimStart().startsWith("{") ? "json" : "yaml";
}

/**
 * Reads a map written as JSON or YAML (JSON is read as the YAML it also is,
 * so both get line numbers) and checks its shape, then the relations inside
 * it: one supporter table, every other table joined to a parent, no loop.
 */
export function parseDatasetMap(text: string): ParsedMap {
  if (text.length > MAP_MAX_CHARACTERS) {
    return { ok: false, problems: [{ line: null, path: "", message: `The map is too long: at most ${MAP_MAX_CHARACTERS.toLocaleString("en-GB")} characters.` }] };
  }
  if (text.trim() === "") return { ok: false, problems: [{ line: null, path: "", message: "The map is empty." }] };
  const format = formatOf(text);
  const counter = new LineCounter();
  // Unique keys: a table or column written twice would silently keep only one of its settings.
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false, version: "1.2" });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.slice(0, 10).map((error) => ({
        line: error.linePos?.[0]?.line ?? counter.linePos(error.pos[0]).line,
        path: "",
        message: `the ${format === "json" ? "JSON" : "YAML"} cannot be read: ${syntaxSentence(error.code, error.message)}`,
      })),
    };
  }
  const positions = positionsOf(doc, counter);
  const parsed = datasetMapSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.slice(0, 20).map((issue) => {
        const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
        return { line: positions.lineOf(path as (string | number)[]), path: pathLabel(path), message: issueSentence(issue) };
      }),
    };
  }
  const map = parsed.data as DatasetMap;
  const problems = relationProblems(map, positions);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, map, format, positions };
}

function syntaxSentence(code: string, message: string): string {
  if (code === "DUPLICATE_KEY") return "a name is written twice in the same place; keep one.";
  const first = message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "";
  return `${first.replace(/\.$/, "")}.`;
}

function issueSentence(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_key") {
    return `“${String(issue.path[issue.path.length - 1] ?? "")}” is not a plain table or column name (letters, digits and _; at most 63 characters).`;
  }
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `“${k}”`).join(", ");
    return `${keys} ${issue.keys.length === 1 ? "is not a setting" : "are not settings"} Rightsdesk knows here; check the spelling.`;
  }
  return issue.message;
}

/**
 * One table where a supporter is found, with no parent; every other table
 * joined to a parent that is in the map; and no loop: following parents
 * from any table must reach the supporter table.
 */
function relationProblems(map: DatasetMap, positions: MapPositions): MapProblem[] {
  const problems: MapProblem[] = [];
  const at = (path: (string | number)[], message: string) => problems.push({ line: positions.lineOf(path), path: pathLabel(path), message });
  const root = map.supporter.table;
  const rootTable = map.tables[root];
  if (!rootTable) {
    at(["supporter", "table"], `the supporter's table ${root} is not listed under tables.`);
  } else {
    if (rootTable.parent !== undefined || rootTable.join !== undefined) {
      at(["tables", root, rootTable.parent !== undefined ? "parent" : "join"], `${root} is where a supporter is found, so it has no parent or join.`);
    }
    if (!(map.supporter.email in rootTable.columns)) {
      at(["supporter", "email"], `the email column ${map.supporter.email} must be listed under ${root}'s columns, with its category and rules.`);
    }
  }
  for (const [name, table] of Object.entries(map.tables)) {
    if (name === root || !rootTable) continue;
    if (table.parent === undefined) at(["tables", name], `${name} needs a parent (the table it hangs off) and a join.`);
    else if (table.join === undefined) at(["tables", name, "parent"], `${name} needs a join: its column that equals a column of ${table.parent}.`);
    else if (!(table.parent in map.tables)) at(["tables", name, "parent"], `the parent ${table.parent} is not listed under tables.`);
    if (table.erase.rule === "keep" && !(table.erase.keep.from in table.columns)) {
      at(["tables", name, "erase", "keep", "from"], `the date column ${table.erase.keep.from} must be listed under ${name}'s columns.`);
    }
  }
  // Loops: walk each table's parents; coming back to a table already on the path is a loop.
  const reported = new Set<string>();
  for (const start of Object.keys(map.tables)) {
    const path: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && current !== root && map.tables[current]) {
      if (path.includes(current)) {
        const loop = [...path.slice(path.indexOf(current)), current];
        const key = [...loop.slice(0, -1)].sort().join(",");
        if (!reported.has(key)) {
          reported.add(key);
          at(["tables", current, "parent"], `the tables form a loop (${loop.join(" → ")}), so none of them leads to the supporter table ${root}. Each table hangs off exactly one parent, nearer the supporter.`);
        }
        break;
      }
      path.push(current);
      current = map.tables[current]?.parent;
    }
  }
  for (const [name, table] of Object.entries(map.tables)) {
    if (table.unsubscribe?.rule === "set") {
      for (const column of Object.keys(table.unsubscribe.set)) {
        if (!(column in table.columns)) at(["tables", name, "unsubscribe", "set", column], `${column} must be listed under ${name}'s columns to be set on unsubscribe.`);
      }
    }
  }
  return problems;
}

/** The table in the database that a map entry stands for. */
export function tableNameOf(map: DatasetMap, entry: string): string {
  return map.tables[entry]?.table ?? entry;
}

/** The tables in the order they are reached from the supporter's: each after its parent. */
export function tablesInJoinOrder(map: DatasetMap): string[] {
  const order = [map.supporter.table];
  const children = new Map<string, string[]>();
  for (const [name, table] of Object.entries(map.tables)) {
    if (table.parent === undefined) continue;
    children.set(table.parent, [...(children.get(table.parent) ?? []), name]);
  }
  for (let i = 0; i < order.length; i++) order.push(...(children.get(order[i]!) ?? []));
  return order;
}

/** The value a column gets from a corrected field: the whole value, or a part of a name. */
export function correctedValue(value: string, part: NamePart): string {
  if (part === "full") return value;
  const words = value.trim().split(/\s+/);
  const last = words.length > 1 ? words[words.length - 1]! : words[0] ?? "";
  const first = words.length > 1 ? words.slice(0, -1).join(" ") : "";
  if (part === "first") return first;
  if (part === "last") return last;
  return first ? `${last}, ${first}` : last;
}
