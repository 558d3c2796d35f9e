import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { NOT_CSV, NOT_UTF8, UTF16 } from "@/lib/supporters/import/file-kind";
import { decodeImportFile, importFilename } from "@/lib/supporters/import/import-form";
import { IMPORT_NODE_FLAGS } from "@/lib/supporters/import/import-jobs";
import { scriptSandbox, type ScriptSandbox } from "@/lib/testing/run-script";

// Each test has its own folder and database, so each can run alone.
let sandbox: ScriptSandbox;
beforeEach(() => {
  sandbox = scriptSandbox("rightsdesk-import-");
});
afterEach(() => sandbox.remove());

const run = (args: string[]) => sandbox.run("scripts/import.ts", args);
const write = (name: string, text: string) => sandbox.write(name, text);

function count(table: string): number {
  const db = new Database(sandbox.databasePath, { readonly: true });
  try {
    return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("npm run import", () => {
  it("starts node with the import's heap limit, as the server starts an upload's job", () => {
    const scripts = (JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.import).toBe(`node ${IMPORT_NODE_FLAGS.join(" ")} scripts/import.ts`);
  });

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
    // One supporter already imported, so "nothing" is the database as it was.
    const before = write(
      "before.csv",
      "kind,external_id,supporter_external_id,email,name,amount,currency,date,method,card_last4\n" + "supporter,S-1,,ada@example.org,Ada,,,,,\n",
    );
    expect(run([before]).status).toBe(0);
    const file = write(
      "bad.csv",
      "kind,external_id,supporter_external_id,email,amount,currency,date,method,card_last4\n" +
        "supporter,S-2,,bob@example.org,,,,,\n" +
        "donation,D-2,S-2,,10.00,GBP,2025-03-01,card,4111111111111111\n",
    );
    const result = run([file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Nothing was imported: 1 problem in 1 row.");
    expect(result.stderr).toContain("line 3: card_last4 looks like a full card number");
    expect(result.stderr).not.toContain("4111111111111111");
    expect(count("supporters")).toBe(1);
  });

  it("names every problem of every row in one round", { timeout: 60_000 }, () => {
    const file = write(
      "many.csv",
      "kind,external_id,supporter_external_id,email,name,amount,currency,date,method\n" +
        "supporter,S-1,,not an address,Ada\u0007,,,,\n" +
        "donation,D-1,S-9,,,25.123,GBP,2025-02-30,cash\n",
    );
    const result = run([file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Nothing was imported: 5 problems in 2 rows.");
    for (const line of [
      "line 2: email must be a valid address",
      "line 2: name contains control characters",
      "line 3: date must be a date written YYYY-MM-DD",
      "line 3: amount must be a positive number like 25.00",
      'line 3: supporter_external_id "S-9" matches no supporter',
    ]) {
      expect(result.stderr).toContain(line);
    }
  });

  it("records the file's name as an upload of it is recorded", { timeout: 60_000 }, () => {
    const name = "Adhérents été <2025>.csv";
    expect(run([write(name, "kind,external_id,email\nsupporter,S-1,ada@example.org\n")]).status).toBe(0);
    const db = new Database(sandbox.databasePath, { readonly: true });
    try {
      expect(db.prepare("select filename from import_jobs").all()).toEqual([{ filename: importFilename(name) }]);
      expect(db.prepare("select source from supporters").all()).toEqual([{ source: "import: Adhérents été _2025_.csv" }]);
    } finally {
      db.close();
    }
  });

  it("reads a relative path from the folder npm was run in, not the project's", { timeout: 60_000 }, () => {
    write("here.csv", "kind,external_id,email\nsupporter,S-1,ada@example.org\n");
    const result = sandbox.run("scripts/import.ts", ["here.csv"], { INIT_CWD: sandbox.dir });
    expect(result.stdout).toContain("Imported 1 row: 1 created");
    expect(result.status).toBe(0);
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

  const HEADER = "kind,external_id,email,name\r\n";
  it.each<[string, Buffer, number, string]>([
    ["Excel's plain CSV (Windows-1252)", Buffer.concat([Buffer.from(`${HEADER}supporter,S-1,ada@example.org,Ada\r\n`), Buffer.from("supporter,S-2,zoe@example.org,Zoë Brontë\r\n", "latin1")]), 3, NOT_UTF8],
    ["Excel's Unicode Text (UTF-16)", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}supporter,S-1,ada@example.org,Zoë\r\n`, "utf16le")]), 1, UTF16],
    ["a workbook renamed .csv", Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("xl/workbook.xml")]), 1, NOT_CSV],
  ])("refuses %s as the upload page does, naming the line, and stores nothing", { timeout: 60_000 }, (_what, bytes, line, reason) => {
    const file = path.join(sandbox.dir, "export.csv");
    fs.writeFileSync(file, bytes);
    const result = run([file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Nothing was imported: 1 problem in 1 row.\n  line ${line}: ${reason}\n`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(count("supporters")).toBe(0);
    // The page refuses the same file with the same line and words.
    expect(decodeImportFile(new Uint8Array(bytes))).toEqual({ ok: false, fieldErrors: { file: `Line ${line}: ${reason}.` } });
  });
});
