/**
 * `npm run bench`: a fresh database with a million requests and 100,000
 * supporters, the production server on it, and each figure measured and held
 * to its budget (README, "Benchmark"). Exits 1 when a budget fails or the
 * bench cannot run; the server and the database are removed either way.
 */
import fs from "node:fs";
import path from "node:path";
import { buildIfStale } from "../lib/build-fingerprint";
import type { BenchContext, FigureResult } from "./figure";
import { FIGURES } from "./figures";
import { LATENCY_CONNECTIONS, measureLoad, measureRounds, type LoadSpec } from "./load";
import { describeMachine } from "./machine";
import { sampleMemory, type MemorySampler } from "./memory-sampler";
import { chosenFigures, parseBenchOptions } from "./options";
import { figureLine, summaryLine, writeResults } from "./report";
import { seedBenchDatabase } from "./seed/seed-database";
import { startBenchServer, type BenchServer } from "./server";

const root = process.cwd();
const RESULTS = path.join(root, "data", "bench", "results.json");


function seconds(since: number): number {
  return Math.round((performance.now() - since) / 100) / 10;
}

/** The short history: BENCH_HISTORY_REQUESTS requests, with supporters in the same proportion (at least a thousand) and the same drafts to file. */
function historySeedSize(options: { requests: number; supporters: number; drafts: number; historyRequests: number }) {
  const share = options.historyRequests / options.requests;
  return { requests: options.historyRequests, supporters: Math.max(1000, Math.round(options.supporters * share)), drafts: options.drafts };
}

function buildIfNeeded(): void {
  const build = buildIfStale(root, { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, "Building (no build of the current code yet)…");
  if (!build.ok) throw new Error("The build failed (see above).");
}

async function main(): Promise<number> {
  const parsed = parseBenchOptions(process.env);
  if (!parsed.ok) {
    console.error(`The bench cannot start: ${parsed.message}`);
    return 1;
  }
  const { options } = parsed;
  const figuresToMeasure = chosenFigures(FIGURES, options.only);
  if (figuresToMeasure.length === 0) {
    console.error(`The bench cannot start: no figure's name contains "${options.only}". The figures are: ${FIGURES.map((f) => f.name).join("; ")}.`);
    return 1;
  }
  const startedAt = new Date();
  const start = performance.now();
  fs.mkdirSync(path.join(root, "data", "bench"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, "data", "bench", "run-"));
  const databasePath = path.join(dir, "bench.db");
  const historyPath = path.join(dir, "history", "bench.db");
  fs.mkdirSync(path.dirname(historyPath));
  let server: BenchServer | null = null;
  let historyServer: BenchServer | null = null;
  let sampler: MemorySampler | null = null;
  const cleanUp = async () => {
    sampler?.stop();
    await server?.stop();
    await historyServer?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }

  try {
    console.log(`Seeding ${options.requests} requests and ${options.supporters} supporters into ${path.relative(root, databasePath)}…`);
    const seedStart = performance.now();
    const world = seedBenchDatabase(databasePath, options, Date.now());
    console.log(`Seeded in ${seconds(seedStart)} s: ${world.rows.requests} requests, ${world.rows.events} events, ${world.rows.supporters} supporters with ${world.rows.supporterRecords} records.`);
    // The short history: the same seeding at a hundredth of the size, for the "flat with history" figures.
    const historySize = historySeedSize(options);
    const historyWorld = seedBenchDatabase(historyPath, historySize, Date.now());
    const seedSeconds = seconds(seedStart);
    console.log(`And a short history in ${path.relative(root, historyPath)}: ${historyWorld.rows.requests} requests, ${historyWorld.rows.supporters} supporters.`);

    const buildStart = performance.now();
    buildIfNeeded();
    const buildSeconds = seconds(buildStart);

    server = await startBenchServer({ databasePath, dir });
    historyServer = await startBenchServer({ databasePath: historyPath, dir: path.dirname(historyPath) });
    // Which figure is being measured, so the server's peak memory says when it was reached.
    let measuring: string | null = "starting";
    sampler = sampleMemory(server.pid, 200, () => measuring);
    const memory = sampler;
    console.log(`Server on ${server.baseUrl}, and on the short history ${historyServer.baseUrl}; each route: ${options.warmupSeconds} s warm-up, then ${options.seconds} s at 10 connections (p99s at ${LATENCY_CONNECTIONS}).`);
    const timing = { warmupSeconds: options.warmupSeconds, seconds: options.seconds };
    const historyUrl = historyServer.baseUrl;
    const ctx: BenchContext = {
      baseUrl: server.baseUrl,
      databasePath,
      serverEnv: server.env,
      world,
      requests: world.rows.requests,
      history: {
        requests: historyWorld.rows.requests,
        baseUrl: historyUrl,
        databasePath: historyPath,
        world: historyWorld,
      },
      timing,
      latency: (spec) => measureLoad(server!.baseUrl, { ...spec, connections: LATENCY_CONNECTIONS }, ctx.timing),
      compare: (async (entries: ReadonlyArray<{ on: "full" | "short"; spec: LoadSpec }>) =>
        measureRounds(
          entries.map(({ on, spec }) => ({ baseUrl: on === "full" ? server!.baseUrl : historyUrl, spec })),
          ctx.timing,
        )) as BenchContext["compare"],
      peakMemoryMb: () => memory.peakMb(),
      peakMemoryDuring: () => memory.peakDuring(),
    };
    const measureStart = performance.now();
    const figures: FigureResult[] = [];
    const figureSeconds: Record<string, number> = {};
    for (const figure of figuresToMeasure) {
      const figureStart = performance.now();
      measuring = figure.name;
      const measured = await figure.measure(ctx);
      for (const result of Array.isArray(measured) ? measured : [measured]) {
        figures.push(result);
        console.log(figureLine(result));
      }
      figureSeconds[figure.name] = seconds(figureStart);
      console.log(`  (${figureSeconds[figure.name]} s)`);
    }
    const summary = summaryLine(figures);
    console.log(summary);

    const failed = figures.filter((f) => !f.passed).length;
    writeResults(RESULTS, {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      seconds: { seed: seedSeconds, build: buildSeconds, measure: seconds(measureStart), total: seconds(start), ...figureSeconds },
      machine: describeMachine(),
      size: { ...world.rows, drafts: options.drafts, historyRequests: historyWorld.rows.requests, serverProcesses: memory.processes() },
      figures,
      passed: figures.length - failed,
      failed,
    });
    console.log(`Figures written to ${path.relative(root, RESULTS)}; the bench took ${seconds(start)} s.`);
    return failed === 0 ? 0 : 1;
  } catch (error) {
    console.error(`The bench stopped: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await cleanUp();
  }
}

process.exitCode = await main();
