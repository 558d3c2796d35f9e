/**
 * Filing and the link steps while another process is writing to the same
 * file (the separate mail worker, a command-line import): each waits for the
 * other's write lock and then succeeds, rather than failing with SQLITE_BUSY.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestDrafts, verificationTokens } from "@/db/schema";
import { sendSignInLink } from "@/lib/auth/send-sign-in-link";
import { useSignInToken } from "@/lib/auth/sign-in-link";
import { unsubscribeByLink } from "@/lib/fulfilment/unsubscribe-by-link";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { confirmDraft } from "./confirm-draft";
import { createDraft } from "./create-draft";
import { fileVerifiedRequest } from "./file-request";
import type { RequestSubmission } from "./request-form";

const TSX = path.resolve("node_modules", ".bin", "tsx");
const CHILD = path.resolve("lib", "testing", "hold-write-lock.ts");
/** How long the other process keeps the lock: well inside the 5-second busy timeout, well above scheduling noise. */
const HOLD_MS = 1500;

const ctx = TEST_CONTEXT;
const submission = (email: string): RequestSubmission => ({ type: "concern", email, details: { type: "concern", message: "Why the letters?" } });

/** The other process: each `hold()` resolves once it holds the write lock, and `released` once it let go. */
function startHolder(file: string) {
  const child: ChildProcessWithoutNullStreams = spawn(TSX, [CHILD, file], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const waiting: Array<{ line: string; resolve: () => void }> = [];
  const seen: string[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    const i = waiting.findIndex((w) => w.line === line);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve();
    else seen.push(line);
  });
  const next = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const i = seen.indexOf(line);
      if (i >= 0) {
        seen.splice(i, 1);
        resolve();
        return;
      }
      waiting.push({ line, resolve });
      child.once("exit", (code) => reject(new Error(`the lock holder exited (${String(code)}): ${stderr}`)));
    });
  return {
    ready: next("ready"),
    async hold(ms: number): Promise<{ released: Promise<void> }> {
      const released = next("released");
      child.stdin.write(`hold ${ms}\n`);
      await next("holding");
      return { released };
    },
    stop() {
      child.stdin.end();
      child.kill();
    },
  };
}

describe("writing while another process holds the write lock", () => {
  let t: TempDatabase;
  let holder: ReturnType<typeof startHolder>;
  beforeAll(async () => {
    t = openTempDatabase();
    holder = startHolder(t.file);
    await holder.ready;
  }, 60_000);
  afterAll(() => {
    holder.stop();
    t.close();
  });

  const now = new Date("2026-11-22T09:00:00Z");

  /** Each case sets up what it needs, then hands back the step to run, which says whether it did what it should. */
  it.each<[string, (db: TempDatabase["db"]) => () => boolean]>([
    ["filing a signed-in supporter's request", (db) => () => fileVerifiedRequest(db, { submission: submission("ann@example.org"), now, ctx }).ok],
    ["storing a draft and its link", (db) => () => createDraft(db, { submission: submission("bob@example.org"), now, ctx }).drafted],
    [
      "confirming a draft",
      (db) => {
        createDraft(db, { submission: submission("cy@example.org"), now, ctx });
        const { key } = db.select({ key: requestDrafts.key }).from(requestDrafts).all().at(-1)!;
        return () => confirmDraft(db, { draftKey: key, viewerEmail: "cy@example.org", now, ctx }).ok;
      },
    ],
    [
      "queuing a sign-in link",
      (db) => () => {
        sendSignInLink(db, { email: "di@example.org", callbackPath: "/requests", now, ctx });
        return db.select().from(verificationTokens).all().some((row) => row.identifier === "di@example.org");
      },
    ],
    [
      "spending a sign-in link",
      (db) => {
        sendSignInLink(db, { email: "ed@example.org", callbackPath: "/requests", now, ctx });
        const { token } = db.select({ token: verificationTokens.token }).from(verificationTokens).all().at(-1)!;
        return () => useSignInToken(db, { identifier: "ed@example.org", tokenHash: token, now }) !== null;
      },
    ],
    ["unsubscribing by the one-click link", (db) => () => unsubscribeByLink(db, { email: "fay@example.org", now, ctx }).reference.startsWith("RD-")],
  ])("%s waits for the other process and then succeeds", async (_what, prepare) => {
    const run = prepare(t.db);
    const { released } = await holder.hold(HOLD_MS);
    const started = performance.now();
    const succeeded = run();
    const waited = performance.now() - started;
    await released;
    expect(succeeded).toBe(true);
    // It really ran while the other process held the lock, rather than after.
    expect(waited).toBeGreaterThan(200);
  });
});
