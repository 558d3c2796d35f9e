import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { appendEvent } from "@/lib/audit/event-log";
import { runScript } from "@/lib/testing/run-script";
import { makeTempDir, openTempDatabase, removeTempDir, type TempDatabase } from "@/lib/testing/temp-database";

function verify(databasePath: string) {
  const result = runScript("scripts/audit-verify.ts", [], { DATABASE_PATH: databasePath });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe("npm run audit:verify", () => {
  let t: TempDatabase;
  let lastHash: string;
  beforeAll(() => {
    t = openTempDatabase();
    const at = new Date("2026-03-02T09:00:00Z");
    const { id } = t.db
      .insert(requests)
      .values({
        reference: "RD-AAAA-AAAA",
        type: "concern",
        status: "received",
        subjectEmail: "ann@example.org",
        details: {},
        regime: "gdpr",
        receivedAt: at,
        receivedOn: "2026-03-02",
        dueOn: "2026-04-02",
        updatedAt: at,
      })
      .returning({ id: requests.id })
      .get();
    inTransaction(t.db, (tx) => {
      for (const [i, toStatus] of (["received", "in_review", "approved", "completed"] as const).entries()) {
        lastHash = appendEvent(tx, {
          requestId: id,
          at: new Date(at.getTime() + i * 60_000),
          actorType: i === 0 ? "supporter" : "staff",
          actorEmail: i === 0 ? "ann@example.org" : "lead@example.org",
          action: i === 0 ? "filed" : "status",
          fromStatus: null,
          toStatus,
          note: `step ${i + 1}`,
        }).hash;
      }
    });
    // The command must see the file as another process would, with nothing held open here.
    t.db.$client.close();
  });
  afterAll(() => t.close());

  it("says the record is intact, with the count and the last hash, then names the event changed behind its back", () => {
    const intact = verify(t.file);
    expect(intact).toEqual({ status: 0, stdout: `The record is intact: 4 events, last hash ${lastHash}.`, stderr: "" });

    const sqlite = new Database(t.file);
    sqlite.prepare("update request_events set note = ? where id = 3").run("Nothing happened here");
    sqlite.close();

    const tampered = verify(t.file);
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toBe("");
    expect(tampered.stderr).toBe("Event 3 was changed after it was recorded: its content no longer matches its hash.");
  });

  it("refuses, without creating it, a database that does not exist", () => {
    const dir = makeTempDir();
    try {
      const missing = path.join(dir, "typo.db");
      const result = verify(missing);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `There is no database at ${missing}, so there is no record to check; set DATABASE_PATH to the database file.`,
      );
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
      const result = verify(other);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`${other} holds no request log: it is not a Rightsdesk database, or it was never migrated.`);
    } finally {
      removeTempDir(dir);
    }
  });
});
