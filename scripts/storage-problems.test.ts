/**
 * A data folder the commands cannot write (a read-only disk, another user's
 * folder, a file where a folder should be): one sentence saying which file
 * and why, exit code 1, never a stack trace. The tests put a file in the
 * way, which stops every user, root included, the same way everywhere.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptSandbox, type ScriptSandbox } from "@/lib/testing/run-script";

let box: ScriptSandbox;
let inTheWay: string;
beforeAll(() => {
  box = scriptSandbox("rightsdesk-storage-");
  inTheWay = box.write("data", "a file where the data folder should be\n");
});
afterAll(() => box.remove());

/** Set, so that the commands that send mail have no default to warn about. */
const ORGANISATION = { ORG_NAME: "Harbour Trust", MAIL_FROM: "Harbour Trust <privacy@harbour.example>", APP_URL: "https://rights.harbour.example" };

/** The one line a command printed, checked to be all it printed to stderr, with no trace of a stack. */
function oneSentence(stderr: string): string {
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |node:internal|Error:/);
  return lines[0]!;
}

describe("a database whose folder cannot be written", () => {
  it.each([
    ["npm run staff -- list", "scripts/staff.ts", ["list"]],
    ["npm run db:migrate", "scripts/migrate.ts", []],
    ["npm run mail:worker", "scripts/mail-worker.ts", []],
    ["npm run seed:demo", "scripts/seed-demo.ts", []],
  ])("%s says which file and why, in one sentence", (_command, script, args) => {
    const database = path.join(inTheWay, "rightsdesk.db");
    const result = box.run(script, args, { DATABASE_PATH: database, ...ORGANISATION });
    expect(result.status).toBe(1);
    expect(oneSentence(result.stderr)).toBe(
      `Rightsdesk cannot start: the database ${database} cannot be opened for writing: ${inTheWay} is a file, not a folder. ` +
        "Make its folder writable by the user that runs Rightsdesk, or set DATABASE_PATH to a file in one that is.",
    );
  });
});

describe("a signing key that cannot be made", () => {
  it.each([
    ["npm start", "scripts/start.ts"],
    ["npm run backup", "scripts/backup.ts"],
  ])("%s says which file and why, in one sentence, before anything else", (_command, script) => {
    const keyFile = path.join(inTheWay, "signing-key.pem");
    const result = box.run(script, [], { SIGNING_KEY_FILE: keyFile, ...ORGANISATION });
    expect(result.status).toBe(1);
    expect(oneSentence(result.stderr)).toBe(
      `Rightsdesk cannot start: the signing key cannot be made at ${keyFile}: ${inTheWay} is a file, not a folder. ` +
        "Make that folder writable by the user that runs Rightsdesk, or set SIGNING_KEY_FILE to a file in one that is.",
    );
    expect(result.stdout).not.toContain("Building");
  });
});
