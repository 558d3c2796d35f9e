/**
 * Filing and the link steps while another process is writing to the same
 * file (the separate mail worker, a command-line import): each waits for the
 * other's write lock and then succeeds, rather than failing with SQLITE_BUSY.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailOutbox, requestDrafts, verificationTokens } from "@/db/schema";
import { sendSignInLink } from "@/lib/auth/send-sign-in-link";
import { followSignInLink } from "@/lib/auth/follow-link";
import { unsubscribeByLink } from "@/lib/requests/intake/unsubscribe-by-link";
import { signUnsubscribeToken } from "@/lib/mail/unsubscribe-link";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { nodeArgs } from "@/lib/testing/script-bundles";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { confirmDraft, confirmDraftIn } from "./confirm-draft";
import { createDraft } from "./create-draft";
import { fileVerifiedRequest } from "./file-request";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";

const CHILD = "lib/testing/hold-write-lock.ts";
/** How long the other process keeps the lock: well inside the 5-second busy timeout, well above scheduling noise. */
const HOLD_MS = 2000;

const ctx = TEST_CONTEXT;
const submission = (email: string): RequestSubmission => ({ type: "concern", email, details: { type: "concern", message: "Why the letters?" } });

/** The link in the last mail queued to `email`, as the person will receive it (the worker renders it from these props). */
function latestLink(db: TempDatabase["db"], email: string): string {
  const mail = db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)).orderBy(desc(mailOutbox.id)).get();
  return (mail?.props as { link?: string } | null)?.link ?? "";
}

/** The other process: each `hold()` resolves once it holds the write lock; its `released` gives the moment it let go. */
function startHolder(file: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [...nodeArgs(CHILD), file], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  let wake: () => void = () => {};
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    wake();
  });
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the lock holder exited (${String(code)}): ${stderr}`))));
  exited.catch(() => {});
  /** The next line the child says that starts with `word`, after any before it. */
  async function next(word: string): Promise<string> {
    for (;;) {
      const i = lines.findIndex((line) => line.startsWith(word));
      if (i >= 0) return lines.splice(0, i + 1).at(-1)!;
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), exited]);
    }
  }
  return {
    ready: next("ready"),
    async hold(ms: number): Promise<{ released: Promise<number> }> {
      child.stdin.write(`hold ${ms}\n`);
      await next("holding");
      return { released: next("releasing").then(async (line) => (await next("released"), Number(line.split(" ")[1]))) };
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
  it.each<[string, (db: TempDatabase["db"]) => () => boolean | Promise<boolean>]>([
    ["filing a signed-in supporter's request", (db) => () => fileVerifiedRequest(db, { submission: submission("ann@example.org"), now, ctx }).ok],
    ["storing a draft and its link", (db) => () => createDraft(db, { submission: submission("bob@example.org"), now, ctx }).drafted],
    [
      "confirming a draft",
      (db) => {
        createDraft(db, { submission: submission("cy@example.org"), now, ctx });
        const { key } = db.select({ key: requestDrafts.key }).from(requestDrafts).where(eq(requestDrafts.email, "cy@example.org")).orderBy(desc(requestDrafts.id)).get()!;
        return async () => (await confirmDraft(db, { draftKey: key, viewerEmail: "cy@example.org", now, ctx })).ok;
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
      "following a confirmation link: spending it, signing in and confirming the draft",
      (db) => {
        createDraft(db, { submission: submission("ed@example.org"), now, ctx });
        const link = new URL(latestLink(db, "ed@example.org"));
        const draftKey = new URL(link.searchParams.get("next") ?? "", ctx.appUrl).searchParams.get("draft") ?? "";
        return () => {
          const followed = followSignInLink(
            db,
            { email: "ed@example.org", token: link.searchParams.get("token") ?? "", now, secret: ctx.authSecret, replacingSession: null },
            (tx, email) => confirmDraftIn(tx, { draftKey, viewerEmail: email, now, ctx }),
          );
          return followed.ok && followed.then.ok;
        };
      },
    ],
    [
      "unsubscribing by the one-click link",
      (db) => () => unsubscribeByLink(db, { token: signUnsubscribeToken("fay@example.org", ctx.authSecret, now), now, ctx }).ok,
    ],
  ])("%s waits for the other process and then succeeds", async (_what, prepare) => {
    // On a busy machine this process may hear "holding" only after the lock was let go; that try proves nothing, so it is made again.
    for (let attempt = 1; ; attempt++) {
      const run = prepare(t.db);
      const { released } = await holder.hold(HOLD_MS);
      const started = Date.now();
      const succeeded = await run();
      const releasedAt = await released;
      expect(succeeded).toBe(true);
      if (started < releasedAt) break;
      if (attempt === 3) throw new Error("Three times the step began only after the other process had let go of the lock.");
    }
  });
});
