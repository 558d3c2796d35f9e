/**
 * A burst: approving BENCH_BULK_ERASURES (10,000) erasure requests in one
 * bulk action, every request matching a queue filter, each supporter with 20
 * records, carried out in a worker process of its own beside the server as
 * the background job does it (scripts/bench/bulk-worker.ts), while the
 * queue's first page is loaded throughout by two people at once. Two
 * figures: how long the action takes in all (under 120 s), and the first
 * page's p99 over the whole action (under 300 ms), with its ratio to a floor
 * measured just before in the same run: the same page's p99 with nothing
 * else going on.
 */
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { openDatabase } from "@/db/connection";
import { bulkJobItems, bulkJobs, requests } from "@/db/schema";
import { createBulkJob } from "@/lib/queue/bulk-actions";
import { parseQueueQuery } from "@/lib/queue/queue-query";
import { withinBudget, type BenchContext, type Budget, type Figure, type FigureResult } from "../figure";
import { parseBenchOptions } from "../options";
import { BURST_EMAIL_PREFIX, seedErasureBurst } from "../seed/erasure-burst";
import { sessionCookie } from "./baselines";
import { lastLines, runChild } from "../../lib/child";
import { LATENCY_CONNECTIONS, measureLoadUntil } from "../load";

const JOB_BUDGET_S = 120;
const P99_BUDGET_MS = 300;

type WorkerResult = { elapsedMs: number; beats: number };

function runWorker(ctx: BenchContext): { done: Promise<WorkerResult> } {
  const root = process.cwd();
  const worker = runChild(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/bench/bulk-worker.ts", ctx.databasePath, ctx.baseUrl], { cwd: root });
  const done = worker.done.then((exit) => {
    if (exit.code !== 0) throw new Error(`The bulk worker exited with code ${String(exit.code)}: ${lastLines(exit)}`);
    return JSON.parse(exit.stdout.trim().split("\n").pop() ?? "{}") as WorkerResult;
  });
  return { done };
}

export const bulkApprovalFigures: Figure = {
  name: "approving a burst of erasures in one bulk action, with the queue loaded meanwhile",
  async measure(ctx) {
    const parsed = parseBenchOptions(process.env);
    const count = parsed.ok ? parsed.options.bulkErasures : 10_000;
    const db = openDatabase(ctx.databasePath);
    try {
      const seedStart = performance.now();
      const { records } = seedErasureBurst(db.$client, { count, now: Date.now() });
      console.log(`  (burst seeded in ${Math.round((performance.now() - seedStart) / 1000)} s: ${count} erasure requests in review, ${records} supporter records)`);
      const cookie = sessionCookie(ctx.world.staff.sessionToken);
      const page = { label: "/staff first page", path: "/staff", cookie, status: 200 };

      // The floor: the same page, with nothing else going on.
      const floor = await ctx.latency(page);

      // As the queue's form does it: every request matching the filter, approved, the erasure box ticked.
      const createStart = performance.now();
      const created = createBulkJob(db, {
        action: "approve",
        params: { confirmedErasure: true },
        selection: { kind: "filter", query: { ...parseQueueQuery({ q: BURST_EMAIL_PREFIX, type: "erasure", status: "in_review" }), after: null }, viewerEmail: ctx.world.staff.email, today: new Date().toISOString().slice(0, 10) },
        by: ctx.world.staff.email,
        now: new Date(),
      });
      if (!created.ok || created.total !== count) throw new Error(`The bulk action did not cover the ${count} requests: ${JSON.stringify(created)}`);
      const createMs = performance.now() - createStart;

      const worker = runWorker(ctx);
      // Two people loading the queue back to back for as long as the action runs: one p99 over all of it.
      const during = await measureLoadUntil(ctx.baseUrl, { ...page, label: "/staff first page, during the bulk action", connections: LATENCY_CONNECTIONS }, worker.done);
      const result = await worker.done;
      const job = db.select().from(bulkJobs).where(eq(bulkJobs.id, created.jobId)).get();
      // Counted through the action's items: an erased request no longer carries its supporter's address.
      const completed =
        db
          .select({ n: sql<number>`count(*)` })
          .from(bulkJobItems)
          .innerJoin(requests, eq(requests.id, bulkJobItems.requestId))
          .where(sql`${bulkJobItems.jobId} = ${created.jobId} and ${requests.status} = 'completed'`)
          .get()?.n ?? 0;
      if (job?.status !== "done" || job.moved !== count || completed !== count) {
        throw new Error(`The bulk action did not complete every request: ${JSON.stringify({ status: job?.status, moved: job?.moved, completed })}`);
      }

      const seconds = Math.round((result.elapsedMs + createMs) / 100) / 10;
      const jobBudget: Budget = { kind: "below", limit: JOB_BUDGET_S };
      const pageBudget: Budget = { kind: "below", limit: P99_BUDGET_MS };
      const figures: FigureResult[] = [
        {
          name: `approving ${count.toLocaleString("en-GB")} erasures in one bulk action`,
          value: seconds,
          unit: "s",
          budget: jobBudget,
          passed: withinBudget(seconds, jobBudget),
          detail: { perSecond: Math.round(count / (result.elapsedMs / 1000)), choosingMs: Math.round(createMs), recordsEach: 20, beats: result.beats },
        },
        {
          name: "/staff first page p99 during the bulk action",
          value: during.p99Ms,
          unit: "ms",
          budget: pageBudget,
          passed: withinBudget(during.p99Ms, pageBudget),
          // Its ratio to the quiet page's p99 is kept with the figure's details: the report's own ratio column is for throughput.
          detail: {
            ratioToQuietP99: Math.round((during.p99Ms / Math.max(1, floor.p99Ms)) * 100) / 100,
            floorP99Ms: floor.p99Ms,
            connections: LATENCY_CONNECTIONS,
            p50Ms: during.p50Ms,
            requestsServed: during.requests,
          },
        },
      ];
      return figures;
    } finally {
      db.$client.close();
    }
  },
};
