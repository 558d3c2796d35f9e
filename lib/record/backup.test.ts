import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabaseReadOnly } from "@/db/connection";
import { inRawTransaction } from "@/db/transaction";
import { appendAnchor, readAnchorFile, signAnchor } from "@/lib/audit/anchors";
import { chainHead } from "@/lib/audit/event-log";
import { verifyRecord } from "@/lib/audit/verify-record";
import { loadOrCreateSigningKey, type SigningKey } from "@/lib/settings/signing-key";
import { seedRequests } from "@/scripts/bench/seed/seed-requests";
import { nodeArgs } from "@/lib/testing/script-bundles";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { damageTable } from "@/lib/testing/damaged-database";
import { backupDatabase, backupName, listBackups } from "./backup";
import { databaseDamage, databaseDamageApart } from "./database-damage";
import { processesUsing } from "./database-in-use";
import { restoreBackup } from "./restore";

const FILER = "lib/testing/file-requests-in-child.ts";

/** The child process filing requests from `connections` threads; `filed` grows as each commits. */
function startFiling(databasePath: string, connections: number, goFile: string, stopFile: string) {
  const child = spawn(process.execPath, [...nodeArgs(FILER), databasePath, String(connections), goFile, stopFile], { stdio: ["ignore", "pipe", "pipe"] });
  const filed: string[] = [];
  let partial = "";
  let err = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    filed.push(...lines.filter((l) => l !== ""));
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    if (err.includes("ready\n")) markReady();
  });
  const done = new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`filing child exited ${String(code)}: ${err}`))));
  });
  return { filed, ready: Promise.race([ready, done]), done, kill: () => child.kill("SIGKILL") };
}

const until = async (condition: () => boolean, what: string, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe("backups", () => {
  let t: TempDatabase;
  let key: SigningKey;
  let backupDir: string;
  let anchorFile: string;
  beforeEach(() => {
    t = openTempDatabase();
    key = loadOrCreateSigningKey(path.join(t.dir, "signing-key.pem"));
    backupDir = path.join(t.dir, "backups");
    anchorFile = path.join(t.dir, "anchors.jsonl");
  });
  afterEach(() => t.close());

  /** Enough history that copying and checking it takes a while: 4,000 requests and their events. */
  function seedHistory() {
    // Loaded as the benchmark loads them: events may name a request of the same batch written after them.
    t.db.$client.pragma("foreign_keys = OFF");
    seedRequests(t.db.$client, { count: 4000, now: Date.parse("2026-03-01T00:00:00Z"), supporters: 100 });
    t.db.$client.pragma("foreign_keys = ON");
  }

  const backup = (now = new Date()) =>
    backupDatabase({ databasePath: t.file, backupDir, keep: 3, now, anchors: readAnchorFile(anchorFile).sources, publicKey: key.publicKey });

  it("names backups by when they were taken, so they sort in time", () => {
    expect(backupName(new Date("2026-03-02T09:05:07.123Z"))).toBe("rightsdesk-2026-03-02T090507Z.db");
  });

  it(
    "taken while 10 connections file requests, restores to a database whose record verifies and holds every request confirmed before it began",
    async () => {
      seedHistory();
      const goFile = path.join(t.dir, "go");
      const stopFile = path.join(t.dir, "stop");
      const filing = startFiling(t.file, 10, goFile, stopFile);
      try {
        await filing.ready;
        fs.writeFileSync(goFile, "");
        await until(() => filing.filed.length >= 50, "the first requests to be filed");

        // Everything committed when the backup begins, read on a connection of our own.
        const confirmedBefore = t.db.$client.prepare("select reference from requests").pluck().all() as string[];
        const filedBefore = filing.filed.length;
        const outcome = await backup();
        const filedDuring = filing.filed.length - filedBefore;
        fs.writeFileSync(stopFile, "");
        await filing.done;

        expect(outcome).toMatchObject({ ok: true });
        if (!outcome.ok) return;
        // The writers did not wait for the backup: requests kept being filed while it was taken and checked.
        expect(filedDuring).toBeGreaterThan(0);
        const live = t.db.$client.prepare("select count(*) from requests").pluck().get() as number;

        const restoredPath = path.join(t.dir, "restored", "rightsdesk.db");
        const restored = restoreBackup({ backup: outcome.file, databasePath: restoredPath, anchorFile, key, now: new Date() });
        expect(restored).toMatchObject({ ok: true, replacedBy: null });

        const db = openDatabaseReadOnly(restoredPath);
        try {
          const report = verifyRecord(db, { anchors: readAnchorFile(anchorFile).sources, publicKey: key.publicKey });
          expect(report.problem).toBeNull();
          const held = new Set(db.$client.prepare("select reference from requests").pluck().all() as string[]);
          expect(confirmedBefore.filter((r) => !held.has(r))).toEqual([]);
          // A moment's copy: some requests filed after it began are in it, the ones after it are not; each it holds is whole.
          expect(held.size).toBeGreaterThanOrEqual(confirmedBefore.length);
          expect(held.size).toBeLessThan(live);
          expect(report.states).toMatchObject({ requests: held.size, problem: null });
        } finally {
          db.$client.close();
        }
      } finally {
        fs.writeFileSync(stopFile, "");
        filing.kill();
      }
    },
    120_000,
  );

  it("keeps the last BACKUP_KEEP, deleting only its own older backups", async () => {
    seedHistory();
    fs.mkdirSync(backupDir, { recursive: true });
    fs.writeFileSync(path.join(backupDir, "notes.txt"), "mine");
    const times = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"].map((d) => new Date(`${d}T01:00:00Z`));
    for (const at of times) expect(await backup(at)).toMatchObject({ ok: true });
    expect(listBackups(backupDir).map((f) => path.basename(f))).toEqual([
      "rightsdesk-2026-03-02T010000Z.db",
      "rightsdesk-2026-03-03T010000Z.db",
      "rightsdesk-2026-03-04T010000Z.db",
    ]);
    expect(fs.readdirSync(backupDir)).toContain("notes.txt");
    expect(fs.readdirSync(backupDir).filter((f) => f.endsWith(".partial"))).toEqual([]);
  });

  it("counts a second backup in the same second as the newer one, and keeps it", async () => {
    seedHistory();
    const at = new Date("2026-03-05T01:00:00Z");
    const first = await backup(at);
    const second = await backup(at);
    expect(second).toMatchObject({ ok: true, file: path.join(backupDir, "rightsdesk-2026-03-05T010000Z-2.db") });
    await backup(at);
    // BACKUP_KEEP is 3 here: the fourth of the second deletes the first of it, not one made after it.
    const fourth = await backup(at);
    expect(fourth).toMatchObject({ ok: true, file: path.join(backupDir, "rightsdesk-2026-03-05T010000Z-4.db"), removed: [first.ok && first.file] });
    for (let n = 5; n <= 10; n++) await backup(at);
    expect(listBackups(backupDir).map((f) => path.basename(f))).toEqual([
      "rightsdesk-2026-03-05T010000Z-8.db",
      "rightsdesk-2026-03-05T010000Z-9.db",
      "rightsdesk-2026-03-05T010000Z-10.db",
    ]);
  });

  it("keeps no backup whose record does not verify, and says why", async () => {
    seedHistory();
    t.db.$client.prepare("update request_events set action = 'note' where id = 7").run();
    const outcome = await backup();
    expect(outcome).toEqual({
      ok: false,
      problem: "The backup was not kept, because its record does not verify: Event 7 was changed after it was recorded: its content no longer matches its hash.",
    });
    expect(listBackups(backupDir)).toEqual([]);
    expect(fs.readdirSync(backupDir)).toEqual([]);
  });

  it.each([
    ["checked in this process (npm run backup)", undefined],
    ["checked in a process of its own (the server's daily backup)", (file: string) => databaseDamageApart(file, "quick")],
  ])("keeps no backup of a damaged database, and says so in a sentence: %s", async (_how, checkDamage) => {
    seedHistory();
    t.db.$client.pragma("wal_checkpoint(TRUNCATE)");
    damageTable(t.file, "supporters");
    const outcome = await backupDatabase({ databasePath: t.file, backupDir, keep: 3, now: new Date(), anchors: [], publicKey: key.publicKey, checkDamage });
    expect(outcome).toEqual({
      ok: false,
      problem: expect.stringMatching(/^The backup was not kept, because the database is damaged \(SQLite reports: .+\); restore the last good backup\.$/),
    });
    expect(fs.readdirSync(backupDir)).toEqual([]);
  });

  it("SQLite's check gives the same answer in a process of its own, and a check that cannot run passes nothing", async () => {
    const whole = path.join(t.dir, "whole.db");
    const damaged = path.join(t.dir, "damaged.db");
    const notADatabase = path.join(t.dir, "not.db");
    seedHistory();
    t.db.$client.pragma("wal_checkpoint(TRUNCATE)");
    fs.copyFileSync(t.file, whole);
    fs.copyFileSync(t.file, damaged);
    damageTable(damaged, "supporters");
    fs.writeFileSync(notADatabase, "name,email\nAnn,ann@example.org\n".repeat(200));
    for (const file of [whole, damaged, notADatabase]) {
      expect(await databaseDamageApart(file, "quick")).toEqual(databaseDamage(file, "quick"));
    }
    expect(databaseDamage(whole, "quick")).toBeNull();
    expect(databaseDamage(damaged, "quick")).toMatchObject({ notDatabase: false });
    expect(databaseDamage(notADatabase, "quick")).toEqual({ notDatabase: true });
    // Run from a folder without the project's scripts: the check did not happen, and that is not "whole".
    expect(await databaseDamageApart(whole, "quick", t.dir)).toEqual({ notDatabase: false, detail: expect.stringMatching(/^its check could not be run \(.+\)$/) });
  });

  describe("restoring", () => {
    async function takenBackup(): Promise<string> {
      seedHistory();
      const outcome = await backup();
      if (!outcome.ok) throw new Error(outcome.problem);
      return outcome.file;
    }

    it("replaces the database, keeps the replaced one, signs the restore, and the record then verifies with what it gave up named", async () => {
      const file = await takenBackup();
      const backupHead = chainHead(t.db);
      // The live log grows past the backup and is anchored there.
      inRawTransaction(t.db.$client, () => t.db.$client.prepare("delete from request_events where id > ?").run(backupHead.position - 10));
      const target = path.join(t.dir, "live", "rightsdesk.db");
      fs.mkdirSync(path.dirname(target));
      fs.copyFileSync(file, target);
      const grown = new Database(target);
      grown.prepare("insert into staff (email, role, added_at) values ('after@example.org', 'admin', 0)").run();
      grown.close();
      appendAnchor(anchorFile, signAnchor(key, { kind: "anchor", position: backupHead.position, hash: backupHead.hash, signedAt: new Date(Date.now() - 60_000) }));

      const outcome = restoreBackup({ backup: file, databasePath: target, anchorFile, key, now: new Date("2026-03-05T10:00:00Z") });
      expect(outcome).toMatchObject({ ok: true, events: backupHead.position, replacedBy: `${target}.replaced-2026-03-05T100000Z`, anchoredUpTo: null });
      expect(fs.existsSync(`${target}.replaced-2026-03-05T100000Z`)).toBe(true);
      const replaced = new Database(`${target}.replaced-2026-03-05T100000Z`, { readonly: true });
      expect(replaced.prepare("select count(*) from staff where email = 'after@example.org'").pluck().get()).toBe(1);
      replaced.close();
      expect(fs.readdirSync(path.dirname(target)).filter((f) => f.includes("restoring"))).toEqual([]);
      const lines = fs.readFileSync(anchorFile, "utf8").trim().split("\n");
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ kind: "restored", position: backupHead.position, hash: backupHead.hash });

      const db = openDatabaseReadOnly(target);
      try {
        expect(verifyRecord(db, { anchors: readAnchorFile(anchorFile).sources, publicKey: key.publicKey }).problem).toBeNull();
      } finally {
        db.$client.close();
      }
    });

    it("gives up anchored events the backup does not hold, and says so", async () => {
      const file = await takenBackup();
      const head = chainHead(t.db);
      appendAnchor(anchorFile, signAnchor(key, { kind: "anchor", position: head.position + 25, hash: "a".repeat(64), signedAt: new Date() }));
      const target = path.join(t.dir, "other", "rightsdesk.db");
      const outcome = restoreBackup({ backup: file, databasePath: target, anchorFile, key, now: new Date() });
      expect(outcome).toMatchObject({ ok: true, anchoredUpTo: head.position + 25 });
      const db = openDatabaseReadOnly(target);
      try {
        const report = verifyRecord(db, { anchors: readAnchorFile(anchorFile).sources, publicKey: key.publicKey });
        expect(report.problem).toBeNull();
        expect(report.notes).toContainEqual(expect.stringMatching(new RegExp(`^Events after ${head.position}, anchored by the anchor signed on .*, were given up when the database was restored to event ${head.position}`)));
      } finally {
        db.$client.close();
      }
    });

    it("refuses a backup whose record does not verify, replacing nothing", async () => {
      const file = await takenBackup();
      const broken = new Database(file);
      broken.prepare("update requests set due_on = '1999-01-01' where id = 5").run();
      broken.close();
      const target = path.join(t.dir, "live.db");
      fs.writeFileSync(target, "");
      const outcome = restoreBackup({ backup: file, databasePath: target, anchorFile, key, now: new Date() });
      expect(outcome).toMatchObject({ ok: false, problem: expect.stringMatching(/^The backup's record does not verify: Request RD-.* is due on 1999-01-01, but event \d+, its last, left it due on .*: the request was changed outside the record\. Nothing was replaced\.$/) });
      expect(fs.readdirSync(t.dir).filter((f) => f.startsWith("live.db"))).toEqual(["live.db"]);
      expect(fs.existsSync(anchorFile)).toBe(false);
    });

    it("refuses a backup a newer version migrated, replacing nothing: this version would not know all of it", async () => {
      const outcome = await backup();
      if (!outcome.ok) throw new Error(outcome.problem);
      const newer = new Database(outcome.file);
      newer.prepare("insert into __drizzle_migrations (hash, created_at) values ('later', (select max(created_at) + 60000 from __drizzle_migrations))").run();
      newer.close();
      const target = path.join(t.dir, "live.db");
      fs.writeFileSync(target, "");
      const restored = restoreBackup({ backup: outcome.file, databasePath: target, anchorFile, key, now: new Date() });
      expect(restored).toMatchObject({ ok: false, problem: expect.stringMatching(/^The backup cannot be restored by this version: the database was brought up to date by a newer version of Rightsdesk than this one .* Nothing was replaced\.$/) });
      expect(fs.readdirSync(t.dir).filter((f) => f.startsWith("live.db"))).toEqual(["live.db"]);
      expect(fs.existsSync(anchorFile)).toBe(false);
    });

    it("refuses a damaged backup whose record still verifies, replacing nothing", async () => {
      const file = await takenBackup();
      damageTable(file, "supporters");
      const target = path.join(t.dir, "live.db");
      fs.writeFileSync(target, "");
      const outcome = restoreBackup({ backup: file, databasePath: target, anchorFile, key, now: new Date() });
      expect(outcome).toEqual({
        ok: false,
        problem: expect.stringMatching(/ is damaged, so it cannot be restored \(SQLite reports: .+\)\. Nothing was replaced: restore an earlier backup\.$/),
      });
      expect(fs.readdirSync(t.dir).filter((f) => f.startsWith("live.db"))).toEqual(["live.db"]);
      expect(fs.existsSync(anchorFile)).toBe(false);
    });

    it("replaces a database too damaged to open, keeping it as it was, and signs the restore once", async () => {
      const file = await takenBackup();
      const target = path.join(t.dir, "live", "rightsdesk.db");
      fs.mkdirSync(path.dirname(target));
      fs.writeFileSync(target, fs.readFileSync(file).subarray(0, 300));
      const outcome = restoreBackup({ backup: file, databasePath: target, anchorFile, key, now: new Date("2026-03-05T10:00:00Z") });
      expect(outcome).toMatchObject({ ok: true, replacedBy: `${target}.replaced-2026-03-05T100000Z` });
      expect(fs.statSync(`${target}.replaced-2026-03-05T100000Z`).size).toBe(300);
      expect(readAnchorFile(anchorFile).sources.map((s) => s.anchor.kind)).toEqual(["restored"]);
      const db = openDatabaseReadOnly(target);
      try {
        expect(verifyRecord(db, { anchors: readAnchorFile(anchorFile).sources, publicKey: key.publicKey }).problem).toBeNull();
      } finally {
        db.$client.close();
      }
    });

    it("refuses a backup cut short, as a copy that stopped part-way leaves it", async () => {
      const file = await takenBackup();
      fs.truncateSync(file, 20_000);
      const outcome = restoreBackup({ backup: file, databasePath: path.join(t.dir, "live.db"), anchorFile, key, now: new Date() });
      expect(outcome).toMatchObject({ ok: false, problem: expect.stringContaining("is damaged, so it cannot be restored (SQLite reports: database disk image is malformed)") });
    });

    it.each([
      ["a file that is not a database", (dir: string) => fs.writeFileSync(path.join(dir, "x.db"), "hello"), "is not a Rightsdesk database"],
      ["a file that does not exist", () => undefined, "There is no backup at"],
    ])("refuses %s", (_, make, message) => {
      make(t.dir);
      const outcome = restoreBackup({ backup: path.join(t.dir, "x.db"), databasePath: path.join(t.dir, "live.db"), anchorFile, key, now: new Date() });
      expect(outcome).toMatchObject({ ok: false, problem: expect.stringContaining(message) });
    });
  });

  it("finds another process holding the database open", async () => {
    const holder = spawn(process.execPath, ["-e", `const D=require("better-sqlite3");const d=new D(${JSON.stringify(t.file)});d.prepare("select 1").get();console.log("open");setInterval(()=>{},1000)`], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
      expect(processesUsing(t.file)).toContain(holder.pid);
    } finally {
      holder.kill("SIGKILL");
    }
    await new Promise((resolve) => holder.once("close", resolve));
    expect(processesUsing(t.file)).not.toContain(holder.pid);
  });
});
