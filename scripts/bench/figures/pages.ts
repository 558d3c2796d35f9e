/**
 * The pages people wait for: the staff queue (its first page, and a filtered
 * page 5,000 rows deep) and a supporter's own request. The queue is measured
 * against its floor, the same screen laid out from rows held in memory
 * (/staff/bench/queue, same session, layout and number of rows, no
 * database); the supporter's page against the trivial page with the same
 * session. Each is also measured on the short history, for the "flat with
 * history" figure; the three are measured in alternating rounds.
 */
import { listQueue } from "@/lib/queue/list-queue";
import { parseQueueQuery, queueHref } from "@/lib/queue/queue-query";
import { openDatabaseReadOnly } from "@/db/connection";
import { flatFigure, p99Figure, ratioFigure, type BenchContext, type Figure, type FigureResult } from "../figure";
import { trivialPage, sessionCookie } from "./baselines";

const P99_BUDGET_MS = 150;
const DEPTH = 5000;
/** The queue page's floor: the same screen from memory. */
export const QUEUE_FLOOR_PATH = "/staff/bench/queue";

/**
 * The queue filtered by type and status, starting after its 5,000th row (or
 * after half its rows, on a history too short to hold 5,000): found the way
 * the page finds pages.
 */
export function deepFilteredPath(databasePath: string, staffEmail: string): string {
  const db = openDatabaseReadOnly(databasePath);
  try {
    const query = parseQueueQuery({ type: "access", status: "completed" });
    const all = listQueue(db, { query, viewerEmail: staffEmail, now: new Date(), timeZone: "UTC", pageSize: DEPTH * 2 }).rows.length;
    const depth = Math.min(DEPTH, Math.floor(all / 2));
    const page = listQueue(db, { query, viewerEmail: staffEmail, now: new Date(), timeZone: "UTC", pageSize: depth });
    if (!page.next) throw new Error(`The bench database at ${databasePath} holds too few completed access requests.`);
    return queueHref({ ...query, after: page.next });
  } finally {
    db.$client.close();
  }
}

/** A queue page: its throughput against its floor's, its p99 under the budget, and itself on the short history. */
async function queueFigures(ctx: BenchContext, name: string, paths: { full: string; short: string }): Promise<FigureResult[]> {
  const cookie = sessionCookie(ctx.world.staff.sessionToken);
  const search = paths.full.includes("?") ? paths.full.slice(paths.full.indexOf("?")) : "";
  const page = { label: name, path: paths.full, cookie, status: 200 };
  const [floor, subject, short] = await ctx.compare([
    { on: "full", spec: { label: "its floor, the same screen from memory", path: `${QUEUE_FLOOR_PATH}${search}`, cookie, status: 200 } },
    { on: "full", spec: page },
    { on: "short", spec: { label: name, path: paths.short, cookie: sessionCookie(ctx.history.world.staff.sessionToken), status: 200 } },
  ]);
  const latency = await ctx.latency(page);
  return [
    ratioFigure(name, subject, floor, 0.85),
    p99Figure(name, latency, subject, P99_BUDGET_MS, { path: paths.full }),
    flatFigure(name, subject, short, { full: ctx.requests, short: ctx.history.requests }),
  ];
}

export const queueFirstPage: Figure = {
  name: "/staff first page",
  measure: (ctx) => queueFigures(ctx, "/staff first page", { full: "/staff", short: "/staff" }),
};

export const queueDeepPage: Figure = {
  name: "/staff filtered, 5,000 rows deep",
  measure: (ctx) =>
    queueFigures(ctx, "/staff filtered, 5,000 rows deep", {
      full: deepFilteredPath(ctx.databasePath, ctx.world.staff.email),
      short: deepFilteredPath(ctx.history.databasePath, ctx.history.world.staff.email),
    }),
};

export const supporterRequest: Figure = {
  name: "supporter /requests/REF",
  async measure(ctx) {
    const name = "supporter /requests/REF";
    const { supporter } = ctx.world;
    const cookie = sessionCookie(supporter.sessionToken);
    const own = ctx.history.world.supporter;
    const [baseline, subject, short] = await ctx.compare([
      { on: "full", spec: trivialPage(cookie) },
      { on: "full", spec: { label: name, path: `/requests/${supporter.reference}`, cookie, status: 200 } },
      { on: "short", spec: { label: name, path: `/requests/${own.reference}`, cookie: sessionCookie(own.sessionToken), status: 200 } },
    ]);
    return [ratioFigure(name, subject, baseline, 0.8), flatFigure(name, subject, short, { full: ctx.requests, short: ctx.history.requests })];
  },
};
