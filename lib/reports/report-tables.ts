/**
 * The small tables /staff/reports reads (db/schema.ts: `report_months`,
 * `report_close_times`, `report_month_spans`, `report_time_zone`).
 *
 * Triggers on `requests` (migration 0014) keep them in the same transaction
 * as every write that moves a figure, whatever code makes it: a request
 * filed, recorded by staff, imported, closed, reopened, merged and closed
 * with its earlier one, moved by a bulk action, or deleted. The SQL of those
 * triggers and of the backfill is written here, once; the migration holds a
 * copy (a test checks they are the same).
 *
 * Months of receipt come from `received_on`, the organisation's calendar day
 * of receipt, kept as it was whatever the time zone later becomes. Months
 * of closing come from `closed_at`, an instant: which month holds it depends
 * on the time zone, so `report_month_spans` holds every month's instants in
 * the zone of `report_time_zone`, and `alignReportTables` rebuilds the
 * spans and the closings when the organisation's TIME_ZONE is another.
 */
import { sql } from "drizzle-orm";
import type { Db, Executor } from "@/db/connection";
import { reportMonthSpans, reportTimeZone } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { addMonths, monthSpan } from "@/lib/calendar/months";

/** The months the spans cover: from January 1970 to December 2199. */
export const SPAN_FIRST_MONTH = "1970-01";
export const SPAN_MONTHS = 2760;

/** The closing statuses the report counts. */
const COUNTED = "IN ('completed', 'denied')";

/** A closed request the report counts, for a row alias (`new`, `old`, or none for the table itself). */
function counted(row: string): string {
  const p = row ? `${row}.` : "";
  return `${p}status ${COUNTED} AND ${p}closed_at IS NOT NULL`;
}

/**
 * The month (in the spans' time zone) of an instant in milliseconds. An
 * instant outside the spans (before 1970, after 2199) falls in its UTC month.
 */
export function monthOfInstantSql(instant: string): string {
  return (
    `coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= ${instant} AND s.ends_at > ${instant} ` +
    `ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', ${instant} / 1000, 'unixepoch'))`
  );
}

/** Whole `size`s in `value`, rounded down (SQLite's `/` rounds towards zero). */
function floorDiv(value: string, size: string): string {
  return `((${value}) - ((${value}) < 0) * (${size} - 1)) / ${size}`;
}

export const TIME_UNITS = [
  { unit: "d", ms: 86_400_000 },
  { unit: "h", ms: 3_600_000 },
  { unit: "m", ms: 60_000 },
] as const;

const UNITS_SQL = `(${TIME_UNITS.map((u, i) => (i === 0 ? `SELECT '${u.unit}' AS unit, ${u.ms} AS size` : `SELECT '${u.unit}', ${u.ms}`)).join(" UNION ALL ")}) AS u`;

/**
 * The time a closing took, in whole milliseconds: the portal writes instants
 * as integers, and a fraction (from a hand-made row) would break the steps.
 */
function tookSql(row: string): string {
  const p = row ? `${row}.` : "";
  return `CAST(${p}closed_at - ${p}received_at AS INTEGER)`;
}

function addClosing(row: string): string[] {
  const took = tookSql(row);
  const month = monthOfInstantSql(`${row}.closed_at`);
  return [
    `INSERT INTO report_months (month, completed, denied, closing_changes) SELECT ${month}, ${row}.status = 'completed', ${row}.status = 'denied', 1 WHERE ${counted(row)}
    ON CONFLICT (month) DO UPDATE SET completed = completed + excluded.completed, denied = denied + excluded.denied, closing_changes = closing_changes + 1;`,
    `INSERT INTO report_close_times (unit, month, step, closings, took_ms) SELECT u.unit, ${month}, ${floorDiv(took, "u.size")}, 1, ${took} FROM ${UNITS_SQL} WHERE ${counted(row)}
    ON CONFLICT (unit, month, step) DO UPDATE SET closings = closings + 1, took_ms = took_ms + excluded.took_ms;`,
  ];
}

function removeClosing(row: string): string[] {
  const took = tookSql(row);
  const month = monthOfInstantSql(`${row}.closed_at`);
  const steps = TIME_UNITS.map((u) => `(unit = '${u.unit}' AND step = ${floorDiv(took, String(u.ms))})`).join(" OR ");
  return [
    `UPDATE report_months SET completed = completed - (${row}.status = 'completed'), denied = denied - (${row}.status = 'denied'), closing_changes = closing_changes + 1 WHERE ${counted(row)} AND month = ${month};`,
    `UPDATE report_close_times SET closings = closings - 1, took_ms = took_ms - (${took}) WHERE ${counted(row)} AND month = ${month} AND (${steps});`,
    `DELETE FROM report_close_times WHERE closings = 0 AND ${counted(row)} AND month = ${month} AND (${steps});`,
  ];
}

function addReceived(row: string): string {
  return `INSERT INTO report_months (month, received) VALUES (substr(${row}.received_on, 1, 7), 1) ON CONFLICT (month) DO UPDATE SET received = received + 1;`;
}

function removeReceived(row: string): string {
  return `UPDATE report_months SET received = received - 1 WHERE month = substr(${row}.received_on, 1, 7);`;
}

function trigger(name: string, on: string, when: string | null, body: string[]): string {
  return `CREATE TRIGGER \`${name}\` ${on}${when ? ` WHEN ${when}` : ""} BEGIN\n\t${body.join("\n\t")}\nEND;`;
}

/** The triggers that keep the tables, in the order the migration creates them. */
export const REPORT_TRIGGERS: readonly string[] = [
  trigger("report_received_insert", "AFTER INSERT ON `requests`", null, [addReceived("new")]),
  trigger(
    "report_received_update",
    "AFTER UPDATE OF `received_on` ON `requests`",
    "substr(new.received_on, 1, 7) IS NOT substr(old.received_on, 1, 7)",
    [removeReceived("old"), addReceived("new")],
  ),
  trigger("report_received_delete", "AFTER DELETE ON `requests`", null, [removeReceived("old")]),
  trigger("report_closing_insert", "AFTER INSERT ON `requests`", counted("new"), addClosing("new")),
  trigger(
    "report_closing_update",
    "AFTER UPDATE OF `status`, `closed_at`, `received_at` ON `requests`",
    `((${counted("old")}) OR (${counted("new")})) AND (new.status IS NOT old.status OR new.closed_at IS NOT old.closed_at OR new.received_at IS NOT old.received_at)`,
    [...removeClosing("old"), ...addClosing("new")],
  ),
  trigger("report_closing_delete", "AFTER DELETE ON `requests`", counted("old"), removeClosing("old")),
];

/**
 * Fills `report_months` and `report_close_times` from `requests`, with the
 * spans as they are: the migration's backfill, the rebuild after a change of
 * time zone, and the bench's seed after loading rows with triggers off.
 */
export const REPORT_BACKFILL: readonly string[] = [
  `DELETE FROM report_months;`,
  `DELETE FROM report_close_times;`,
  `INSERT INTO report_months (month, received) SELECT substr(received_on, 1, 7), count(*) FROM requests GROUP BY 1;`,
  `INSERT INTO report_months (month, completed, denied)
    SELECT month, sum(status = 'completed'), sum(status = 'denied') FROM (SELECT ${monthOfInstantSql("closed_at")} AS month, status FROM requests WHERE ${counted("")}) WHERE true GROUP BY month
    ON CONFLICT (month) DO UPDATE SET completed = excluded.completed, denied = excluded.denied;`,
  `INSERT INTO report_close_times (unit, month, step, closings, took_ms)
    SELECT u.unit, c.month, ${floorDiv("c.took", "u.size")}, count(*), sum(c.took)
    FROM (SELECT ${monthOfInstantSql("closed_at")} AS month, ${tookSql("")} AS took FROM requests WHERE ${counted("")}) AS c, ${UNITS_SQL}
    WHERE true GROUP BY 1, 2, 3;`,
  // Medians a running server worked out from the tables before are not reused (lib/reports/monthly-report.ts).
  `UPDATE report_time_zone SET rebuilt_at = rebuilt_at + 1;`,
];

/** The spans of UTC months, as the migration writes them (SQLite can count UTC months itself). */
export const UTC_SPANS_SQL = `WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < ${SPAN_MONTHS - 1})
INSERT INTO report_month_spans (month, starts_at, ends_at)
  SELECT strftime('%Y-%m', '${SPAN_FIRST_MONTH}-01', '+' || n || ' months'),
    CAST(strftime('%s', '${SPAN_FIRST_MONTH}-01', '+' || n || ' months') AS INTEGER) * 1000,
    CAST(strftime('%s', '${SPAN_FIRST_MONTH}-01', '+' || (n + 1) || ' months') AS INTEGER) * 1000
  FROM k;`;

/** The time zone the tables are counted in, or null before the migration's first fill. */
export function reportTablesZone(db: Executor): string | null {
  return reportTablesState(db)?.timeZone ?? null;
}

/** The time zone the tables are counted in and when they were last rebuilt (0: by the migration). */
export function reportTablesState(db: Executor): { timeZone: string; rebuiltAt: number } | undefined {
  // Read on every view of the reports page: one plain statement, not one built anew by the query builder.
  return db.get<{ timeZone: string; rebuiltAt: number } | undefined>(sql`select time_zone as timeZone, rebuilt_at as rebuiltAt from report_time_zone where id = 1`);
}

/** Rewrites the spans for `timeZone` and refills the tables from `requests`, in the caller's transaction. */
export function rebuildReportTables(db: Executor, timeZone: string, now = new Date()): void {
  db.delete(reportMonthSpans).run();
  const spans = Array.from({ length: SPAN_MONTHS }, (_, i) => {
    const month = addMonths(SPAN_FIRST_MONTH, i);
    const { starts, ends } = monthSpan(month, timeZone);
    return { month, startsAt: starts.getTime(), endsAt: ends.getTime() };
  });
  for (let i = 0; i < spans.length; i += 500) db.insert(reportMonthSpans).values(spans.slice(i, i + 500)).run();
  for (const statement of REPORT_BACKFILL) db.run(sql.raw(statement));
  // Later than any rebuild before it, even if the clock stepped back.
  const rebuiltAt = Math.max(now.getTime(), (reportTablesState(db)?.rebuiltAt ?? 0) + 1);
  db.insert(reportTimeZone).values({ id: 1, timeZone, rebuiltAt }).onConflictDoUpdate({ target: reportTimeZone.id, set: { timeZone, rebuiltAt } }).run();
}

/**
 * Makes the tables count in `timeZone`: nothing when they already do;
 * otherwise one transaction rebuilds them (a few seconds on a million
 * requests). Run at start (server, `npm start`, `npm run db:migrate`).
 * Returns whether it rebuilt.
 */
export function alignReportTables(db: Db, timeZone: string): boolean {
  if (reportTablesZone(db) === timeZone) return false;
  return inTransaction(db, (tx) => {
    if (reportTablesZone(tx) === timeZone) return false;
    rebuildReportTables(tx, timeZone);
    return true;
  });
}
