/**
 * The two heavy jobs of a large organisation, each against what SQLite's
 * own command-line shell does with the same data in the same run:
 *
 * - the CSV download of every request (`/staff/reports/requests.csv`) by a
 *   staff session over HTTP, against `sqlite3 -csv` of the same query on
 *   the same database file; the two files are compared byte for byte;
 * - importing a file of BENCH_IMPORT_SUPPORTERS supporters (100,000) with
 *   nine records each, a million rows, with `npm run import` beside the
 *   running server, against `sqlite3`'s `.import` of the same file into one
 *   bare table of a scratch database (the least writing those rows can
 *   cost); with the import process's peak memory, and the queue's first
 *   page loaded throughout, its p99 held to a budget.
 *
 * `npm run import` is how a file of this size is imported: an upload at
 * /staff/import is at most 8 MB. It runs the same job as an upload's own
 * process (scripts/import-job.ts): runImportJob, in a process of its own.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { and, count, eq, like } from "drizzle-orm";
import { openDatabaseReadOnly } from "@/db/connection";
import { importJobs, requests, supporters } from "@/db/schema";
import { IMPORT_NODE_FLAGS } from "@/lib/supporters/import/import-jobs";
import { withinBudget, type BenchContext, type Budget, type Figure, type FigureResult } from "../figure";
import { LATENCY_CONNECTIONS, measureLoadUntil } from "../load";
import { sampleMemory } from "../memory-sampler";
import { parseBenchOptions } from "../options";
import { writeImportFile } from "../seed/import-file";
import { sessionCookie } from "./baselines";
import { lastLines, runChild } from "../../lib/child";

const SQLITE3 = "sqlite3";
const IMPORT_RATIO = 0.25;
const IMPORT_RSS_MB = 300;
const QUEUE_P99_MS = 300;
const CSV_RATIO = 0.5;

/** One sentence when the shell is missing, or null when it answers. */
function sqlite3Missing(): string | null {
  const probe = spawnSync(SQLITE3, ["-version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    return `The sqlite3 command-line shell was not found on the PATH (install the sqlite3 package), so this figure has no floor to be measured against.`;
  }
  return null;
}

function missingFloor(name: string, unit: string, limit: number, sentence: string): FigureResult {
  console.log(`  ${sentence}`);
  return { name, value: 0, unit, budget: { kind: "min_ratio", limit }, passed: false, ratio: 0, detail: { problem: sentence } };
}

function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

function round(value: number, places = 2): number {
  return Math.round(value * 10 ** places) / 10 ** places;
}

/** Runs sqlite3 with its output into `out` (or nowhere), timed from start to exit. */
async function runSqlite3(args: string[], out: string | null): Promise<number> {
  const exit = await runChild(SQLITE3, args, out === null ? {} : { stdoutTo: out }).done;
  if (exit.code !== 0 || exit.stderr.trim() !== "") throw new Error(`sqlite3 ${args.slice(0, 2).join(" ")} failed: ${exit.stderr.trim() || `exit code ${String(exit.code)}`}`);
  return exit.seconds;
}

// --- the CSV download --------------------------------------------------------

/** An instant stored as milliseconds, written as toISOString writes it (whole milliseconds, as a Date keeps them). */
function isoInstant(column: string): string {
  const ms = `cast(${column} as integer)`;
  return `strftime('%Y-%m-%dT%H:%M:%S', ${ms} / 1000, 'unixepoch') || printf('.%03dZ', ${ms} % 1000)`;
}

/** The request log's query, in SQL, giving what the download gives, column for column. */
export const REQUEST_LOG_SQL = `select reference, type, status, channel, subject_email,
  ${isoInstant("received_at")} as received_at, received_on, due_on, ${isoInstant("closed_at")} as closed_at,
  assignee_email, case when extended_at is null then 'no' else 'yes' end as extended, days_clock_stopped
  from requests order by id`;

type FileFacts = { bytes: number; records: number; sha256: string };

/** Size, records (CRLF line ends outside quotes: the bench's requests hold no line breaks) and digest of a file, skipping `skip` bytes. */
function factsOf(file: string, skip = 0): FileFacts {
  const hash = createHash("sha256");
  const fd = fs.openSync(file, "r");
  const buffer = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  let records = 0;
  let position = skip;
  try {
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      position += read;
      bytes += read;
      const chunk = buffer.subarray(0, read);
      hash.update(chunk);
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) records++;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { bytes, records, sha256: hash.digest("hex") };
}

/** The first line where the two files differ (for the figure's detail when they are not the same). */
function firstDifference(a: string, b: string, skipA: number): string {
  const head = (file: string, skip: number) => fs.readFileSync(file).subarray(skip, skip + (4 << 20)).toString("utf8").split("\r\n");
  const left = head(a, skipA);
  const right = head(b, 0);
  const i = left.findIndex((line, n) => line !== right[n]);
  return i === -1 ? "past the first 4 MB" : `line ${i + 1}: ${JSON.stringify(left[i]?.slice(0, 200))} against ${JSON.stringify(right[i]?.slice(0, 200))}`;
}

/** Downloads `urlPath` with the session cookie into `file`, timed from the request to the last byte. */
function download(baseUrl: string, urlPath: string, cookie: string, file: string): Promise<{ seconds: number; status: number; type: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const request = http.get(`${baseUrl}${urlPath}`, { headers: { cookie } }, (response) => {
      const out = fs.createWriteStream(file);
      response.pipe(out);
      out.once("error", reject);
      out.once("finish", () => resolve({ seconds: secondsSince(start), status: response.statusCode ?? 0, type: String(response.headers["content-type"] ?? "") }));
    });
    request.once("error", reject);
  });
}

const BYTE_ORDER_MARK_BYTES = 3;

function requestCount(databasePath: string): number {
  const db = openDatabaseReadOnly(databasePath);
  try {
    return db.select({ n: count() }).from(requests).get()?.n ?? 0;
  } finally {
    db.$client.close();
  }
}

export const csvDownloadFigure: Figure = {
  name: "CSV download of every request",
  async measure(ctx) {
    const name = "CSV download of every request (/staff/reports/requests.csv)";
    const missing = sqlite3Missing();
    if (missing) return missingFloor(name, "rows/s", CSV_RATIO, missing);
    const dir = path.dirname(ctx.databasePath);
    const floorFile = path.join(dir, "requests-sqlite3.csv");
    const appFile = path.join(dir, "requests-download.csv");
    try {
      // The same file, read by the shell: its own CSV writer, told to end lines with CRLF as the download does.
      const floorSeconds = await runSqlite3(["-readonly", "-csv", "-header", "-newline", "\r\n", ctx.databasePath, REQUEST_LOG_SQL], floorFile);
      const got = await download(ctx.baseUrl, "/staff/reports/requests.csv", sessionCookie(ctx.world.staff.sessionToken), appFile);
      if (got.status !== 200 || !got.type.startsWith("text/csv")) throw new Error(`The CSV download answered ${got.status} (${got.type}), not a CSV file.`);
      const floor = factsOf(floorFile);
      // The download starts with a byte-order mark for spreadsheets; the rest is compared byte for byte.
      const app = factsOf(appFile, BYTE_ORDER_MARK_BYTES);
      const rows = app.records - 1;
      // Every request in the database now: the seeded ones and those the filing figure added.
      const expected = requestCount(ctx.databasePath);
      const identical = app.sha256 === floor.sha256;
      const complete = rows === expected && floor.records - 1 === expected;
      const rate = rows / got.seconds;
      const floorRate = (floor.records - 1) / floorSeconds;
      const ratio = rate / floorRate;
      const budget: Budget = { kind: "min_ratio", limit: CSV_RATIO };
      console.log(
        `  (the download: ${rows} rows, ${app.bytes} bytes in ${round(got.seconds)} s; sqlite3 -csv: ${floor.records - 1} rows, ${floor.bytes} bytes in ${round(floorSeconds)} s; ` +
          `${identical ? "byte for byte the same after the byte-order mark" : `NOT the same: ${firstDifference(appFile, floorFile, BYTE_ORDER_MARK_BYTES)}`})`,
      );
      if (!complete) console.log(`  (INCOMPLETE: the download has ${rows} rows and sqlite3's ${floor.records - 1}, where the database holds ${expected} requests)`);
      return {
        name,
        value: Math.round(rate),
        unit: "rows/s",
        ratio,
        budget,
        passed: withinBudget(ratio, budget) && complete && identical,
        detail: {
          baseline: "sqlite3 -csv of the same query",
          baselineRequestsPerSecond: Math.round(floorRate),
          baselineUnit: "rows/s",
          seconds: round(got.seconds),
          baselineSeconds: round(floorSeconds),
          rows,
          bytes: app.bytes,
          sameBytes: identical ? "yes" : "no",
          complete: complete ? "yes" : `no: ${rows} rows of ${expected}`,
        },
      };
    } finally {
      fs.rmSync(floorFile, { force: true });
      fs.rmSync(appFile, { force: true });
    }
  },
};

// --- the import --------------------------------------------------------------

type ImportRun = { seconds: number; peakMb: number; output: string };

/** `npm run import -- FILE` beside the server, with its settings: the command's own process, its memory sampled throughout. */
function startImport(ctx: BenchContext, file: string): { done: Promise<ImportRun> } {
  const root = process.cwd();
  // What `npm run import` runs: node with the import's flags (heap limit included) on scripts/import.ts.
  const run = runChild(process.execPath, [...IMPORT_NODE_FLAGS, path.join(root, "scripts", "import.ts"), file], { cwd: root, env: { ...process.env, ...ctx.serverEnv } });
  const memory = sampleMemory(run.pid, 100);
  const done = run.done.then(
    (exit) => {
      const peakMb = memory.peakMb();
      memory.stop();
      if (exit.code !== 0) throw new Error(`npm run import exited with code ${String(exit.code)}: ${lastLines(exit)}`);
      return { seconds: exit.seconds, peakMb, output: `${exit.stdout}${exit.stderr}` };
    },
    (error: unknown) => {
      memory.stop();
      throw error;
    },
  );
  return { done };
}

export const importFigures: Figure = {
  name: "importing a CSV of supporters and their records, with the queue loaded meanwhile",
  async measure(ctx) {
    const parsed = parseBenchOptions(process.env);
    const supporterCount = parsed.ok ? parsed.options.importSupporters : 100_000;
    const dir = path.dirname(ctx.databasePath);
    const csvFile = path.join(dir, "import.csv");
    const scratch = path.join(dir, "import-floor.db");
    const written = writeImportFile(csvFile, supporterCount);
    const rowsLabel = written.rows.toLocaleString("en-GB");
    const name = `importing a ${rowsLabel}-row CSV (npm run import)`;
    try {
      const missing = sqlite3Missing();
      if (missing) return missingFloor(name, "rows/s", IMPORT_RATIO, missing);
      console.log(`  (the file: ${rowsLabel} rows, ${supporterCount} supporters, ${Math.round(written.bytes / 1e6)} MB)`);

      // The floor: the shell's own CSV reader into one bare table of a scratch database.
      const floorSeconds = await runSqlite3([scratch, ".import --csv " + csvFile + " imported"], null);
      const floorCount = spawnSync(SQLITE3, [scratch, "select count(*) from imported"], { encoding: "utf8" }).stdout.trim();
      if (Number(floorCount) !== written.rows) throw new Error(`sqlite3 .import read ${floorCount} rows, not the file's ${written.rows}.`);
      fs.rmSync(scratch, { force: true });

      const cookie = sessionCookie(ctx.world.staff.sessionToken);
      const page = { label: "/staff first page, during the import", path: "/staff", cookie, status: 200 };
      // The same page with nothing else going on, just before: what the machine gives it on its own.
      const quiet = await ctx.latency({ ...page, label: "/staff first page" });
      const run = startImport(ctx, csvFile);
      // Two people loading the queue back to back for as long as the import runs, as during the bulk action: one p99 over all of it.
      const during = await measureLoadUntil(ctx.baseUrl, { ...page, connections: LATENCY_CONNECTIONS }, run.done);
      const result = await run.done;
      console.log(`  (the queue's first page at ${LATENCY_CONNECTIONS} connections: p99 ${quiet.p99Ms} ms alone just before, ${during.p99Ms} ms over the ${round(result.seconds, 1)} s of the import, ${during.requests} requests)`);

      const db = openDatabaseReadOnly(ctx.databasePath);
      let imported: number;
      let jobStatus: string | undefined;
      try {
        imported = db.select({ n: count() }).from(supporters).where(and(like(supporters.externalId, "IMP-%"), eq(supporters.source, "import: import.csv"))).get()?.n ?? 0;
        jobStatus = db.select({ status: importJobs.status }).from(importJobs).where(eq(importJobs.filename, "import.csv")).get()?.status;
      } finally {
        db.$client.close();
      }
      if (imported !== supporterCount || jobStatus !== "done") {
        throw new Error(`The import did not write the file: ${imported} of ${supporterCount} supporters, job ${String(jobStatus)}; it said: ${result.output.trim().split("\n").slice(-3).join(" / ")}`);
      }

      const rate = written.rows / result.seconds;
      const floorRate = written.rows / floorSeconds;
      const ratio = rate / floorRate;
      const rateBudget: Budget = { kind: "min_ratio", limit: IMPORT_RATIO };
      const memoryBudget: Budget = { kind: "below", limit: IMPORT_RSS_MB };
      const pageBudget: Budget = { kind: "below", limit: QUEUE_P99_MS };
      const worst = during.p99Ms;
      const figures: FigureResult[] = [
        {
          name,
          value: Math.round(rate),
          unit: "rows/s",
          ratio,
          budget: rateBudget,
          passed: withinBudget(ratio, rateBudget),
          detail: {
            baseline: "sqlite3's .import into one bare table",
            baselineRequestsPerSecond: Math.round(floorRate),
            baselineUnit: "rows/s",
            seconds: round(result.seconds, 1),
            baselineSeconds: round(floorSeconds, 1),
            rows: written.rows,
            bytes: written.bytes,
          },
        },
        { name: "the import process's peak RSS", value: result.peakMb, unit: "MB", budget: memoryBudget, passed: withinBudget(result.peakMb, memoryBudget) },
        {
          name: "/staff first page p99 during the import",
          value: worst,
          unit: "ms",
          budget: pageBudget,
          passed: during.requests > 0 && withinBudget(worst, pageBudget),
          detail: { ratioToQuietP99: round(worst / Math.max(1, quiet.p99Ms)), floorP99Ms: quiet.p99Ms, connections: LATENCY_CONNECTIONS, p50Ms: during.p50Ms, requestsServed: during.requests },
        },
      ];
      return figures;
    } finally {
      fs.rmSync(csvFile, { force: true });
      fs.rmSync(scratch, { force: true });
    }
  },
};
