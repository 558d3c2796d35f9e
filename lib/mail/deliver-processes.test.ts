import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox } from "@/db/schema";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import type { DeliveryReport } from "./deliver";
import { enqueueMail } from "./outbox";
import { signInMail } from "@/lib/mail/emails/sign-in";
import { nodeArgs } from "@/lib/testing/script-bundles";

const CHILD = "lib/testing/deliver-in-child.ts";

/** Starts a delivering process; `ready` resolves once it is loaded and waiting for the go file. */
function startChild(databasePath: string, mailDir: string, goFile: string): { ready: Promise<void>; done: Promise<DeliveryReport> } {
  const child = spawn(process.execPath, [...nodeArgs(CHILD), databasePath, mailDir, goFile], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    if (err.includes("ready\n")) markReady();
  });
  const done = new Promise<DeliveryReport>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve(JSON.parse(out) as DeliveryReport) : reject(new Error(`child exited ${String(code)}: ${err}`))));
  });
  return { ready: Promise.race([ready, done.then(() => undefined)]), done };
}

describe("delivery from several processes at once", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  it("sends every message exactly once, with its own Message-ID", async () => {
    // At 100 a second (deliver-in-child.ts) this takes a second; both processes start together.
    const count = 100;
    for (let i = 0; i < count; i++) {
      enqueueMail(
        t.db,
        { ...signInMail.draft({ orgName: "Test Org", link: `http://127.0.0.1:3999/m/${i}`, linkMinutes: 30 }), to: `p${i}@example.org`, kind: "sign-in" },
        { now: new Date(Date.now() - 1000), appUrl: "http://127.0.0.1:3999" },
      );
    }
    const mailDir = path.join(t.dir, "mail");
    const goFile = path.join(t.dir, "go");
    const children = [startChild(t.file, mailDir, goFile), startChild(t.file, mailDir, goFile)];
    await Promise.all(children.map((c) => c.ready));
    fs.writeFileSync(goFile, "");
    const reports = await Promise.all(children.map((c) => c.done));

    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(count);
    expect(reports.every((r) => r.sent > 0)).toBe(true);
    expect(reports.every((r) => r.retrying === 0 && r.failed === 0)).toBe(true);
    const files = fs.readdirSync(mailDir).filter((f) => f.endsWith(".eml"));
    expect(files).toHaveLength(count);
    const ids = files.map((f) => /^Message-ID: (.*)$/m.exec(fs.readFileSync(path.join(mailDir, f), "utf8"))?.[1]);
    const stored = t.db.select({ messageId: mailOutbox.messageId, status: mailOutbox.status }).from(mailOutbox).all();
    expect(new Set(ids).size).toBe(count);
    expect([...ids].sort()).toEqual(stored.map((m) => m.messageId).sort());
    expect(stored.every((m) => m.status === "sent")).toBe(true);
  }, 60_000);
});
