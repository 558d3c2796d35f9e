import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { scriptSandbox, type ScriptSandbox } from "@/lib/testing/run-script";
import { freePort } from "./lib/processes";

/** Whether anyone but the file's owner may read, write or enter it. */
const othersMay = (file: string) => (fs.statSync(file).mode & 0o077) !== 0;

describe("npm run backup and npm run restore", () => {
  let box: ScriptSandbox;
  let env: Record<string, string>;
  beforeAll(async () => {
    box = scriptSandbox();
    // A port nothing listens on, so the check for a running portal asks only this sandbox's.
    env = { BACKUP_DIR: path.join(box.dir, "backups"), BACKUP_KEEP: "2", PORT: String(await freePort()) };
    const db = openDatabase(box.databasePath);
    migrateDatabase(db);
    for (const email of ["ann@example.org", "bob@example.org"]) {
      fileVerifiedRequest(db, { submission: { type: "access", email, details: { type: "access" } }, now: new Date(), ctx: TEST_CONTEXT });
    }
    db.$client.close();
  });
  afterAll(() => box.remove());

  const run = (script: string, args: string[] = []) => box.run(script, args, env);

  it("backs up into BACKUP_DIR, verified", () => {
    const result = run("scripts/backup.ts");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Backed up to .*backups\/rightsdesk-\d{4}-\d{2}-\d{2}T\d{6}Z(-\d+)?\.db: 2 events, verified, [\d.]+ MB\.\n$/);
    // A copy of every supporter's data: readable by the portal's own user only, the folder too.
    const folder = path.join(box.dir, "backups");
    const [backup] = fs.readdirSync(folder);
    expect(othersMay(folder)).toBe(false);
    expect(othersMay(path.join(folder, backup!))).toBe(false);
  });

  it("refuses to restore while another process has the database open, and replaces nothing", async () => {
    const [backup] = fs.readdirSync(path.join(box.dir, "backups"));
    const holder = spawn(process.execPath, ["-e", `const D=require("better-sqlite3");const d=new D(${JSON.stringify(box.databasePath)});d.prepare("select 1").get();console.log("open");setInterval(()=>{},1000)`], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
      const result = run("scripts/restore.ts", [path.join(box.dir, "backups", backup!)]);
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(`The portal is running (process ${holder.pid} has the database open): stop it, and any mail worker, before restoring. Nothing was replaced.`);
      expect(fs.readdirSync(box.dir).filter((f) => f.includes("replaced"))).toEqual([]);
    } finally {
      holder.kill("SIGKILL");
      await new Promise((resolve) => holder.once("close", resolve));
    }
  });

  it("restores once nothing holds it, keeping the database it replaced", () => {
    const [backup] = fs.readdirSync(path.join(box.dir, "backups"));
    const result = run("scripts/restore.ts", [path.join(box.dir, "backups", backup!)]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe(`Restored ${path.join(box.dir, "backups", backup!)} to ${box.databasePath}: 2 events, verified.`);
    expect(lines[1]).toMatch(new RegExp(`^The database it replaced is kept as ${box.databasePath.replace(/[.]/g, "\\.")}\\.replaced-.*Z\\.$`));
    expect(lines.at(-1)).toBe(`The restore is signed into ${path.join(box.dir, "anchors.jsonl")}.`);
    expect(othersMay(box.databasePath)).toBe(false);
    expect(run("scripts/audit-verify.ts").status).toBe(0);
  });

  it("says in one sentence why a BACKUP_DIR that cannot be written keeps nothing", () => {
    const inTheWay = box.write("not-a-folder", "a file where the backups' folder should be\n");
    const result = box.run("scripts/backup.ts", [], { ...env, BACKUP_DIR: path.join(inTheWay, "backups") });
    expect(result).toMatchObject({ status: 1, stdout: "" });
    expect(result.stderr).toBe(
      `The backup could not be written to ${path.join(inTheWay, "backups")}: ${inTheWay} is a file, not a folder. Nothing was kept; make the folder writable, or set BACKUP_DIR to one that is.\n`,
    );
  });

  it("says how to use it", () => {
    expect(run("scripts/restore.ts")).toMatchObject({ status: 2, stderr: expect.stringMatching(/Use: npm run restore -- FILE/) });
  });
});
