import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { requests, staff } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { appendEvent } from "@/lib/audit/event-log";
import { runScript, scriptSandbox, type ScriptSandbox } from "@/lib/testing/run-script";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";
import { damageTable } from "@/lib/testing/damaged-database";

function trimmed(result: { status: number | null; stdout: string; stderr: string }) {
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe("npm run audit:verify and audit:anchor", () => {
  let box: ScriptSandbox;
  let lastHash: string;
  const verify = (...args: string[]) => trimmed(box.run("scripts/audit-verify.ts", args));
  const anchor = () => trimmed(box.run("scripts/audit-anchor.ts"));
  const sql = (statement: string) => {
    const sqlite = new Database(box.databasePath);
    sqlite.prepare(statement).run();
    sqlite.close();
  };

  beforeAll(() => {
    box = scriptSandbox();
    const db = openDatabase(box.databasePath);
    migrateDatabase(db);
    const at = new Date("2026-03-02T09:00:00Z");
    db.insert(staff).values({ email: "admin@example.org", role: "admin", addedAt: at }).run();
    const { id } = db
      .insert(requests)
      .values({
        reference: "RD-AAAA-AAAA",
        type: "concern",
        status: "completed",
        subjectEmail: "ann@example.org",
        details: {},
        regime: "gdpr",
        receivedAt: at,
        receivedOn: "2026-03-02",
        dueOn: "2026-04-02",
        // Closed when its last event completed it, as the change path closes a request.
        closedAt: new Date(at.getTime() + 3 * 60_000),
        updatedAt: at,
      })
      .returning({ id: requests.id })
      .get();
    inTransaction(db, (tx) => {
      for (const [i, toStatus] of (["received", "in_review", "approved", "completed"] as const).entries()) {
        lastHash = appendEvent(tx, {
          requestId: id,
          at: new Date(at.getTime() + i * 60_000),
          actorType: i === 0 ? "supporter" : "staff",
          actorEmail: i === 0 ? null : "lead@example.org",
          action: i === 0 ? "filed" : "status",
          fromStatus: null,
          toStatus,
          note: `step ${i + 1}`,
        }).hash;
      }
    });
    // The commands must see the file as another process would, with nothing held open here.
    db.$client.close();
  });
  afterAll(() => box.remove());

  it("says the record is intact, and that nothing anchors it yet", () => {
    const intact = verify();
    expect(intact.status).toBe(0);
    expect(intact.stderr).toBe("");
    expect(intact.stdout.split("\n")).toEqual([
      `The record is intact: 4 events, last hash ${lastHash}, 1 request agrees with its events.`,
      "No anchor was found, so events cut off the end of the log, or a rewrite of the whole log, would not show: make one with `npm run audit:anchor`.",
    ]);
  });

  it("anchors on demand: signs the head, appends it to ANCHOR_FILE, queues an email to each admin", () => {
    const result = anchor();
    expect(result.status).toBe(0);
    const [said, line] = result.stdout.split("\n");
    expect(said).toBe(`Signed the log at event 4 and appended it to ${path.join(box.dir, "anchors.jsonl")}; 1 admin will be emailed a copy.`);
    expect(fs.readFileSync(path.join(box.dir, "anchors.jsonl"), "utf8")).toBe(`${line}\n`);
    expect(JSON.parse(line!)).toMatchObject({ type: "rightsdesk-anchor", position: 4, hash: lastHash });
    const sqlite = new Database(box.databasePath, { readonly: true });
    expect(sqlite.prepare("select to_address, kind, template from mail_outbox").all()).toEqual([{ to_address: "admin@example.org", kind: "record-anchor", template: "record-anchor" }]);
    sqlite.close();
    // The key was made on first use, beside the database in this sandbox, readable only by its owner.
    expect(fs.statSync(path.join(box.dir, "signing-key.pem")).mode & 0o777).toBe(0o600);
    expect(verify().stdout).toMatch(/\nChecked against 1 anchor; the newest is the anchor signed on .*, at event 4\.$/);
  });

  it("then catches the last event cut off, naming it, and refuses to anchor the damage", () => {
    fs.copyFileSync(box.databasePath, `${box.databasePath}.keep`);
    sql("delete from request_events where id = 4");
    const cut = verify();
    expect(cut.status).toBe(1);
    expect(cut.stdout).toBe("");
    expect(cut.stderr).toMatch(/^The log ends at event 3, but the anchor signed on .* \(line 1 of .*anchors\.jsonl\) covers event 4: event 4 was deleted\.$/);
    const refused = anchor();
    expect(refused.status).toBe(1);
    expect(refused.stderr.split("\n")).toEqual([cut.stderr, "Nothing was signed; 1 admin will be emailed about it."]);
    fs.copyFileSync(`${box.databasePath}.keep`, box.databasePath);
  });

  it("checks against the database's copy, and an anchor given by hand (from an email), when the file lost it", () => {
    const line = fs.readFileSync(path.join(box.dir, "anchors.jsonl"), "utf8").trim();
    fs.writeFileSync(path.join(box.dir, "anchors.jsonl"), "");
    sql("delete from request_events where id = 4");
    // The database's own copy of the anchor still catches it...
    expect(verify()).toMatchObject({ status: 1, stderr: expect.stringMatching(/^The log ends at event 3, but the anchor signed on .* \(kept in the database as anchor 1\) covers event 4/) });
    // ...until whoever cut the log deletes that too: then only a copy from elsewhere, such as the email, can.
    sql("delete from event_log_anchors");
    expect(verify().status).toBe(0);
    const given = verify("--anchor", line);
    expect(given.status).toBe(1);
    expect(given.stderr).toMatch(/^The log ends at event 3, but the anchor signed on .* \(--anchor number 1\) covers event 4/);
    expect(verify("--anchor", "not an anchor")).toMatchObject({ status: 2, stderr: expect.stringMatching(/^The anchor given as --anchor number 1 is not an anchor/) });
    fs.copyFileSync(`${box.databasePath}.keep`, box.databasePath);
    fs.writeFileSync(path.join(box.dir, "anchors.jsonl"), `${line}\n`);
  });

  it("names an event changed behind its back", () => {
    sql("update request_events set action = 'note' where id = 3");
    const tampered = verify();
    expect(tampered).toEqual({ status: 1, stdout: "", stderr: "Event 3 was changed after it was recorded: its content no longer matches its hash." });
    fs.copyFileSync(`${box.databasePath}.keep`, box.databasePath);
  });

  it("names a request row edited outside the record", () => {
    sql("update requests set due_on = '2027-01-01'");
    expect(verify()).toEqual({
      status: 1,
      stdout: "",
      stderr: "Request RD-AAAA-AAAA is due on 2027-01-01, but event 4, its last, left it due on 2026-04-02: the request was changed outside the record.",
    });
    fs.copyFileSync(`${box.databasePath}.keep`, box.databasePath);
  });

  it("says in a sentence that a database with a damaged page of the log is damaged, without a stack trace", () => {
    const sqlite = new Database(box.databasePath);
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    sqlite.close();
    damageTable(box.databasePath, "request_events");
    const result = verify();
    expect(result).toEqual({
      status: 1,
      stdout: "",
      stderr: expect.stringMatching(
        new RegExp(`^${box.databasePath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is damaged, so its record cannot be read in full \\(SQLite reports: .+\\)\\. Restore the last good backup \\(npm run restore\\), and keep this file for whoever looks into it\\.$`),
      ),
    });
    fs.copyFileSync(`${box.databasePath}.keep`, box.databasePath);
  });

  it("refuses, without creating it, a database that does not exist", () => {
    const dir = makeTempDir();
    try {
      const missing = path.join(dir, "typo.db");
      const result = trimmed(runScript("scripts/audit-verify.ts", [], { DATABASE_PATH: missing, SIGNING_KEY_FILE: path.join(dir, "k.pem"), ANCHOR_FILE: path.join(dir, "a.jsonl") }));
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`There is no database at ${missing}, so there is no record to check; set DATABASE_PATH to the database file.`);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      removeTempDir(dir);
    }
  });

  it("refuses a database that holds no request log", () => {
    const dir = makeTempDir();
    try {
      const other = path.join(dir, "other.db");
      new Database(other).exec("create table notes (body text)").close();
      const result = trimmed(runScript("scripts/audit-verify.ts", [], { DATABASE_PATH: other, SIGNING_KEY_FILE: path.join(dir, "k.pem"), ANCHOR_FILE: path.join(dir, "a.jsonl") }));
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`${other} holds no request log: it is not a Rightsdesk database, or it was never migrated.`);
    } finally {
      removeTempDir(dir);
    }
  });
});
