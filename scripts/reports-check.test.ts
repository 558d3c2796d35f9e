/**
 * `npm run reports:check` against a real database file: it says the tables
 * agree, names a month where they do not, refuses a table counted in another
 * zone, and `--rebuild` refills them.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { openDatabase } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { requests } from "@/db/schema";
import { scriptSandbox, type ScriptSandbox } from "@/lib/testing/run-script";

let box: ScriptSandbox;
beforeEach(() => {
  box = scriptSandbox();
  const db = openDatabase(box.databasePath);
  migrateDatabase(db);
  const at = new Date("2026-03-02T09:00:00Z");
  db.insert(requests)
    .values({ reference: "RD-AAAA-BBBB", type: "concern", status: "completed", subjectEmail: "a@example.org", details: {}, regime: "gdpr", receivedAt: at, receivedOn: "2026-03-02", dueOn: "2026-04-01", closedAt: new Date(at.getTime() + 86_400_000), updatedAt: at })
    .run();
  db.$client.close();
});
afterEach(() => box.remove());

const check = (args: string[] = [], zone = "UTC") => box.run("scripts/reports-check.ts", args, { TIME_ZONE: zone });

it("says the tables agree, names a month where they differ, and refills them with --rebuild", () => {
  const agree = check();
  expect(agree.stdout).toMatch(/^The reports' tables agree with the requests for all \d+ months \(in UTC\)\.$/m);
  expect(agree.status).toBe(0);

  const db = openDatabase(box.databasePath);
  db.$client.prepare("update report_months set completed = completed + 2 where month = '2026-03'").run();
  db.$client.close();
  const differ = check();
  expect(differ.status).toBe(1);
  expect(differ.stdout).toContain("2026-03: the tables say");
  expect(differ.stdout).toMatch(/differ from the requests in 1 month of \d+\. Run npm run reports:check -- --rebuild/);

  const rebuilt = check(["--rebuild"]);
  expect(rebuilt.stdout).toContain("The reports' tables were refilled from the requests, in UTC.");
  expect(rebuilt.status).toBe(0);
});

it("refuses tables counted in another zone, and --rebuild counts them in TIME_ZONE", () => {
  const other = check([], "Europe/London");
  expect(other.status).toBe(2);
  expect(other.stderr).toContain("The reports' tables count in UTC, but TIME_ZONE is Europe/London; the next start rebuilds them");
  const rebuilt = check(["--rebuild"], "Europe/London");
  expect(rebuilt.status).toBe(0);
  expect(check([], "Europe/London").status).toBe(0);
});
