import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { DateOnly } from "@/app/_components/dates";
import { describeChart } from "@/lib/reports/bar-chart";
import { monthName } from "@/lib/calendar/months";
import { REPORT_MONTH_CHOICES, reportMonthsFrom } from "@/lib/reports/monthly-report";
import { reportsOf } from "@/server/reports";
import { getSettings } from "@/server/settings";
import { READING_ROLES, requireStaff } from "@/server/viewer";
import { pluralWord } from "@/lib/language/plural";
import { ChartLegend, ReportChart } from "./bar-chart";
import styles from "./reports.module.css";
import { TableScroll } from "@/app/_components/table-scroll";
import type { MonthlyReport } from "@/lib/reports/monthly-report";
import type { OptOutReport } from "@/lib/reports/opt-outs";
import { figureRowsHtml } from "@/lib/reports/table-rows";

export const metadata: Metadata = { title: "Reports" };

const DAYS = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
// One formatter for every count: `toLocaleString` builds a new one each call, which cost more than the figures' queries.
const COUNT = new Intl.NumberFormat("en-GB");

type TableRows = { perMonth: string; perMonthTotals: string; optOuts: string; optOutTotals: string };

/**
 * The rows of both tables, as HTML (lib/reports/table-rows.ts), worked out
 * once for each report: `reportsOf` gives the same report object until the
 * record or the day changes, and no one changes it.
 */
const rowsByReport = new WeakMap<MonthlyReport, TableRows>();

function tableRowsOf(report: MonthlyReport, optOuts: OptOutReport): TableRows {
  const kept = rowsByReport.get(report);
  if (kept) return kept;
  const rows: TableRows = {
    perMonth: figureRowsHtml(
      report.months.map((m) => ({
        header: m.label,
        cells: [
          COUNT.format(m.received),
          COUNT.format(m.completed),
          COUNT.format(m.denied),
          m.medianDaysToClose === null ? { muted: "none closed" } : DAYS.format(m.medianDaysToClose),
          COUNT.format(m.overdueNow),
        ],
      })),
    ),
    perMonthTotals: figureRowsHtml([
      {
        header: `All ${report.months.length} months`,
        cells: [
          COUNT.format(report.totals.received),
          COUNT.format(report.totals.completed),
          COUNT.format(report.totals.denied),
          "",
          COUNT.format(report.overdueNow - report.overdueDueEarlier),
        ],
      },
    ]),
    optOuts: figureRowsHtml(optOuts.months.map((m, i) => ({ header: m.label, cells: optOuts.rows.map((row) => COUNT.format(row.counts[i] ?? 0)) }))),
    optOutTotals: figureRowsHtml([{ header: `All ${optOuts.months.length} months`, cells: optOuts.rows.map((row) => COUNT.format(row.total)) }]),
  };
  rowsByReport.set(report, rows);
  return rows;
}

export default async function ReportsPage({ searchParams }: { searchParams: Promise<{ months?: string | string[] }> }) {
  await requireStaff("/staff/reports", READING_ROLES);
  const { months } = await searchParams;
  const shown = reportMonthsFrom(typeof months === "string" ? months : undefined);
  const { timeZone } = getSettings();
  const { report, optOuts } = reportsOf(shown);
  const chart = describeChart(report);
  const rows = tableRowsOf(report, optOuts);
  return (
    <>
      <h1>Reports</h1>
      <p className="muted">
        Counted by calendar month in the organisation&apos;s time zone ({timeZone}). Today is <DateOnly date={report.today} />.
      </p>

      <h2>Overdue now</h2>
      <p className={styles.figure}>
        <span className={styles.headline}>{COUNT.format(report.overdueNow)}</span>{" "}
        open {pluralWord(report.overdueNow, "request is", "requests are")} past the due date with the clock running.
        {report.overdueDueEarlier > 0
          ? ` ${COUNT.format(report.overdueDueEarlier)} of them fell due before ${monthName(report.first)}.`
          : ""}
      </p>
      <p>
        <Link href="/staff">Go to the queue</Link>
      </p>

      <h2 id="per-month">Requests per month</h2>
      <nav aria-label="Period shown">
        <ul className={styles.periods}>
          {REPORT_MONTH_CHOICES.map((n) => (
            <li key={n}>
              <Link href={`/staff/reports?months=${n}`} aria-current={n === shown ? "page" : undefined}>
                Last {n} months
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <figure style={{ margin: "0 0 1.5rem" }}>
        <ChartLegend />
        <ReportChart months={shown} title={chart.title} describedBy="report-chart-summary" />
        <figcaption id="report-chart-summary" className={styles.caption}>
          {chart.summary}
        </figcaption>
      </figure>

      <p className="muted">
        Received counts requests by the day the legal clock started. Completed and refused count them by the month
        they were closed, and the median is the middle time from receipt to closing among those.
      </p>
      {/* Focusable so that keyboard users can scroll it when it is wider than a phone. */}
      <TableScroll labelledBy="per-month report-table-caption">
        <table className={styles.numbers}>
          {/* Short, so that on a phone it fits the screen while the table beneath it scrolls. */}
          <caption id="report-table-caption">
            {monthName(report.first)} to {monthName(report.last)}
          </caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Received</th>
              <th scope="col">Completed</th>
              <th scope="col">Refused</th>
              <th scope="col">Median days to close</th>
              <th scope="col">Overdue now, by due month</th>
            </tr>
          </thead>
          <tbody dangerouslySetInnerHTML={{ __html: rows.perMonth }} />
          <tfoot dangerouslySetInnerHTML={{ __html: rows.perMonthTotals }} />
        </table>
      </TableScroll>

      <h2 id="opt-outs">Opt-outs per month, by list</h2>
      <p className="muted">
        Each time an address left a list, by any route (the preference page, an email&apos;s unsubscribe link, a request, staff,
        or an import that reported the end), counted in the month it took effect. Leaving every list at once, and objecting to
        selling and sharing through the browser&apos;s privacy signal, have columns of their own.
      </p>
      <TableScroll labelledBy="opt-outs opt-out-caption">
        <table className={styles.numbers}>
          <caption id="opt-out-caption">
            {monthName(report.first)} to {monthName(report.last)}
          </caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              {optOuts.rows.map((row) => (
                <th scope="col" key={row.key}>
                  {row.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody dangerouslySetInnerHTML={{ __html: rows.optOuts }} />
          <tfoot dangerouslySetInnerHTML={{ __html: rows.optOutTotals }} />
        </table>
      </TableScroll>

      <h2>Download the records</h2>
      <p>
        These files hold supporters&apos; personal data. Keep them only as long as you need them, and only where the
        staff list could see them anyway.
      </p>
      <ul>
        <li>
          <a href="/staff/reports/requests.csv" download>
            Request log (CSV)
          </a>
          : one line per request, with its status, dates and assignee.
        </li>
        <li>
          <a href="/staff/reports/events.csv" download>
            Event log (CSV)
          </a>
          : every recorded step, in order, with the hash that chains it to the one before.
        </li>
        <li>
          <a href="/staff/reports/choices.csv" download>
            Email choices (CSV)
          </a>
          : each address&apos;s choices as they stand (every list it decided about, every list at once, selling and sharing),
          to carry them to your mailing tool and other systems.
        </li>
      </ul>
    </>
  );
}
