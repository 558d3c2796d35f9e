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
import { measureLoad } from "./load";
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
  let server: BenchServer | null = null;
  let sampler: MemorySampler | null = null;
  const cleanUp = async () => {
    sampler?.stop();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }

  try {
    console.log(`Seeding ${options.requests} requests and ${options.supporters} supporters into ${path.relative(root, databasePath)}…`);
    const seedStart = performance.now();
    const world = seedBenchDatabase(databasePath, options, Date.now());
    const seedSeconds = seconds(seedStart);
    console.log(`Seeded in ${seedSeconds} s: ${world.rows.requests} requests, ${world.rows.events} events, ${world.rows.supporters} supporters with ${world.rows.supporterRecords} records.`);

    const buildStart = performance.now();
    buildIfNeeded();
    const buildSeconds = seconds(buildStart);

    server = await startBenchServer({ databasePath, dir });
    sampler = sampleMemory(server.pid);
    const memory = sampler;
    console.log(`Server on ${server.baseUrl}; each route: ${options.warmupSeconds} s warm-up, then ${options.seconds} s at 10 connections.`);
    const ctx: BenchContext = {
      baseUrl: server.baseUrl,
      databasePath,
      serverEnv: server.env,
      world,
      timing: { warmupSeconds: options.warmupSeconds, seconds: options.seconds },
      load: (spec) => measureLoad(server!.baseUrl, spec, ctx.timing),
      peakMemoryMb: () => memory.peakMb(),
    };
    const measureStart = performance.now();
    const figures: FigureResult[] = [];
    for (const figure of figuresToMeasure) {
      const measured = await figure.measure(ctx);
      for (const result of Array.isArray(measured) ? measured : [measured]) {
        figures.push(result);
        console.log(figureLine(result));
      }
    }
    const summary = summaryLine(figures);
    console.log(summary);

    const failed = figures.filter((f) => !f.passed).length;
    writeResults(RESULTS, {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      seconds: { seed: seedSeconds, build: buildSeconds, measure: seconds(measureStart), total: seconds(start) },
      machine: describeMachine(),
      size: { ...world.rows, drafts: options.drafts, serverProcesses: memory.processes() },
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
