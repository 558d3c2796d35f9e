/**
 * An unsubscribe with a connected list server: Rightsdesk's own lists end
 * at once, the request waits (received, no staff step) for the server's
 * task, and staff cannot start a review of it meanwhile.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestTasks } from "@/db/schema";
import { cancelRequestByStaff, denyRequest } from "@/lib/requests/casework/close-request";
import { startReview } from "@/lib/requests/casework/staff-step";
import { extendDeadline } from "@/lib/requests/casework/extend-deadline";
import { getStaffRequest } from "@/lib/requests/views/staff-request-view";
import { getSupporterRequest, listSupporterRequests } from "@/lib/requests/views/supporter-views";
import { buildAccessExport } from "@/lib/requests/export/build-access-export";
import { renderExportHtml } from "@/lib/requests/export/render-export-html";
import { formatCalendarDate } from "@/lib/calendar/format";
import { cancelRequestBySupporter } from "@/lib/requests/intake/cancel-request";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { saveConnectedSystem } from "@/lib/systems/connectors/connected-systems";
import { workFor } from "./connector-tasks";
import { loadOrCreateCredentialsKey } from "@/lib/systems/connectors/credentials";
import { filed } from "@/lib/testing/filed";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { requestRow } from "@/lib/testing/request-reads";
import { UNSUBSCRIBE_MOVES_ITSELF } from "@/lib/requests/lifecycle/request-change";
import { makeTempDir, openTempDatabase, removeTempDir, type TempDatabase } from "@/lib/testing/temp-database";

describe("an unsubscribe while a list server is connected", () => {
  let t: TempDatabase;
  let dir: string;
  beforeEach(() => {
    t = openTempDatabase();
    dir = makeTempDir();
  });
  afterEach(() => {
    t.close();
    removeTempDir(dir);
  });

  const now = new Date("2026-12-01T09:00:00Z");
  function connect(kind: "mailman" | "postgres", mapText: string | null) {
    const settings = kind === "mailman" ? { url: "https://lists.example.org/3.1", user: "rest" } : { host: "db.example.org", port: 5432, database: "crm", user: "u", schema: "public", tls: "off" as const };
    const saved = saveConnectedSystem(t.db, { id: null, name: kind, kind, settings, password: "p", mapText }, { key: loadOrCreateCredentialsKey(dir), now });
    expect(saved.ok).toBe(true);
  }

  it("waits as received for the list server's task, and refuses a staff review meanwhile", () => {
    connect("mailman", null);
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "ann@example.org", details: { type: "unsubscribe" } }, now, ctx: TEST_CONTEXT }));
    const request = requestRow(t.db, reference);
    expect(request.status).toBe("received");
    expect(t.db.select({ status: requestTasks.status }).from(requestTasks).where(eq(requestTasks.requestId, request.id)).all()).toEqual([{ status: "open" }]);
    const review = startReview(t.db, { reference, actor: { type: "staff", email: "rita@example.org", role: "reviewer" }, expectedVersion: request.version, now });
    expect(review).toMatchObject({ ok: false, message: UNSUBSCRIBE_MOVES_ITSELF });
  });

  it("cannot be refused or closed by staff, nor withdrawn by the person, while it waits: its list server's task still runs", () => {
    connect("mailman", null);
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "fay@example.org", details: { type: "unsubscribe" } }, now, ctx: TEST_CONTEXT }));
    const waiting = requestRow(t.db, reference);
    const staff = { type: "staff" as const, email: "ada@example.org", role: "admin" as const };
    const later = new Date(now.getTime() + 60_000);
    expect(denyRequest(t.db, { reference, actor: staff, expectedVersion: waiting.version, note: "No.", now: later, ctx: TEST_CONTEXT })).toMatchObject({
      ok: false,
      reason: "not_allowed",
      message: UNSUBSCRIBE_MOVES_ITSELF,
    });
    expect(cancelRequestByStaff(t.db, { reference, actor: staff, expectedVersion: waiting.version, note: "A duplicate.", now: later, ctx: TEST_CONTEXT })).toMatchObject({
      ok: false,
      message: UNSUBSCRIBE_MOVES_ITSELF,
    });
    expect(cancelRequestBySupporter(t.db, { reference, supporterEmail: "fay@example.org", now: later, ctx: TEST_CONTEXT })).toMatchObject({
      ok: false,
      message: UNSUBSCRIBE_MOVES_ITSELF,
    });
    // Nor is its deadline extended: an objection to direct marketing is honoured at once.
    expect(extendDeadline(t.db, { reference, actor: staff, expectedVersion: waiting.version, amount: "1", reason: "Busy.", now: later, ctx: TEST_CONTEXT })).toMatchObject({
      ok: false,
      message: UNSUBSCRIBE_MOVES_ITSELF,
    });
    const view = getStaffRequest(t.db, { reference, now: later, timeZone: "UTC" });
    expect(view).toMatchObject({ open: true, movesByItself: true, canExtend: false });
    expect(getSupporterRequest(t.db, { reference, email: "fay@example.org", timeZone: "UTC", now: later, orgName: "Org" })).toMatchObject({ open: true, canCancel: false });
    // While it waits the person is told it was done at once, not given the regime's month as an answer date.
    expect(getSupporterRequest(t.db, { reference, email: "fay@example.org", timeZone: "UTC", now: later, orgName: "Org" })).toMatchObject({ atOnce: true, deadline: null });
    expect(listSupporterRequests(t.db, "fay@example.org")).toMatchObject([{ reference, open: true, atOnce: true }]);
    const exported = renderExportHtml(buildAccessExport(t.db, { request: { reference: "RD-EXPORT", subjectEmail: "fay@example.org" }, orgName: "Org", now: later }), "UTC");
    expect(exported).toContain("At once, when we received it");
    expect(exported).not.toContain(formatCalendarDate(waiting.dueOn, "en"));
    const after = requestRow(t.db, reference);
    expect(after).toMatchObject({ status: "received", version: waiting.version });
    expect(t.db.select({ status: requestTasks.status }).from(requestTasks).where(eq(requestTasks.requestId, after.id)).all()).toEqual([{ status: "open" }]);
    expect(workFor(t.db, after, later, TEST_CONTEXT)).toEqual({ type: "unsubscribe", email: "fay@example.org" });
  });

  it("completes at once, as before, when no connected system keeps subscriptions", () => {
    // A database whose map has no unsubscribe rule has nothing to do for an unsubscribe.
    connect("postgres", "version: 1\nsupporter: { table: p, email: e }\ntables:\n  p:\n    erase: delete\n    columns: { e: { category: contact } }\n");
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "bob@example.org", details: { type: "unsubscribe" } }, now, ctx: TEST_CONTEXT }));
    expect(requestRow(t.db, reference).status).toBe("completed");
  });

  it("an unsubscribe naming some lists waits for a list server, which can end just those, and the work names them", () => {
    connect("mailman", null);
    const { reference } = filed(
      fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "cy@example.org", details: { type: "unsubscribe", lists: ["newsletter"] } }, now, ctx: TEST_CONTEXT }),
    );
    const request = requestRow(t.db, reference);
    expect(request.status).toBe("received");
    expect(workFor(t.db, request, now, TEST_CONTEXT)).toEqual({ type: "unsubscribe", email: "cy@example.org", lists: ["newsletter"] });
  });

  it("an unsubscribe naming some lists gives a database no task (its map cannot tell lists apart) and completes at once", () => {
    connect("postgres", "version: 1\nsupporter: { table: p, email: e }\ntables:\n  p:\n    erase: delete\n    unsubscribe: delete\n    columns: { e: { category: contact } }\n");
    const { reference } = filed(
      fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "di@example.org", details: { type: "unsubscribe", lists: ["newsletter"] } }, now, ctx: TEST_CONTEXT }),
    );
    expect(requestRow(t.db, reference).status).toBe("completed");
    // Every list, though, reaches the database too.
    const every = filed(fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "ed@example.org", details: { type: "unsubscribe" } }, now, ctx: TEST_CONTEXT }));
    expect(requestRow(t.db, every.reference).status).toBe("received");
  });
});
