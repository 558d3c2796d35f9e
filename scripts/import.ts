/**
 * `npm run import -- FILE.csv`: supporter records from a CSV file, all rows or
 * none. The layout is in the README and on /staff/import.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase } from "@/db/migrate";
import { describeReport } from "@/lib/supporters/import/import-csv";
import { importFilename } from "@/lib/supporters/import/import-form";
import { progressLines } from "@/lib/supporters/import/progress-lines";
import { lowerImportPriority, runImportJob, startImportHere } from "@/lib/supporters/import/import-jobs";
import { settingsOrExit, openDatabaseOrExit } from "./lib/settings-or-exit";
import { keepNewFilesPrivate } from "./lib/private-files";

keepNewFilesPrivate();

const USAGE = "Usage: npm run import -- FILE.csv";

const args = process.argv.slice(2);
if (args[0] === "--help" || args[0] === "-h") {
  console.log(USAGE);
  process.exit(0);
}
if (args.length !== 1 || !args[0]) {
  console.error(`Give exactly one CSV file to import.\n\n${USAGE}`);
  process.exit(2);
}
// npm runs the command in the project's folder; a relative path is the one the person typed, from where they typed it.
const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), args[0]);
let bytes: number;
try {
  // Read a batch of rows at a time while it is imported, never whole: here only checked to be a readable file.
  fs.accessSync(file, fs.constants.R_OK);
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new Error("not a file");
  bytes = stat.size;
} catch {
  console.error(`Cannot read ${file}: check the path and that the file is readable.`);
  process.exit(2);
}

// Below the web server's priority: the pages people wait for come first while a large file is imported.
lowerImportPriority();
const settings = settingsOrExit();
const db = openDatabaseOrExit(settings.databasePath);
migrateDatabase(db);

// Recorded like an upload, so staff see every import and who ran it at /staff/import.
const job = startImportHere(db, {
  filename: importFilename(path.basename(file)),
  importedBy: `npm run import (${os.userInfo().username} on ${os.hostname()})`,
  bytes,
  now: new Date(),
});
if (!job.ok) {
  console.error(job.message);
  db.$client.close();
  process.exit(1);
}
console.log(`Importing ${file}…`);
const report = runImportJob(db, job.jobId, {
  file,
  secret: settings.authSecret,
  timeZone: settings.timeZone,
  now: () => new Date(),
  onProgress: progressLines(({ phase, done, total }) => console.log(`  ${done} of ${total} rows ${phase === "checking" ? "checked" : "written"}`)),
});
db.$client.close();
const lines = describeReport(report);
if (report.ok) {
  console.log(lines.join("\n"));
  process.exit(0);
}
console.error(lines.join("\n"));
process.exit(1);
