/**
 * Opt-outs per calendar month (in the organisation's time zone) and per
 * list, from the record of choices: every time an address left a list, by
 * any route, counted in the month it took effect; leaving every list at
 * once and objecting to selling and sharing have rows of their own. Counts
 * stay right after an erasure, whose history keeps the keyed marker.
 * Also: the choices as they stand, as CSV, for carrying them to the
 * organisation's other systems.
 */
import { asc, gt } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { consents } from "@/db/schema";
import { calendarDateIn } from "@/lib/calendar/dates";
import { monthName, monthOf, monthSpan, monthsEndingWith, shortMonthName, type MonthKey } from "@/lib/calendar/months";
import { organisationLists } from "@/lib/consent/lists";
import { csvRecord } from "./csv";

export type OptOutRow = {
  /** The list's name, or "all_lists" / "sale_sharing". */
  key: string;
  label: string;
  /** One count per month shown, oldest first. */
  counts: number[];
  total: number;
};

export type OptOutReport = {
  months: Array<{ month: MonthKey; label: string; shortLabel: string }>;
  rows: OptOutRow[];
  totals: number[];
};

export const ALL_LISTS_LABEL = "Every list at once (stop all emails, or none of these)";
export const SALE_SHARING_LABEL = "Selling and sharing (the browser's privacy signal)";

export function buildOptOutReport(db: Db, input: { now: Date; timeZone: string; months: number }): OptOutReport {
  const months = monthsEndingWith(monthOf(calendarDateIn(input.now, input.timeZone)), input.months);
  const spans = months.map((month) => ({ month, ...monthSpan(month, input.timeZone) }));
  const starts = spans[0]!.starts;
  const ends = spans[spans.length - 1]!.ends;
  // One statement per number of months shown, kept by the connection's statement cache: building it through the
  // query builder on every view cost more than running it. Each change falls in the month whose span holds it.
  const counted = db.$client
    .prepare<unknown[], { month: string; topic: string; list: string; n: number }>(
      `select case ${spans.map(() => "when at < ? then ?").join(" ")} end as month, topic, list, count(*) as n
       from consent_changes
       where state = 'withdrawn' and topic in ('mailing_list', 'all_lists', 'sale_sharing') and at >= ? and at < ?
       group by 1, topic, list`,
    )
    .all(...spans.flatMap((s) => [s.ends.getTime(), s.month]), starts.getTime(), ends.getTime());

  const index = new Map(months.map((m, i) => [m, i]));
  const rows = new Map<string, OptOutRow>();
  const lists = organisationLists(db);
  const rowOf = (key: string, label: string): OptOutRow => {
    let row = rows.get(key);
    if (!row) {
      row = { key, label, counts: months.map(() => 0), total: 0 };
      rows.set(key, row);
    }
    return row;
  };
  // Every list has a row, with zeros where nobody left it.
  for (const list of lists) rowOf(list.name, list.title);
  rowOf("all_lists", ALL_LISTS_LABEL);
  rowOf("sale_sharing", SALE_SHARING_LABEL);
  for (const c of counted) {
    const i = index.get(c.month as MonthKey);
    if (i === undefined) continue;
    const row = c.topic === "mailing_list" ? rowOf(c.list, lists.find((l) => l.name === c.list)?.title ?? c.list) : rowOf(c.topic, c.topic === "all_lists" ? ALL_LISTS_LABEL : SALE_SHARING_LABEL);
    row.counts[i]! += c.n;
    row.total += c.n;
  }
  const ordered = [...rows.values()];
  return {
    months: months.map((month) => ({ month, label: monthName(month), shortLabel: shortMonthName(month) })),
    rows: ordered,
    totals: months.map((_, i) => ordered.reduce((sum, row) => sum + (row.counts[i] ?? 0), 0)),
  };
}

export const CHOICE_COLUMNS = ["email", "topic", "list", "state", "since", "route"] as const;

/** The choices as they stand, one record per address and topic (and list), after a header; read in keyset batches. */
export function* choiceRecords(db: Db, batchSize = 1000): Generator<string> {
  yield csvRecord(CHOICE_COLUMNS);
  let afterId = 0;
  for (;;) {
    const batch = db.select().from(consents).where(gt(consents.id, afterId)).orderBy(asc(consents.id)).limit(batchSize).all();
    if (batch.length === 0) return;
    for (const c of batch) yield csvRecord([c.email, c.topic, c.list, c.state, c.at.toISOString(), c.route]);
    afterId = batch[batch.length - 1]!.id;
  }
}
