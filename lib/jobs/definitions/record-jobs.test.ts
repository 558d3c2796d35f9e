import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dailyRuns, mailOutbox, staff } from "@/db/schema";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { resolveSettings, type ResolvedSettings } from "@/lib/settings/resolve";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { recordJobs } from "../start";

/** Writes a small file at `file` and returns its path. */
function writeFile(file: string): string {
  fs.writeFileSync(file, "not a folder\n");
  return file;
}

describe("the record's daily jobs", () => {
  let t: TempDatabase;
  let settings: ResolvedSettings;
  const lines: string[] = [];
  beforeEach(() => {
    t = openTempDatabase();
    settings = resolveSettings(
      { DATABASE_PATH: t.file, AUTH_SECRET: "s".repeat(40), BACKUP_DIR: "backups", BACKUP_KEEP: "2", TIME_ZONE: "Europe/London", ORG_NAME: "Harbour Trust" },
      t.dir,
    );
    t.db.insert(staff).values({ email: "admin@example.org", role: "admin", addedAt: new Date() }).run();
    fileVerifiedRequest(t.db, { submission: { type: "access", email: "ann@example.org", details: { type: "access" } }, now: new Date("2026-03-01T10:00:00Z"), ctx: TEST_CONTEXT });
    lines.length = 0;
  });
  afterEach(() => t.close());

  async function beat(now: Date): Promise<boolean> {
    let mail = false;
    for (const job of recordJobs(settings, (line) => lines.push(line))) if ((await job.run(t.db, now)) === true) mail = true;
    return mail;
  }

  const anchors = () => (fs.existsSync(settings.anchorFile) ? fs.readFileSync(settings.anchorFile, "utf8").trim().split("\n") : []);
  const backups = () => fs.readdirSync(path.join(t.dir, "backups")).sort();

  it("run once a day each, in the organisation's time zone: retention, then the anchor, then the backup", async () => {
    expect(recordJobs(settings).map((j) => j.name)).toEqual(["request-retention", "record-anchor", "backup"]);
    expect(await beat(new Date("2026-03-02T09:00:00Z"))).toBe(true);
    expect(anchors()).toHaveLength(1);
    expect(backups()).toEqual(["rightsdesk-2026-03-02T090000Z.db"]);
    expect(t.db.select().from(mailOutbox).all().map((m) => [m.kind, m.toAddress])).toContainEqual(["record-anchor", "admin@example.org"]);
    expect(t.db.select({ job: dailyRuns.job, day: dailyRuns.day, outcome: dailyRuns.outcome }).from(dailyRuns).all()).toEqual([
      { job: "retention", day: "2026-03-02", outcome: "0 requests closed over 36 months ago reduced to their statistics." },
      { job: "anchor", day: "2026-03-02", outcome: "Signed the log at event 1." },
      { job: "backup", day: "2026-03-02", outcome: expect.stringMatching(/^Backed up to .*rightsdesk-2026-03-02T090000Z\.db, verified\.$/) },
    ]);

    // Later the same day, and at 23:30 UTC (still 2 March in London in winter): nothing more.
    expect(await beat(new Date("2026-03-02T15:00:00Z"))).toBe(false);
    expect(await beat(new Date("2026-03-02T23:30:00Z"))).toBe(false);
    expect(anchors()).toHaveLength(1);

    await beat(new Date("2026-03-03T00:10:00Z"));
    await beat(new Date("2026-03-04T00:10:00Z"));
    expect(anchors()).toHaveLength(3);
    // The last two backups are kept.
    expect(backups()).toEqual(["rightsdesk-2026-03-03T001000Z.db", "rightsdesk-2026-03-04T001000Z.db"]);
  });

  it("signs nothing of a record that fails its check, and alerts the admins instead, once", async () => {
    await beat(new Date("2026-03-02T09:00:00Z"));
    t.db.$client.prepare("delete from request_events").run();
    expect(await beat(new Date("2026-03-03T09:00:00Z"))).toBe(true);
    expect(anchors()).toHaveLength(1);
    const alerts = t.db.select().from(mailOutbox).all().filter((m) => m.kind === "record-alert");
    // One from the anchor, one from the backup, whose copy fails the same check.
    expect(alerts.map((m) => (m.props as { job: string }).job).sort()).toEqual(["The anchor of the request log", "The daily backup"]);
    expect(lines).toContainEqual(expect.stringMatching(/^\[record\] daily anchor: Nothing signed: The log is empty, but the anchor signed on 2 March 2026, 09:00 UTC .* covers event 1: event 1 was deleted\.$/));
    expect(backups()).toEqual(["rightsdesk-2026-03-02T090000Z.db"]);
  });

  it.each<[string, (dir: string) => string, RegExp]>([
    // What a missing disk or a typo looks like to the file system, wherever the tests run (root writes anywhere else).
    ["BACKUP_DIR is a file", (dir) => writeFile(path.join(dir, "backups.txt")), /backups\.txt: .*backups\.txt is a file, not a folder\. Nothing was kept; /],
    ["a folder on the way is a file", (dir) => path.join(writeFile(path.join(dir, "mnt")), "backups"), /mnt[/\\]backups: .*mnt is a file, not a folder\. Nothing was kept; /],
  ])("a BACKUP_DIR that cannot be written: the day's backup is finished with a sentence and the admins are alerted (%s)", async (_case, backupDir, said) => {
    settings = resolveSettings(
      { DATABASE_PATH: t.file, AUTH_SECRET: "s".repeat(40), BACKUP_DIR: backupDir(t.dir), TIME_ZONE: "Europe/London", ORG_NAME: "Harbour Trust" },
      t.dir,
    );
    expect(await beat(new Date("2026-03-02T09:00:00Z"))).toBe(true);
    const backupRun = t.db.select().from(dailyRuns).all().find((r) => r.job === "backup");
    expect(backupRun?.finishedAt).not.toBeNull();
    expect(backupRun?.outcome).toMatch(new RegExp(`^The backup could not be written to .*${said.source}`));
    expect(lines).toContainEqual(expect.stringMatching(/^\[record\] daily backup: The backup could not be written to /));
    const alerts = t.db.select().from(mailOutbox).all().filter((m) => m.kind === "record-alert");
    expect(alerts.map((m) => [m.toAddress, (m.props as { job: string; problem: string }).job])).toEqual([["admin@example.org", "The daily backup"]]);
    expect((alerts[0]?.props as { problem: string }).problem).toBe(backupRun?.outcome);
  });

  it("makes no backup when BACKUP_DIR is not set", () => {
    const without = resolveSettings({ DATABASE_PATH: t.file, AUTH_SECRET: "s".repeat(40) }, t.dir);
    expect(recordJobs(without).map((j) => j.name)).toEqual(["request-retention", "record-anchor"]);
  });
});
