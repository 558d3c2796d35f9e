import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accessExports, requestTasks, supporters } from "@/db/schema";
import { fileVerifiedRequest } from "@/lib/requests/file-request";
import type { RequestActor } from "@/lib/requests/request-change";
import { completeRequest } from "@/lib/requests/workflow/close-request";
import { approveRequest, startReview } from "@/lib/requests/workflow/staff-step";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { tickManualTask } from "./complete-task";
import { addSystem } from "./external-systems";
import { deliverDueWebhooks, webhookRetryDelayMs, webhookSignature } from "./webhooks";
import { filed } from "@/lib/testing/filed";
import { requestRow } from "@/lib/testing/request-reads";

const ctx = TEST_CONTEXT;
const ADMIN: RequestActor & { type: "staff" } = { type: "staff", email: "lead@example.org", role: "admin" };
const now = new Date("2026-11-22T09:00:00Z");

describe("webhook signature", () => {
  it("is sha256= and the hex HMAC of timestamp.body with the secret", () => {
    const expected = createHmac("sha256", "k").update('1700000000.{"a":1}').digest("hex");
    expect(webhookSignature("k", "1700000000", '{"a":1}')).toBe(`sha256=${expected}`);
    expect(webhookSignature("other", "1700000000", '{"a":1}')).not.toBe(`sha256=${expected}`);
  });

  it("backs off by doubling from 30 seconds up to an hour", () => {
    expect([1, 2, 3, 20].map(webhookRetryDelayMs)).toEqual([30_000, 60_000, 120_000, 3_600_000]);
  });
});

describe("outside systems' tasks", () => {
  let t: TempDatabase;
  let secret: string;
  // Each test has its own database, so none depends on what another left behind.
  beforeEach(() => {
    t = openTempDatabase();
    const hook = addSystem(t.db, { name: "CRM", kind: "webhook", url: "https://crm.example.org/hook", now });
    secret = hook.ok && hook.secret ? hook.secret : "";
    addSystem(t.db, { name: "Paper files", kind: "manual", url: null, now });
  });
  afterEach(() => t.close());

  function approvedRequest(type: "access" | "erasure", email: string): string {
    const details = type === "erasure" ? ({ type, confirmed: true } as const) : ({ type } as const);
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type, email, name: "Ann", details }, now, ctx }));
    startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now });
    expect(approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: 2, now, ctx, confirmedErasure: true })).toMatchObject({ ok: true });
    return reference;
  }
  const row = (reference: string) => requestRow(t.db, reference);
  const tasks = (reference: string) => t.db.select().from(requestTasks).where(eq(requestTasks.requestId, row(reference).id)).all();

  it("an access request cannot complete while a task is open, and its export is built only when it completes", async () => {
    const reference = approvedRequest("access", "ann@example.org");
    expect(tasks(reference)).toHaveLength(2);
    // The request waits for the outside systems, with nothing to download yet.
    expect(row(reference).status).toBe("approved");
    const exports = () => t.db.select().from(accessExports).where(eq(accessExports.requestId, row(reference).id)).all();
    expect(exports()).toHaveLength(0);
    const r = row(reference);
    expect(completeRequest(t.db, { reference, actor: ADMIN, expectedVersion: r.version, note: null, now, ctx })).toMatchObject({
      ok: false,
      message: expect.stringContaining("2 outside systems"),
    });

    await deliverDueWebhooks(t.db, now, ctx, async () => new Response("ok", { status: 200 }));
    const manual = tasks(reference).find((x) => x.status === "open")!;
    const later = new Date(now.getTime() + 60_000);
    expect(tickManualTask(t.db, { reference, taskId: manual.id, note: "Sent the paper file", actor: ADMIN, now: later, ctx })).toMatchObject({ ok: true });
    expect(row(reference).status).toBe("completed");
    expect(exports()).toMatchObject([{ builtAt: later }]);
  });

  it("posts a signed call, retries a failure with backoff, and a 2xx plus the manual tick let an erasure close itself", async () => {
    seedSupporter(t.db, { email: "bea@example.org" });
    const reference = approvedRequest("erasure", "bea@example.org");
    // Erased locally at once, but still open: the outside systems have not acted yet.
    expect(row(reference).status).toBe("approved");
    expect(t.db.select().from(supporters).where(eq(supporters.email, "bea@example.org")).all()).toHaveLength(0);

    const calls: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
    let status = 503;
    const fakeFetch = async (url: string, init: RequestInit) => {
      calls.push({ url, headers: init.headers as Record<string, string>, body: String(init.body) });
      return new Response("busy", { status });
    };
    expect(await deliverDueWebhooks(t.db, now, ctx, fakeFetch)).toMatchObject({ retrying: 1 });
    const mine = calls.find((c) => JSON.parse(c.body).reference === reference)!;
    expect(JSON.parse(mine.body)).toEqual({ type: "erasure", reference, email: "bea@example.org", name: "Ann" });
    expect(mine.headers["X-Rightsdesk-Signature"]).toBe(webhookSignature(secret, mine.headers["X-Rightsdesk-Timestamp"]!, mine.body));
    const hookTask = tasks(reference).find((x) => x.nextAttemptAt !== null)!;
    expect(hookTask).toMatchObject({ status: "open", attempts: 1, lastResponse: "HTTP 503: busy" });

    // Not due again until the backoff has passed.
    calls.length = 0;
    expect(await deliverDueWebhooks(t.db, now, ctx, fakeFetch)).toMatchObject({ retrying: 0, delivered: 0 });
    status = 200;
    const later = new Date(now.getTime() + 31_000);
    await deliverDueWebhooks(t.db, later, ctx, fakeFetch);
    expect(tasks(reference).find((x) => x.id === hookTask.id)).toMatchObject({ status: "done", lastResponse: "HTTP 200: busy", completedBy: "system" });
    expect(row(reference).status).toBe("approved");

    const manual = tasks(reference).find((x) => x.status === "open")!;
    expect(tickManualTask(t.db, { reference, taskId: manual.id, note: "Shredded the file", actor: ADMIN, now, ctx })).toMatchObject({ ok: true });
    expect(row(reference)).toMatchObject({ status: "completed", subjectName: null });
    expect(row(reference).subjectEmail.startsWith("erased:")).toBe(true);
  });
});
