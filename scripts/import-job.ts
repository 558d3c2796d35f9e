/**
 * Carries out one import job in a process of its own: the web server starts
 * it for each upload on /staff/import (server/import-runner.ts), so a large
 * file never holds up the server's other requests. It prints its progress as
 * one JSON line per thousand rows, which the server shows on the page. Not a
 * command for people: `npm run import -- FILE.csv` imports from the shell.
 */
import { randomUUID } from "node:crypto";
import { failImportJob, lowerImportPriority, runImportJob } from "@/lib/supporters/import/import-jobs";
import { settingsOrExit, openDatabaseOrExit } from "./lib/settings-or-exit";
import { keepNewFilesPrivate } from "./lib/private-files";

keepNewFilesPrivate();

const jobId = Number(process.argv[2]);
if (!Number.isSafeInteger(jobId) || jobId <= 0) {
  console.error("Usage: scripts/import-job.ts JOB_ID (started by the web server for an upload)");
  process.exit(2);
}

// Below the web server's priority: the pages people wait for come first while a large file is imported.
lowerImportPriority();
const settings = settingsOrExit();
const db = openDatabaseOrExit(settings.databasePath);
try {
  runImportJob(db, jobId, {
    secret: settings.authSecret,
    timeZone: settings.timeZone,
    now: () => new Date(),
    // Writes to a pipe are synchronous on Linux, so each line reaches the server while the rows are still being written.
    onProgress: (progress) => process.stdout.write(`${JSON.stringify(progress)}\n`),
  });
} catch (error) {
  const id = randomUUID().slice(0, 8);
  console.error(`[import] [error ${id}] import job ${jobId} failed`, error);
  failImportJob(db, jobId, { errorId: id, now: new Date() });
  process.exitCode = 1;
} finally {
  db.$client.close();
}
