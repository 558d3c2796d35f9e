/**
 * The pages people wait for: the staff queue (its first page, and a filtered
 * page 5,000 rows deep) and a supporter's own request, each against the
 * trivial page with the same session, back to back in the same server.
 */
import { listQueue } from "@/lib/queue/list-queue";
import { parseQueueQuery, queueHref } from "@/lib/queue/queue-query";
import { openDatabaseReadOnly } from "@/db/connection";
import { ratioFigure, withinBudget, type BenchContext, type Figure, type FigureResult } from "../figure";
import { trivialPage, sessionCookie } from "./baselines";

const P99_BUDGET_MS = 150;
const DEPTH = 5000;

/** The queue filtered by type and status, starting after its 5,000th row: found the way the page finds pages. */
export function deepFilteredPath(ctx: BenchContext): string {
  const db = openDatabaseReadOnly(ctx.databasePath);
  try {
    const query = parseQueueQuery({ type: "access", status: "completed" });
    const page = listQueue(db, { query, viewerEmail: ctx.world.staff.email, now: new Date(), timeZone: "UTC", pageSize: DEPTH });
    if (!page.next) throw new Error(`The bench database holds fewer than ${DEPTH} completed access requests.`);
    return queueHref({ ...query, after: page.next });
  } finally {
    db.$client.close();
  }
}

/** A queue page: its throughput against the trivial page's, and its p99 under the budget. */
async function queueFigures(ctx: BenchContext, name: string, path: string): Promise<FigureResult[]> {
  const cookie = sessionCookie(ctx.world.staff.sessionToken);
  const baseline = await ctx.load(trivialPage(cookie));
  const subject = await ctx.load({ label: name, path, cookie, status: 200 });
  const budget = { kind: "below", limit: P99_BUDGET_MS } as const;
  return [
    ratioFigure(name, subject, baseline, 0.7),
    { name: `${name}, p99`, value: subject.p99Ms, unit: "ms", budget, passed: withinBudget(subject.p99Ms, budget), detail: { path } },
  ];
}

export const queueFirstPage: Figure = {
  name: "/staff first page",
  measure: (ctx) => queueFigures(ctx, "/staff first page", "/staff"),
};

export const queueDeepPage: Figure = {
  name: "/staff filtered, 5,000 rows deep",
  measure: (ctx) => queueFigures(ctx, "/staff filtered, 5,000 rows deep", deepFilteredPath(ctx)),
};

export const supporterRequest: Figure = {
  name: "supporter /requests/REF",
  async measure(ctx) {
    const { supporter } = ctx.world;
    const cookie = sessionCookie(supporter.sessionToken);
    const baseline = await ctx.load(trivialPage(cookie));
    const subject = await ctx.load({ label: "supporter /requests/REF", path: `/requests/${supporter.reference}`, cookie, status: 200 });
    return ratioFigure("supporter /requests/REF", subject, baseline, 0.7);
  },
};

