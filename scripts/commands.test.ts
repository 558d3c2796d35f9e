import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptSandbox, type ScriptSandbox } from "@/lib/testing/run-script";

let sandbox: ScriptSandbox;
beforeAll(() => {
  sandbox = scriptSandbox("rightsdesk-commands-");
});
afterAll(() => sandbox.remove());

describe("npm start refuses bad settings with one sentence naming the variable", () => {
  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["APP_URL", "ftp://example.org"],
    ["SMTP_URL", "mail.example.org"],
    ["MAIL_FROM", "nobody"],
    ["AUTH_SECRET", "short"],
    ["REGIME", "hipaa"],
    ["TIME_ZONE", "Mars/Olympus"],
    ["TRUST_PROXY", "maybe"],
    ["LIMIT_DRAFTS_PER_IP_HOUR", "0"],
  ])("%s=%s", (name, value) => {
    const result = sandbox.run("scripts/start.ts", [], { [name]: value });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Rightsdesk cannot start: ${name} `));
    // It stopped before building or starting anything.
    expect(result.stdout).not.toContain("Building");
  });
});

describe("npm start with real mail and misleading defaults", () => {
  it("refuses with one sentence naming what to set, before building or starting anything", () => {
    const result = sandbox.run("scripts/start.ts", [], { SMTP_URL: "smtp://127.0.0.1:9", ORG_NAME: "Harbour Trust" });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toEqual([
      'Rightsdesk cannot start: SMTP_URL sends real mail, but MAIL_FROM, ORG_CONTACT_EMAIL and APP_URL are still the defaults (mail comes from Rightsdesk <no-reply@localhost>, every email says "Write to us at no-reply@localhost" and links lead to http://localhost:3000); set them before sending mail to anyone.',
    ]);
    expect(result.stdout).not.toContain("Building");
  });

  it("the separate mail worker refuses the same way", () => {
    const result = sandbox.run("scripts/mail-worker.ts", [], { SMTP_URL: "smtp://127.0.0.1:9" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^Rightsdesk cannot start: SMTP_URL sends real mail, but MAIL_FROM, ORG_CONTACT_EMAIL, ORG_NAME and APP_URL are still the defaults/);
  });
});

describe("files the commands create", () => {
  it("are readable by the portal's own user only: the database's folder, the database and its log", () => {
    const folder = path.join(sandbox.dir, "private", "data");
    const databasePath = path.join(folder, "rightsdesk.db");
    const added = sandbox.run("scripts/staff.ts", ["add", "lead@example.org", "--role", "admin"], { DATABASE_PATH: databasePath });
    expect(added.status).toBe(0);
    const made = [folder, ...fs.readdirSync(folder).map((name) => path.join(folder, name))];
    expect(made).toContain(databasePath);
    for (const file of made) expect([file, (fs.statSync(file).mode & 0o777).toString(8)]).toEqual([file, fs.statSync(file).isDirectory() ? "700" : "600"]);
  });
});

describe("npm run staff", () => {
  it("adds, lists, changes and removes staff", () => {
    expect(sandbox.run("scripts/staff.ts", ["list"]).stdout).toContain("No staff yet");

    const added = sandbox.run("scripts/staff.ts", ["add", "Lead@Example.org", "--role", "admin"]);
    expect(added.status).toBe(0);
    expect(added.stdout).toContain("Added lead@example.org as admin");

    expect(sandbox.run("scripts/staff.ts", ["add", "--role", "reviewer", "rev@example.org"]).status).toBe(0);
    expect(sandbox.run("scripts/staff.ts", ["add", "rev@example.org", "--role", "admin"]).stdout).toContain("now admin (was reviewer)");

    const listed = sandbox.run("scripts/staff.ts", ["list"]).stdout.trim().split("\n");
    expect(listed.map((l) => l.split("\t").slice(0, 2).join(" "))).toEqual(["lead@example.org admin", "rev@example.org admin"]);

    expect(sandbox.run("scripts/staff.ts", ["remove", "rev@example.org"]).status).toBe(0);
    const missing = sandbox.run("scripts/staff.ts", ["remove", "rev@example.org"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("rev@example.org is not on the staff list.");
    // Seven commands one after another, each starting Node and tsx: seconds apiece on a busy machine.
  }, 90_000);

  it.each([
    [["add", "not-an-address", "--role", "admin"], "The staff member's email address must be a valid address"],
    [["add", "x@example.org"], "Give a role with --role: admin, reviewer or auditor."],
    [["add", "x@example.org", "--role", "owner"], "Give a role with --role: admin, reviewer or auditor."],
    [["add"], "Give exactly one email address to add."],
    [["fire", "x@example.org"], 'Unknown command "fire".'],
  ])("refuses %j with a clear message", (args, message) => {
    const result = sandbox.run("scripts/staff.ts", args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Usage:");
  });
});
