import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { scriptSandbox, type ScriptSandbox } from "./run-script";
import { BUNDLES_VARIABLE, bundledPrograms, bundlePath, nodeArgs, TEST_CHILDREN } from "./script-bundles";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

describe("the programs the tests start", () => {
  let sandbox: ScriptSandbox | null = null;
  afterEach(() => {
    sandbox?.remove();
    sandbox = null;
  });

  it("are every command in scripts/ and each child a test drives, all of them files that exist", () => {
    const programs = bundledPrograms(ROOT);
    for (const command of ["scripts/staff.ts", "scripts/backup.ts", "scripts/import-job.ts", "scripts/migrate.ts", "scripts/start.ts"]) {
      expect(programs).toContain(command);
    }
    expect(programs.filter((p) => p.endsWith(".test.ts"))).toEqual([]);
    for (const program of [...programs, ...TEST_CHILDREN]) expect(fs.existsSync(path.join(ROOT, program)), program).toBe(true);
  });

  it("are started from this run's bundles, one for each", () => {
    const folder = process.env[BUNDLES_VARIABLE];
    expect(folder, "the global setup gives the run its bundles").toBeTruthy();
    for (const program of bundledPrograms(ROOT)) {
      expect(fs.existsSync(bundlePath(folder!, program)), program).toBe(true);
      expect(nodeArgs(program)).toEqual([bundlePath(folder!, program)]);
    }
  });

  it("start from source through tsx where no bundle was made", () => {
    const folder = process.env[BUNDLES_VARIABLE];
    try {
      delete process.env[BUNDLES_VARIABLE];
      expect(nodeArgs("scripts/staff.ts")).toEqual(["--import", "tsx", path.join(ROOT, "scripts", "staff.ts")]);
    } finally {
      if (folder !== undefined) process.env[BUNDLES_VARIABLE] = folder;
    }
    expect(nodeArgs("lib/testing/not-bundled.ts")).toEqual(["--import", "tsx", path.join(ROOT, "lib", "testing", "not-bundled.ts")]);
  });

  it("keep each file's own location in a bundle: the migrations beside db/migrate.ts are found and applied", () => {
    sandbox = scriptSandbox();
    const result = sandbox.run("scripts/migrate.ts");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const db = new Database(sandbox.databasePath, { readonly: true });
    try {
      const applied = db.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number };
      const journal = JSON.parse(fs.readFileSync(path.join(ROOT, "db", "migrations", "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
      expect(applied.n).toBe(journal.entries.length);
    } finally {
      db.close();
    }
  });
});
