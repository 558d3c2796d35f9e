import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importJobs, supporters } from "@/db/schema";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { nodeArgs } from "@/lib/testing/script-bundles";
import { sweepLeftScratch } from "./staging";
import { claimNextImport, IMPORT_NICENESS, listImportJobs, markInterruptedImports, MAX_QUEUED, queueImportJob, runImportJob, startImportHere, type StoredReport } from "./import-jobs";

const secret = "s".repeat(64);
const now = new Date("2026-12-02T10:00:00Z");
const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const alive = () => true;
const dead = () => false;

const GOOD = "kind,external_id,email,name\nsupporter,S-1,ada@example.org,Ada\nsupporter,S-2,bob@example.org,Bob\n";

describe("import jobs", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  const job = (id: number) => t.db.select().from(importJobs).where(eq(importJobs.id, id)).get()!;
  const queue = (content: string) => queueImportJob(t.db, { filename: "crm.csv", importedBy: "lead@example.org", bytes: content.length, content, now });
  /** A job as the server starts it: queued, then claimed for a process. */
  const claimed = (content: string, runnerPid: number | null) => {
    const queued = queue(content);
    if (!queued.ok) throw new Error(queued.message);
    expect(claimNextImport(t.db, { now, isAlive: () => false })).toBe(queued.jobId);
    if (runnerPid !== null) t.db.update(importJobs).set({ runnerPid }).where(eq(importJobs.id, queued.jobId)).run();
    return queued.jobId;
  };
  const run = (id: number) => runImportJob(t.db, id, { secret, timeZone: "UTC", now: () => now });

  it("writes the records and ends the job in one go; the records name the file, never who uploaded it", () => {
    const queued = queue(GOOD);
    if (!queued.ok) throw new Error(queued.message);
    expect(run(queued.jobId)).toMatchObject({ ok: true, counts: { created: 2 } });
    expect(job(queued.jobId)).toMatchObject({ status: "done", content: null, importedBy: "lead@example.org", finishedAt: now });
    expect((job(queued.jobId).report as StoredReport).counts).toEqual({ created: 2, updated: 0, unchanged: 0, skipped: 0 });
    const sources = t.db.select({ source: supporters.source }).from(supporters).all();
    expect(sources).toEqual([{ source: "import: crm.csv" }, { source: "import: crm.csv" }]);
    expect(JSON.stringify(t.db.select().from(supporters).all())).not.toContain("lead@example.org");
  });

  it("ends a file with problems refused, naming every one, with nothing written", () => {
    const queued = queue("kind,external_id,email,name\nsupporter,S-1,nobody,Ada\u0007\nsupporter,S-2,bob@example.org,Bob\n");
    if (!queued.ok) throw new Error(queued.message);
    expect(run(queued.jobId)).toMatchObject({ ok: false });
    expect(job(queued.jobId)).toMatchObject({ status: "refused", content: null });
    expect((job(queued.jobId).report as StoredReport).problems.map((p) => p.line)).toEqual([2, 2]);
    expect(countRows(t.db, supporters)).toBe(0);
  });

  it("runs one at a time: the next waits its turn, and a job whose process died no longer holds it up", () => {
    const first = claimed(GOOD, 4242);
    const second = queue(GOOD);
    if (!second.ok) throw new Error(second.message);
    // The first one's process is alive: nothing more starts.
    expect(claimNextImport(t.db, { now, isAlive: () => true })).toBeNull();
    expect(job(second.jobId).status).toBe("queued");
    // Its process is gone: shown as interrupted, marked so, and the next one starts.
    expect(listImportJobs(t.db, { isAlive: () => false }).find((j) => j.id === first)).toMatchObject({ status: "interrupted" });
    expect(claimNextImport(t.db, { now, isAlive: () => false })).toBe(second.jobId);
    expect(job(first)).toMatchObject({ status: "interrupted", content: null });
    expect(job(second.jobId)).toMatchObject({ status: "running" });
  });

  it("keeps at most a few uploads waiting", () => {
    for (let i = 0; i < MAX_QUEUED; i++) expect(queue(GOOD).ok).toBe(true);
    expect(queue(GOOD)).toEqual({ ok: false, message: `${MAX_QUEUED} imports are already waiting their turn. Try again when they have run.` });
  });

  it("an import from the command line starts only when no other is under way or waiting, and runs in its own process", () => {
    const queued = queue(GOOD);
    const here = () => startImportHere(t.db, { filename: "shell.csv", importedBy: "npm run import (root on host)", bytes: 1, now, isAlive: alive });
    expect(here()).toEqual({ ok: false, message: "Another import is waiting to run (crm.csv, started by lead@example.org). Wait until it ends, then try again." });
    if (queued.ok) run(queued.jobId);
    const started = here();
    expect(started.ok).toBe(true);
    if (started.ok) expect(job(started.jobId)).toMatchObject({ status: "running", runnerPid: process.pid, importedBy: "npm run import (root on host)" });
  });

  it("when the server starts, marks as interrupted the running jobs whose process is gone, and leaves the queued ones their turn", () => {
    const running = (runnerPid: number | null) =>
      t.db.insert(importJobs).values({ filename: "crm.csv", importedBy: "lead@example.org", status: "running", runnerPid, bytes: 1, content: GOOD, createdAt: now }).run();
    running(4242);
    // Claimed by a server that stopped before it could start a process.
    running(null);
    const waiting = queue(GOOD);
    expect(markInterruptedImports(t.db, { now, isAlive: dead })).toBe(2);
    expect(t.db.select({ status: importJobs.status }).from(importJobs).all().map((j) => j.status)).toEqual(["interrupted", "interrupted", "queued"]);
    if (waiting.ok) expect(job(waiting.jobId).content).toBe(GOOD);
    // A live process is left to finish.
    running(process.pid);
    expect(markInterruptedImports(t.db, { now, isAlive: alive })).toBe(0);
    expect(t.db.select().from(importJobs).where(eq(importJobs.runnerPid, process.pid)).get()?.status).toBe("running");
  });

  it("a job whose process is killed while writing leaves nothing written, and is then reported as interrupted", { timeout: 120_000 }, async () => {
    // Enough rows that writing them outlasts the moment this test takes to see "writing" and kill, on a busy machine too.
    const rows = Array.from({ length: 200_000 }, (_, i) => `supporter,S-${i},p${i}@example.org,Person ${i}`);
    const jobId = claimed(`kind,external_id,email,name\n${rows.join("\n")}\n`, null);
    const child = spawn(process.execPath, [...nodeArgs("scripts/import-job.ts"), String(jobId)], {
      cwd: ROOT,
      // The signing key every command loads (made on first use) lives with this test's database, not in the project's data folder.
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NODE_ENV: "production",
        DATABASE_PATH: t.file,
        AUTH_SECRET: secret,
        SIGNING_KEY_FILE: path.join(t.dir, "signing-key.pem"),
        // Its scratch folder goes in this test's own folder: any other import starting meanwhile (other test files
        // run alongside) sweeps a killed import's folder from the system's temporary folder, as it should.
        TMPDIR: t.dir,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    // Killed as soon as it says it is writing: inside the transaction.
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        if (JSON.parse(line).phase === "writing") {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.once("exit", () => reject(new Error("the import ended before it was killed")));
    });
    await exited;
    expect(job(jobId)).toMatchObject({ status: "running", runnerPid: child.pid });
    expect(countRows(t.db, supporters)).toBe(0);
    expect(markInterruptedImports(t.db, { now })).toBe(1);
    expect(listImportJobs(t.db)[0]).toMatchObject({ status: "interrupted", filename: "crm.csv", importedBy: "lead@example.org" });
    // Its scratch folder is left behind, and the next import's sweep deletes it.
    const left = () => fs.readdirSync(t.dir).filter((name) => name.startsWith(`rightsdesk-import-${child.pid}-`));
    expect(left()).toHaveLength(1);
    sweepLeftScratch(t.dir);
    expect(left()).toEqual([]);
  });
});

describe("an import's process priority", () => {
  it.each([
    ["started at the usual priority: lowered to IMPORT_NICENESS", 0, IMPORT_NICENESS],
    ["started lower still (nice 15): left as it is, never raised", 15, 15],
  ])("%s", async (_what, startedAt, expected) => {
    const code = `import os from "node:os"; import { lowerImportPriority } from "./lib/supporters/import/import-jobs.ts"; lowerImportPriority(); console.log(os.getPriority());`;
    const child = spawn("nice", ["-n", String(startedAt), process.execPath, "--import", "tsx", "--input-type=module", "-e", code], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.once("close", resolve));
    expect(Number(out.trim())).toBe(expected);
  }, 30_000);
});
