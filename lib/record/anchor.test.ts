import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventLogAnchors, mailOutbox, staff } from "@/db/schema";
import { readAnchorFile } from "@/lib/audit/anchors";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { damageTable } from "@/lib/testing/damaged-database";
import { openDatabase } from "@/db/connection";
import { anchorRecord } from "./anchor";

describe("anchoring the log", () => {
  let t: TempDatabase;
  const now = new Date("2026-03-02T09:00:00Z");
  beforeEach(() => {
    t = openTempDatabase();
    t.db.insert(staff).values([
      { email: "admin@example.org", role: "admin", addedAt: now },
      { email: "reviewer@example.org", role: "reviewer", addedAt: now },
    ]).run();
    fileVerifiedRequest(t.db, { submission: { type: "access", email: "ann@example.org", details: { type: "access" } }, now, ctx: TEST_CONTEXT });
  });
  afterEach(() => t.close());

  const settings = (anchorFile: string) => ({ key: TEST_CONTEXT.signingKey, anchorFile, orgName: "Harbour Trust", appUrl: "https://rights.example.org" });

  it("signs the checked head, files it, keeps a copy for the dashboard and emails it to admins only", async () => {
    const file = path.join(t.dir, "elsewhere", "anchors.jsonl");
    const outcome = await anchorRecord(t.db, settings(file), { now, reason: "on demand" });
    expect(outcome).toMatchObject({ ok: true, admins: 1, anchor: { kind: "anchor", position: 1 } });
    expect(readAnchorFile(file).sources.map((s) => s.anchor)).toEqual([outcome.ok && outcome.anchor]);
    expect(t.db.select().from(eventLogAnchors).all()).toMatchObject([{ kind: "anchor", position: 1, reason: "on demand" }]);
    const mails = t.db.select().from(mailOutbox).all().filter((m) => m.kind === "record-anchor");
    expect(mails.map((m) => m.toAddress)).toEqual(["admin@example.org"]);
    expect(mails[0]!.subject).toBe("The request log at Harbour Trust was checked and signed at event 1");
    expect((mails[0]!.props as { line: string }).line).toBe(outcome.ok && outcome.line);
  });

  it("when the anchor file cannot be reached, signs nothing, records nothing, and alerts the admins", async () => {
    const blocker = path.join(t.dir, "not-a-folder");
    fs.writeFileSync(blocker, "");
    const outcome = await anchorRecord(t.db, settings(path.join(blocker, "anchors.jsonl")), { now, reason: "daily" });
    expect(outcome).toMatchObject({ ok: false, admins: 1, problem: expect.stringMatching(/^The anchor file .*not-a-folder\/anchors\.jsonl could not be read \(ENOTDIR: .*\); nothing was signed\.$/) });
    expect(t.db.select().from(eventLogAnchors).all()).toEqual([]);
    expect(t.db.select().from(mailOutbox).all().map((m) => m.kind)).not.toContain("record-anchor");
    expect(t.db.select().from(mailOutbox).all().filter((m) => m.kind === "record-alert").map((m) => m.toAddress)).toEqual(["admin@example.org"]);
  });

  it("when the log cannot be read (a damaged page), signs nothing and alerts the admins in a sentence", async () => {
    t.db.$client.pragma("wal_checkpoint(TRUNCATE)");
    t.db.$client.close();
    damageTable(t.file, "request_events");
    const db = openDatabase(t.file);
    try {
      const file = path.join(t.dir, "anchors.jsonl");
      const outcome = await anchorRecord(db, settings(file), { now, reason: "daily" });
      expect(outcome).toEqual({
        ok: false,
        admins: 1,
        problem:
          "The record could not be read to check it (database disk image is malformed): the database file may be damaged; nothing was signed. Restore the last good backup.",
      });
      expect(fs.existsSync(file)).toBe(false);
      expect(db.select().from(mailOutbox).all().filter((m) => m.kind === "record-alert").map((m) => m.toAddress)).toEqual(["admin@example.org"]);
    } finally {
      db.$client.close();
    }
  });
});
