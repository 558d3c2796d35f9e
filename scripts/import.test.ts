import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rightsdesk-import-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const result = spawnSync(tsx, ["scripts/import.ts", ...args], {
    cwd: root,
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATABASE_PATH: path.join(dir, "rightsdesk.db"),
      AUTH_SECRET: "s".repeat(64),
    },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function count(table: string): number {
  const db = new Database(path.join(dir, "rightsdesk.db"), { readonly: true });
  try {
    return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("npm run import", () => {
  it("imports a file, then reports the same file as unchanged", { timeout: 60_000 }, () => {
    const file = write(
      "good.csv",
      "kind,external_id,supporter_external_id,email,name,amount,currency,date,method,card_last4\n" +
        "supporter,S-1,,ada@example.org,Ada,,,,,\n" +
        "donation,D-1,S-1,,,25.00,GBP,2025-03-01,card,4242\n",
    );
    const first = run([file]);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("2 of 2 rows written");
    expect(first.stdout).toContain("Imported 2 rows: 2 created, 0 updated, 0 unchanged, 0 skipped.");
    const again = run([file]);
    expect(again.stdout).toContain("Imported 2 rows: 0 created, 0 updated, 2 unchanged, 0 skipped.");
    expect(count("donations")).toBe(1);
  });

  it("refuses a file with a bad row, naming the line, and stores nothing", { timeout: 60_000 }, () => {
    const file = write(
      "bad.csv",
      "kind,external_id,supporter_external_id,email,amount,currency,date,method,card_last4\n" +
        "supporter,S-2,,bob@example.org,,,,,\n" +
        "donation,D-2,S-2,,10.00,GBP,2025-03-01,card,4111111111111111\n",
    );
    const result = run([file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Nothing was imported: 1 row has a problem.");
    expect(result.stderr).toContain("line 3: card_last4 looks like a full card number");
    expect(result.stderr).not.toContain("4111111111111111");
    expect(count("supporters")).toBe(1);
  });

  it.each([
    [[], "Give exactly one CSV file to import."],
    [["/nonexistent/file.csv"], "Cannot read /nonexistent/file.csv"],
  ])("refuses %j", (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
