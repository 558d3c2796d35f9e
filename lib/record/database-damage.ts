/**
 * Whether a database file is whole, as SQLite itself sees it: its pages,
 * the b-trees of its tables and (for the full check) its indexes against
 * their tables. The record's own check reads only the log and the requests,
 * so a copy with a damaged page elsewhere (supporters, mail, the export of
 * a request) would pass it, and fail only later, when a page reads that
 * part. Backups and restores ask this first.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";

/** What SQLite says is wrong with the file, or that it is not a database at all; null when it is whole. */
export type DatabaseDamage = { notDatabase: true } | { notDatabase: false; detail: string };

/** How many of SQLite's findings a sentence quotes; the first says enough to recognise the damage. */
const FINDINGS_QUOTED = 3;

/**
 * `quick` runs SQLite's quick_check (every page and row, not indexes
 * against their tables: a fraction of the time, for the daily backup);
 * `full` runs integrity_check (for a restore, where nothing waits on it).
 */
export function databaseDamage(file: string, check: "quick" | "full"): DatabaseDamage | null {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { notDatabase: false, detail: messageOf(error) };
  }
  try {
    const findings = sqlite
      .prepare(`pragma ${check === "full" ? "integrity_check" : "quick_check"}(${FINDINGS_QUOTED})`)
      .pluck()
      .all() as string[];
    if (findings.length === 1 && findings[0] === "ok") return null;
    // Each finding may hold several lines; the heading naming the schema ("*** in database main ***") says nothing here.
    const lines = findings.flatMap((f) => f.split("\n")).map((l) => l.trim()).filter((l) => l !== "" && !/^\*\*\* in database \w+ \*\*\*$/.test(l));
    return { notDatabase: false, detail: lines.join("; ") };
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_NOTADB") return { notDatabase: true };
    return { notDatabase: false, detail: messageOf(error) };
  } finally {
    sqlite.close();
  }
}

/**
 * The same check in a process of its own (scripts/check-database.ts), for a
 * caller that must go on answering while SQLite reads every page: the
 * server's daily backup (a million requests take seconds). A check that
 * cannot run is reported as damage found, so nothing passes unchecked.
 */
export function databaseDamageApart(file: string, check: "quick" | "full", root = process.cwd()): Promise<DatabaseDamage | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "check-database.ts"), file, check], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
    const notRun = (why: string) => resolve({ notDatabase: false, detail: `its check could not be run (${why})` });
    child.once("error", (error) => notRun(messageOf(error)));
    child.once("close", (code) => {
      if (code !== 0) return notRun(err.trim().split("\n")[0] || `exit code ${String(code)}`);
      try {
        resolve(JSON.parse(out) as DatabaseDamage | null);
      } catch {
        notRun("its answer was not readable");
      }
    });
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
