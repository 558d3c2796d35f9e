import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox } from "@/db/schema";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import type { DeliveryReport } from "./deliver";
import { enqueueMail } from "./outbox";
import { signInMail } from "./templates";

const TSX = path.resolve("node_modules", ".bin", "tsx");
const CHILD = path.resolve("lib", "testing", "deliver-in-child.ts");

function runChild(databasePath: string, mailDir: string): Promise<DeliveryReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CHILD, databasePath, mailDir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve(JSON.parse(out) as DeliveryReport) : reject(new Error(`child exited ${String(code)}: ${err}`))));
  });
}

describe("delivery from several processes at once", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  it("sends every message exactly once, with its own Message-ID", async () => {
    // At 60 a second (deliver-in-child.ts) this takes over two seconds, so the processes overlap.
    const count = 150;
    for (let i = 0; i < count; i++) {
      enqueueMail(
        t.db,
        { ...signInMail({ orgName: "Test Org", link: `http://127.0.0.1:3999/m/${i}`, linkMinutes: 30 }), to: `p${i}@example.org`, kind: "sign-in" },
        { now: new Date(Date.now() - 1000), appUrl: "http://127.0.0.1:3999" },
      );
    }
    const mailDir = path.join(t.dir, "mail");
    const reports = await Promise.all([runChild(t.file, mailDir), runChild(t.file, mailDir), runChild(t.file, mailDir)]);

    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(count);
    expect(reports.filter((r) => r.sent > 0).length).toBeGreaterThanOrEqual(2);
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
