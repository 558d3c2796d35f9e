/**
 * The staff reports page over the last twelve months, against the trivial
 * page with the same staff session, back to back in the same server; its
 * p99 at the latency figures' connections; and itself on the short
 * history, for the "flat with history" figure. Its
 * figures come from the small tables the triggers on `requests` keep
 * (lib/reports/report-tables.ts); before measuring, the figure checks that
 * the tables count in the server's time zone (otherwise the page would be
 * counting from the requests, and this would measure that) and that they
 * give the same figures as the count over the requests, so the seed filled
 * them as the migration's backfill does.
 */
import { openDatabaseReadOnly } from "@/db/connection";
import { countFromRequests, countFromTables } from "@/lib/reports/monthly-report";
import { reportTablesZone } from "@/lib/reports/report-tables";
import { flatFigure, p99Figure, ratioFigure, type BenchContext, type Figure, type FigureResult } from "../figure";
import { BENCH_TIME_ZONE } from "../server";
import { sessionCookie, trivialPage } from "./baselines";

const NAME = "/staff/reports (12 months)";
const PATH = "/staff/reports?months=12";
const P99_BUDGET_MS = 150;
const MINUTE_MS = 60_000;

/** Throws, saying what differs, unless the tables hold what a count over the requests gives for the twelve months shown. */
function checkTables(databasePath: string): { months: number; checkMs: number } {
  const db = openDatabaseReadOnly(databasePath);
  try {
    const zone = reportTablesZone(db);
    if (zone !== BENCH_TIME_ZONE) throw new Error(`The reports' tables in ${databasePath} count in ${zone ?? "no time zone"}, not the bench server's ${BENCH_TIME_ZONE}.`);
    const input = { now: new Date(), timeZone: BENCH_TIME_ZONE, months: 12 };
    const started = performance.now();
    const scanned = countFromRequests(db, input);
    const checkMs = performance.now() - started;
    const kept = countFromTables(db, input);
    for (const [month, s] of scanned) {
      const k = kept.get(month)!;
      const medianOff = s.medianMs === null ? k.medianMs !== null : k.medianMs === null || Math.abs(k.medianMs - s.medianMs) >= MINUTE_MS;
      if (k.received !== s.received || k.completed !== s.completed || k.denied !== s.denied || medianOff) {
        throw new Error(`The reports' tables differ from the requests for ${month}: ${JSON.stringify(k)} against ${JSON.stringify(s)}.`);
      }
    }
    return { months: scanned.size, checkMs: Math.round(checkMs) };
  } finally {
    db.$client.close();
  }
}

export const reportsPage: Figure = {
  name: NAME,
  async measure(ctx: BenchContext): Promise<FigureResult[]> {
    const checked = checkTables(ctx.databasePath);
    checkTables(ctx.history.databasePath);
    const cookie = sessionCookie(ctx.world.staff.sessionToken);
    const page = { label: NAME, path: PATH, cookie, status: 200 };
    const [baseline, subject, short] = await ctx.compare([
      { on: "full", spec: trivialPage(cookie) },
      { on: "full", spec: page },
      { on: "short", spec: { label: NAME, path: PATH, cookie: sessionCookie(ctx.history.world.staff.sessionToken), status: 200 } },
    ]);
    const latency = await ctx.latency(page);
    const ratio = ratioFigure(NAME, subject, baseline, 0.7);
    // The count over the requests the page no longer makes, timed once in the bench process: what the tables save.
    ratio.detail = { ...ratio.detail, scanOfRequestsMs: checked.checkMs };
    return [
      ratio,
      p99Figure(NAME, latency, subject, P99_BUDGET_MS, { path: PATH }),
      flatFigure(NAME, subject, short, { full: ctx.requests, short: ctx.history.requests }),
    ];
  },
};
