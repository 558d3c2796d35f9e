import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestDrafts } from "@/db/schema";
import { mailGate } from "@/lib/limits/mail-gate";
import { openRateLimits } from "@/lib/limits/rate-limits";
import { signInMail } from "@/lib/mail/emails/sign-in";
import { enqueueMail } from "@/lib/mail/outbox";
import { resolveSettings } from "@/lib/settings/resolve";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import type { Worker } from "./scheduler";
import { startBackgroundWork } from "./start";

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("startBackgroundWork, as the server and `npm run mail:worker` start it", () => {
  let t: TempDatabase;
  let worker: Worker | null = null;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
    t.close();
  });

  it("runs the outbox and the draft purge from the settings alone, and says where mail goes", async () => {
    const mailDir = path.join(t.dir, "mail");
    const settings = resolveSettings({ DATABASE_PATH: t.file, MAIL_DIR: mailDir, APP_URL: "https://rights.example.org", AUTH_SECRET: "s".repeat(40) }, t.dir);
    const now = new Date();
    enqueueMail(t.db, { ...signInMail.draft({ orgName: "Test Org", link: "https://rights.example.org/x", linkMinutes: 30 }), to: "ann@example.org", kind: "sign-in" }, { now, appUrl: settings.appUrl });
    t.db
      .insert(requestDrafts)
      .values({ key: "k".repeat(32), type: "access", email: "ann@example.org", details: { type: "access" }, createdAt: new Date(now.getTime() - 3_600_000), expiresAt: new Date(now.getTime() - 1_000) })
      .run();
    // The same daily limit on mail to one address as the server uses, counted in the same database.
    const limits = openRateLimits(t.db.$client, settings.limits, settings.authSecret);
    const started = startBackgroundWork({ settings, db: t.db, gate: mailGate(async () => limits) });
    worker = started.worker;
    expect(started.deliveringTo).toBe(`files in ${mailDir}`);
    await until(() => fs.existsSync(mailDir) && fs.readdirSync(mailDir).some((f) => f.endsWith(".eml")));
    await until(() => t.db.select().from(requestDrafts).all().length === 0);
    const [file] = fs.readdirSync(mailDir).filter((f) => f.endsWith(".eml"));
    expect(fs.readFileSync(path.join(mailDir, file!), "utf8")).toContain("Your sign-in link for Test Org");
  });
});
