/**
 * /api/v1 from the outside: every answer in this file is checked against the
 * OpenAPI document with a real validator (Ajv), and the last test makes sure
 * every route was seen answering.
 */
import { eq } from "drizzle-orm";
import { openDatabase } from "@/db/connection";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apiCalls, apiFilings, mailOutbox, requestDrafts, requests } from "@/db/schema";
import { confirmDraft } from "@/lib/requests/intake/confirm-draft";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { addInternalNote } from "@/lib/requests/casework/add-internal-note";
import { startReview } from "@/lib/requests/casework/staff-step";
import { callApi, makeKey, testApiEnv, type ApiAnswer, type TestClock } from "@/lib/testing/api";
import { filed } from "@/lib/testing/filed";
import { contractChecker } from "@/lib/testing/openapi-validator";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { revokeApiKey } from "./keys";
import { openApiDocument } from "./openapi";
import type { ApiEnv } from "./route";
import { API_ROUTES } from "./routes";

const document = openApiDocument({ appUrl: TEST_CONTEXT.appUrl, orgName: TEST_CONTEXT.orgName });
const contract = contractChecker(document);

let t: TempDatabase;
let env: ApiEnv;
let clock: TestClock;

/** Every answer goes through the contract check. */
async function call(input: Parameters<typeof callApi>[1]): Promise<ApiAnswer> {
  const answer = await callApi(env, input);
  contract.check({ method: input.method, path: answer.route.path, status: answer.status, body: answer.body });
  return answer;
}

function errorOf(answer: ApiAnswer): { code: string; message: string } {
  return (answer.body as { error: { code: string; message: string } }).error;
}

function file(email: string, type: "access" | "erasure" | "concern" = "access", at = clock.now) {
  const details = type === "concern" ? { type, message: "Why did you write to me?" } : type === "erasure" ? { type, confirmed: true as const } : { type };
  return filed(fileVerifiedRequest(t.db, { submission: { type, email, details }, now: at, ctx: TEST_CONTEXT })).reference;
}

beforeEach(async () => {
  t = openTempDatabase();
  clock = { now: new Date("2026-05-04T10:00:00Z") };
  env = await testApiEnv(t.db, { clock });
});
afterEach(() => t.close());

describe("keys", () => {
  it("are asked for, and a missing, malformed, unknown or revoked one is told apart from a key without the scope", async () => {
    const reader = makeKey(t.db, ["read_requests"]);
    expect(errorOf(await call({ method: "GET", path: "/api/v1/requests" }))).toEqual({
      code: "unauthorized",
      message: "This call needs an API key: send it as Authorization: Bearer followed by the key.",
    });
    const malformed = await call({ method: "GET", path: "/api/v1/requests", authorization: `Token ${reader.key}` });
    expect(malformed.status).toBe(401);
    expect(malformed.headers.get("www-authenticate")).toBe('Bearer realm="rightsdesk"');
    expect(errorOf(await call({ method: "GET", path: "/api/v1/requests", key: `rdk_${"A".repeat(43)}` })).message).toBe(
      "This API key is not one we issued, or it was typed wrongly.",
    );
    // A key cut short when it was copied, or with a character pasted on: said so, not that it holds no key.
    for (const key of [reader.key.slice(0, -1), `${reader.key}.`, "rdk_nope"]) {
      expect(errorOf(await call({ method: "GET", path: "/api/v1/requests", key })), key).toEqual({
        code: "unauthorized",
        message: "This API key is not whole: a key is rdk_ and 43 more letters, digits, - and _. Copy it again, all of it, from where it was kept.",
      });
    }

    expect((await call({ method: "GET", path: "/api/v1/requests", key: reader.key })).status).toBe(200);
    const forbidden = await call({ method: "GET", path: "/api/v1/events", key: reader.key });
    expect(forbidden.status).toBe(403);
    expect(errorOf(forbidden)).toEqual({
      code: "forbidden",
      message: "This API key may not read the stream of what happens to requests: that needs the “Read events” scope, and an administrator can make a key that has it.",
    });

    // Revoking takes effect on the very next call.
    revokeApiKey(t.db, { id: reader.id, revokedBy: "lead@example.org", now: clock.now });
    const revoked = await call({ method: "GET", path: "/api/v1/requests", key: reader.key });
    expect(revoked.status).toBe(401);
    expect(errorOf(revoked).message).toBe("This API key was revoked by an administrator and no longer works.");
  });

  it("with only the read scope cannot file, and nothing is stored", async () => {
    const reader = makeKey(t.db, ["read_requests", "read_events"]);
    const answer = await call({ method: "POST", path: "/api/v1/requests", key: reader.key, body: { type: "access", email: "ann@example.org" } });
    expect(answer.status).toBe(403);
    expect(errorOf(answer).code).toBe("forbidden");
    expect(countRows(t.db, requestDrafts)).toBe(0);
    expect(countRows(t.db, mailOutbox)).toBe(0);
  });

  it("each have a rate a minute, and the call after it is refused with Retry-After until the minute is over", async () => {
    const slow = makeKey(t.db, ["read_requests"], { ratePerMinute: 2 });
    expect((await call({ method: "GET", path: "/api/v1/requests", key: slow.key })).status).toBe(200);
    expect((await call({ method: "GET", path: "/api/v1/requests", key: slow.key })).status).toBe(200);
    const refused = await call({ method: "GET", path: "/api/v1/requests", key: slow.key });
    expect(refused.status).toBe(429);
    expect(errorOf(refused).code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another key is not held up by it.
    expect((await call({ method: "GET", path: "/api/v1/requests", key: makeKey(t.db, ["read_requests"]).key })).status).toBe(200);
  });

  it("put every call on the record: which key, which route, which request, what answer", async () => {
    const reader = makeKey(t.db, ["read_requests"]);
    const reference = file("ann@example.org");
    await call({ method: "GET", path: `/api/v1/requests/${reference}`, key: reader.key });
    await call({ method: "GET", path: "/api/v1/events", key: reader.key });
    expect(t.db.select({ keyId: apiCalls.keyId, route: apiCalls.route, status: apiCalls.status, reference: apiCalls.reference }).from(apiCalls).all()).toEqual([
      { keyId: reader.id, route: "/api/v1/requests/{reference}", status: 200, reference },
      { keyId: reader.id, route: "/api/v1/events", status: 403, reference: null },
    ]);
  });
});

describe("GET /api/v1/requests", () => {
  it("lists the queue newest first, a page at a time, with the queue's filters", async () => {
    const reader = makeKey(t.db, ["read_requests"]);
    const refs: string[] = [];
    for (let i = 0; i < 5; i++) refs.push(file(`person${i}@example.org`, i % 2 === 0 ? "access" : "concern", new Date(clock.now.getTime() + i * 60_000)));
    clock.now = new Date(clock.now.getTime() + 3_600_000);

    const first = await call({ method: "GET", path: "/api/v1/requests?limit=2", key: reader.key });
    const page1 = first.body as { requests: Array<{ reference: string }>; next_after: string };
    expect(page1.requests.map((r) => r.reference)).toEqual([refs[4], refs[3]]);
    const second = await call({ method: "GET", path: `/api/v1/requests?limit=2&after=${page1.next_after}`, key: reader.key });
    expect((second.body as { requests: Array<{ reference: string }> }).requests.map((r) => r.reference)).toEqual([refs[2], refs[1]]);

    const concerns = await call({ method: "GET", path: "/api/v1/requests?type=concern&sort=due", key: reader.key });
    expect((concerns.body as { requests: Array<{ reference: string }>; next_after: null }).requests.map((r) => r.reference)).toEqual([refs[1], refs[3]]);
    const byEmail = await call({ method: "GET", path: "/api/v1/requests?q=person2%40example.org", key: reader.key });
    expect(byEmail.body).toMatchObject({ requests: [{ reference: refs[2], email: "person2@example.org", type: "access", status: "received", origin: null }], next_after: null });
    const unassigned = await call({ method: "GET", path: "/api/v1/requests?assignee=none&limit=1", key: reader.key });
    expect((unassigned.body as { requests: unknown[] }).requests).toHaveLength(1);
  });

  it("answers a repeated poll afresh after any change: a new request, a step, another program's write, the next day", async () => {
    const reader = makeKey(t.db, ["read_requests"]);
    const first = file("first@example.org");
    type Page = { requests: Array<{ reference: string; status: string; assignee: string | null; deadline: { days_left: number } | null }> };
    const poll = async () => (await call({ method: "GET", path: "/api/v1/requests", key: reader.key })).body as Page;

    const before = await poll();
    expect(await poll()).toEqual(before);
    // Both polls are on the record, though the second was answered as the first.
    expect(countRows(t.db, apiCalls)).toBe(2);

    const second = file("second@example.org");
    expect((await poll()).requests.map((r) => r.reference)).toEqual([second, first]);

    startReview(t.db, { reference: first, actor: { type: "staff", email: "rita@example.org", role: "reviewer" }, expectedVersion: 1, now: clock.now });
    expect((await poll()).requests.find((r) => r.reference === first)?.status).toBe("in_review");

    const other = openDatabase(t.file);
    try {
      other.update(requests).set({ assigneeEmail: "rita@example.org" }).where(eq(requests.reference, second)).run();
    } finally {
      other.$client.close();
    }
    expect((await poll()).requests.find((r) => r.reference === second)?.assignee).toBe("rita@example.org");

    const daysLeft = (await poll()).requests[0]!.deadline!.days_left;
    clock.now = new Date(clock.now.getTime() + 24 * 3_600_000);
    expect((await poll()).requests[0]!.deadline!.days_left).toBe(daysLeft - 1);
  });

  it.each([
    ["an unknown parameter, by name", "?stauts=received", "unknown_field", "This call does not take the parameter “stauts”; check the spelling against the API reference."],
    ["a status that does not exist", "?status=lost", "invalid_request", "The field “status” must be one of: received, in_review, awaiting_supporter, approved, completed, denied, canceled."],
    ["a page size too large", "?limit=1000", "invalid_request", "The field “limit” must be at most 100."],
    ["a parameter given twice", "?type=access&type=concern", "invalid_request", "The query parameter “type” is given more than once; give it once."],
    // A plain object would take "__proto__" as its prototype and forget it: the parameter must still be refused by name.
    ["a parameter named __proto__", "?__proto__=received", "unknown_field", "This call does not take the parameter “__proto__”; check the spelling against the API reference."],
    ["a parameter named __proto__, twice", "?__proto__=a&__proto__=b", "invalid_request", "The query parameter “__proto__” is given more than once; give it once."],
    ["a parameter named constructor", "?constructor=x", "unknown_field", "This call does not take the parameter “constructor”; check the spelling against the API reference."],
    [
      "a cursor made up",
      "?after=yesterday",
      "invalid_request",
      "The field “after” is not a cursor this list gave for this sort; pass next_after from the page before, with the same sort.",
    ],
  ])("refuses %s", async (_what, query, code, message) => {
    const reader = makeKey(t.db, ["read_requests"]);
    const answer = await call({ method: "GET", path: `/api/v1/requests${query}`, key: reader.key });
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toEqual({ code, message });
  });
});

describe("GET /api/v1/requests/{reference}", () => {
  it("reads one with its history, leaving out internal notes unless the key may read them", async () => {
    const reference = file("ann@example.org");
    startReview(t.db, { reference, actor: { type: "staff", email: "rita@example.org", role: "reviewer" }, expectedVersion: 1, now: clock.now });
    addInternalNote(t.db, { reference, actor: { type: "staff", email: "rita@example.org", role: "reviewer" }, note: "Checked the CRM.", now: clock.now });

    const reader = makeKey(t.db, ["read_requests"]);
    const answer = await call({ method: "GET", path: `/api/v1/requests/${reference}`, key: reader.key });
    expect(answer.status).toBe(200);
    const body = answer.body as { history: Array<{ kind: string; note: string | null; actor_email: string | null }>; details: unknown; status: string };
    expect(body).toMatchObject({ reference, status: "in_review", email: "ann@example.org", details: { type: "access" } });
    expect(body.history.map((h) => h.kind)).toEqual(["filed", "review_started"]);
    expect(body.history[1]!.actor_email).toBe("rita@example.org");

    const noteReader = makeKey(t.db, ["read_requests", "read_internal_notes"]);
    const withNotes = await call({ method: "GET", path: `/api/v1/requests/${reference.toLowerCase()}`, key: noteReader.key });
    expect((withNotes.body as typeof body).history.map((h) => [h.kind, h.note])).toEqual([
      ["filed", null],
      ["review_started", null],
      ["note", "Checked the CRM."],
    ]);
  });

  it("names the lists an unsubscribe left, and names none when it left every list", async () => {
    const reader = makeKey(t.db, ["read_requests"]);
    const some = filed(
      fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "ann@example.org", details: { type: "unsubscribe", lists: ["appeals"] } }, now: clock.now, ctx: TEST_CONTEXT }),
    ).reference;
    const every = filed(fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "bob@example.org", details: { type: "unsubscribe" } }, now: clock.now, ctx: TEST_CONTEXT })).reference;
    expect((await call({ method: "GET", path: `/api/v1/requests/${some}`, key: reader.key })).body).toMatchObject({ status: "completed", details: { type: "unsubscribe", lists: ["appeals"] } });
    const all = (await call({ method: "GET", path: `/api/v1/requests/${every}`, key: reader.key })).body as { details: Record<string, unknown> };
    expect(all.details).toEqual({ type: "unsubscribe" });
  });

  it("answers not_found for a reference that does not exist or is not one", async () => {
    const reader = makeKey(t.db, ["read_requests"]);
    for (const reference of ["RD-0000-0000", "not-a-reference"]) {
      const answer = await call({ method: "GET", path: `/api/v1/requests/${reference}`, key: reader.key });
      expect(answer.status).toBe(404);
      expect(errorOf(answer)).toEqual({ code: "not_found", message: "There is no request with this reference." });
    }
  });
});

describe("POST /api/v1/requests", () => {
  it("files a draft and emails the supporter the link, exactly as the form does; once confirmed it is in the queue, marked with the key", async () => {
    const filer = makeKey(t.db, ["file_requests", "read_requests"], { name: "Website" });
    const body = { type: "correction", email: " Ann@Example.org ", name: "Ann Example", changes: { postal_address: "1 High Street\nTown" }, note: "I moved." };
    contract.checkRequestBody({ method: "POST", path: "/api/v1/requests", body });
    const answer = await call({ method: "POST", path: "/api/v1/requests", key: filer.key, body });
    expect(answer.status).toBe(202);
    const filing = answer.body as { intake_id: string; status: string; reference: null; expires_at: string };
    expect(filing).toMatchObject({ type: "correction", status: "awaiting_confirmation", reference: null, expires_at: "2026-05-05T10:00:00.000Z" });

    const draft = t.db.select().from(requestDrafts).get()!;
    expect(draft).toMatchObject({ email: "ann@example.org", name: "Ann Example", intakeId: filing.intake_id, details: { type: "correction", changes: { postalAddress: "1 High Street\nTown" }, note: "I moved." } });
    expect(t.db.select().from(mailOutbox).all().map((m) => [m.kind, m.toAddress])).toEqual([["confirm-request", "ann@example.org"]]);
    // Nothing is in the queue, and no clock runs, until the supporter confirms.
    expect(countRows(t.db, requests)).toBe(0);

    const following = await call({ method: "GET", path: `/api/v1/filings/${filing.intake_id}`, key: filer.key });
    expect(following.body).toMatchObject({ status: "awaiting_confirmation", reference: null });

    clock.now = new Date("2026-05-04T12:00:00Z");
    const confirmed = await confirmDraft(t.db, { draftKey: draft.key, viewerEmail: "ann@example.org", now: clock.now, ctx: TEST_CONTEXT });
    expect(confirmed.ok).toBe(true);
    const reference = confirmed.ok ? confirmed.reference : "";
    expect(t.db.select({ intakeId: requests.intakeId, receivedAt: requests.receivedAt }).from(requests).get()).toEqual({ intakeId: filing.intake_id, receivedAt: clock.now });
    expect((await call({ method: "GET", path: `/api/v1/filings/${filing.intake_id}`, key: filer.key })).body).toMatchObject({ status: "confirmed", reference });

    const read = await call({ method: "GET", path: `/api/v1/requests/${reference}`, key: filer.key });
    expect(read.body).toMatchObject({ origin: { kind: "api_key", name: "Website", intake_id: filing.intake_id }, details: { type: "correction", changes: { postal_address: "1 High Street\nTown" } } });
    const listed = await call({ method: "GET", path: "/api/v1/requests", key: filer.key });
    expect((listed.body as { requests: Array<{ origin: unknown }> }).requests[0]!.origin).toEqual({ kind: "api_key", name: "Website", intake_id: filing.intake_id });
  });

  it("lets only the key that filed it follow a filing, and says when a draft lapsed", async () => {
    const filer = makeKey(t.db, ["file_requests"]);
    const other = makeKey(t.db, ["file_requests"]);
    const { intake_id } = (await call({ method: "POST", path: "/api/v1/requests", key: filer.key, body: { type: "access", email: "ann@example.org" } })).body as { intake_id: string };
    expect((await call({ method: "GET", path: `/api/v1/filings/${intake_id}`, key: other.key })).status).toBe(404);
    clock.now = new Date("2026-05-05T10:00:00Z");
    expect((await call({ method: "GET", path: `/api/v1/filings/${intake_id}`, key: filer.key })).body).toMatchObject({ status: "lapsed", reference: null });
  });

  it.each([
    ["an unknown field, by name", { type: "access", email: "ann@example.org", nickname: "Annie" }, "unknown_field", "This call does not take the field “nickname”; check the spelling against the API reference."],
    [
      "an unknown field inside changes",
      { type: "correction", email: "ann@example.org", changes: { phone_number: "0123" } },
      "unknown_field",
      "This call does not take the field “changes.phone_number”; check the spelling against the API reference.",
    ],
    ["a type that does not exist", { type: "delete", email: "ann@example.org" }, "invalid_request", "The field “type” is missing or not one this call knows."],
    ["no email", { type: "access" }, "invalid_request", "The field “email” is missing."],
    ["a malformed email", { type: "access", email: "ann-at-example" }, "invalid_request", "The field “email”: Your email address must be a valid address, like name@example.org."],
    ["a correction of nothing", { type: "correction", email: "ann@example.org", changes: {} }, "invalid_request", "The field “changes”: Tell us at least one detail to correct and what it should say."],
    ["an empty concern", { type: "concern", email: "ann@example.org", message: "  " }, "invalid_request", "The field “message”: Tell us what your concern is."],
    ["a name with a line break", { type: "access", email: "ann@example.org", name: "Ann\nExample" }, "invalid_request", "The field “name”: Your name must be on one line, without line breaks."],
    ["a body that is a list", [{ type: "access" }], "invalid_request", "The body must be a JSON object."],
  ])("refuses %s and stores nothing", async (_what, body, code, message) => {
    const filer = makeKey(t.db, ["file_requests"]);
    const answer = await call({ method: "POST", path: "/api/v1/requests", key: filer.key, body });
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toEqual({ code, message });
    expect(countRows(t.db, requestDrafts)).toBe(0);
    expect(countRows(t.db, apiFilings)).toBe(0);
    expect(countRows(t.db, mailOutbox)).toBe(0);
  });

  it("refuses a body that is not JSON, or not sent as JSON", async () => {
    const filer = makeKey(t.db, ["file_requests"]);
    const form = await call({ method: "POST", path: "/api/v1/requests", key: filer.key, rawBody: "type=access", contentType: "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    expect(errorOf(form).code).toBe("unsupported_media_type");
    const broken = await call({ method: "POST", path: "/api/v1/requests", key: filer.key, rawBody: '{"type":"access",' });
    expect(errorOf(broken)).toEqual({ code: "invalid_request", message: "The body is not valid JSON." });
    expect(countRows(t.db, requestDrafts)).toBe(0);
  });

  it("refuses a body over 64 KB as too_large (413), as the portal does one whose Content-Length says so", async () => {
    const filer = makeKey(t.db, ["file_requests"]);
    const answer = await call({ method: "POST", path: "/api/v1/requests", key: filer.key, body: { type: "access", email: "ann@example.org", note: "z".repeat(64 * 1024) } });
    expect([answer.status, errorOf(answer)]).toEqual([413, { code: "too_large", message: "This request is too large: at most 64 KB may be sent." }]);
    expect(countRows(t.db, requestDrafts)).toBe(0);
  });

  it("refuses a body that is not UTF-8, instead of storing replacement characters for its bad bytes", async () => {
    const filer = makeKey(t.db, ["file_requests"]);
    const json = (name: Uint8Array) => new Uint8Array([...Buffer.from('{"type":"access","email":"ann@example.org","name":"'), ...name, ...Buffer.from('"}')]);
    for (const bad of [[0xff, 0xfe], [0xc3], [0xed, 0xa0, 0x80]]) {
      const answer = await call({ method: "POST", path: "/api/v1/requests", key: filer.key, rawBody: json(new Uint8Array(bad)) });
      expect(answer.status, String(bad)).toBe(400);
      expect(errorOf(answer)).toEqual({ code: "invalid_request", message: "The body is not UTF-8 text: send the JSON encoded as UTF-8." });
    }
    expect(countRows(t.db, requestDrafts)).toBe(0);
    // The same name written as UTF-8 goes in as it is, byte-order mark or not.
    for (const prefix of [[], [0xef, 0xbb, 0xbf]]) {
      const body = new Uint8Array([...prefix, ...json(new Uint8Array(Buffer.from("Zo\u00eb")))]);
      expect((await call({ method: "POST", path: "/api/v1/requests", key: filer.key, rawBody: body })).status).toBe(202);
    }
    expect(t.db.select({ name: requestDrafts.name }).from(requestDrafts).all().map((d) => d.name)).toEqual(["Zoë", "Zoë"]);
  });

  it("applies the per-supporter limits: the supporter is emailed why, and the program hears which limit, not the person's requests", async () => {
    env = await testApiEnv(t.db, { clock, ctx: { ...TEST_CONTEXT, limits: { openRequestsPerType: 1, accessRequestsPerYear: 2, repeatAccessMonths: 0 } } });
    const earlier = file("ann@example.org");
    const filer = makeKey(t.db, ["file_requests"]);
    const answer = await call({ method: "POST", path: "/api/v1/requests", key: filer.key, body: { type: "access", email: "ann@example.org" } });
    expect(answer.status).toBe(422);
    expect(errorOf(answer).code).toBe("limit_reached");
    expect(errorOf(answer).message).toBe(
      "This request was not filed, and the supporter was emailed why: a person may have one open request of a type at a time, and this address already has one.",
    );
    // A key that may file requests may not read them: the earlier request's reference and due date stay in the person's email.
    expect(JSON.stringify(answer.body)).not.toContain(earlier);
    expect(countRows(t.db, requestDrafts)).toBe(0);
    expect(countRows(t.db, apiFilings)).toBe(0);
    expect(t.db.select({ kind: mailOutbox.kind }).from(mailOutbox).where(eq(mailOutbox.kind, "limit-reached")).all()).toHaveLength(1);
  });

  it("sends one address no more confirmation emails than the form would", async () => {
    const filer = makeKey(t.db, ["file_requests"]);
    const statuses: number[] = [];
    for (const type of ["access", "erasure", "unsubscribe", "concern"] as const) {
      const body = type === "concern" ? { type, email: "ann@example.org", message: "Hello" } : { type, email: "ann@example.org" };
      statuses.push((await call({ method: "POST", path: "/api/v1/requests", key: filer.key, body })).status);
    }
    // Three links an hour to one address, as for the form (LIMIT_LINKS_PER_ADDRESS_HOUR).
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(countRows(t.db, requestDrafts)).toBe(3);
  });
});

describe("GET /api/v1/events", () => {
  it("reads the stream after a cursor: references and kinds, no personal data, and internal steps left out", async () => {
    const reader = makeKey(t.db, ["read_events"]);
    const reference = file("ann@example.org");
    startReview(t.db, { reference, actor: { type: "staff", email: "rita@example.org", role: "reviewer" }, expectedVersion: 1, now: clock.now });
    addInternalNote(t.db, { reference, actor: { type: "staff", email: "rita@example.org", role: "reviewer" }, note: "Secret", now: clock.now });
    const other = file("bob@example.org", "concern");

    const all = await call({ method: "GET", path: "/api/v1/events", key: reader.key });
    const page = all.body as { events: Array<{ id: string; kind: string; reference: string }>; next_after: string };
    expect(page.events.map((e) => [e.kind, e.reference])).toEqual([
      ["request.received", reference],
      ["request.in_review", reference],
      ["request.received", other],
    ]);
    expect(JSON.stringify(page)).not.toMatch(/ann@|bob@|rita@|Secret/);

    const after = await call({ method: "GET", path: `/api/v1/events?after=${page.events[0]!.id}&limit=1`, key: reader.key });
    expect(after.body).toMatchObject({ events: [{ kind: "request.in_review", reference }], next_after: page.events[1]!.id });
    const narrowed = await call({ method: "GET", path: "/api/v1/events?kinds=request.in_review", key: reader.key });
    expect((narrowed.body as typeof page).events.map((e) => e.kind)).toEqual(["request.in_review"]);
    const end = await call({ method: "GET", path: `/api/v1/events?after=${page.next_after}`, key: reader.key });
    expect(end.body).toEqual({ events: [], next_after: page.next_after });

    const bad = await call({ method: "GET", path: "/api/v1/events?kinds=request.lost", key: reader.key });
    expect(errorOf(bad)).toEqual({ code: "invalid_request", message: "The field “kinds” names kinds that do not exist: request.lost; see EventKind in the API reference." });
  });
});

describe("the contract", () => {
  it("holds for every route: each answers its success, 401 without a key and 403 without its scope, each as documented", async () => {
    const everything = makeKey(t.db, ["read_requests", "read_internal_notes", "file_requests", "read_events"]);
    const reference = file("ann@example.org");
    const { intake_id } = (await call({ method: "POST", path: "/api/v1/requests", key: everything.key, body: { type: "access", email: "bob@example.org" } })).body as { intake_id: string };
    const paths: Record<string, string> = {
      "/api/v1/requests": "/api/v1/requests",
      "/api/v1/requests/{reference}": `/api/v1/requests/${reference}`,
      "/api/v1/filings/{intake_id}": `/api/v1/filings/${intake_id}`,
      "/api/v1/events": "/api/v1/events",
    };
    for (const route of API_ROUTES) {
      const path = paths[route.path]!;
      const body = route.method === "POST" ? { type: "access", email: `c${route.operationId.length}@example.org` } : undefined;
      expect((await call({ method: route.method, path, body })).status).toBe(401);
      const without = makeKey(t.db, ["read_requests", "file_requests", "read_events"].filter((s) => s !== route.scope) as never);
      expect((await call({ method: route.method, path, key: without.key, body })).status).toBe(403);
      const success = await call({ method: route.method, path, key: everything.key, body: route.method === "POST" ? { type: "concern", email: "cy@example.org", message: "Hi" } : undefined });
      expect(Object.keys(route.responses)).toContain(String(success.status));
    }
  });
});

describe("the OpenAPI document", () => {
  let seenBefore: Set<string>;
  beforeAll(() => {
    seenBefore = contract.seen();
  });
  afterAll(() => {
    // Every route was seen giving its success answer somewhere in this file.
    for (const route of API_ROUTES) {
      for (const status of Object.keys(route.responses)) expect(seenBefore.has(`${route.method} ${route.path} ${status}`), `${route.method} ${route.path} ${status}`).toBe(true);
    }
  });

  it("is OpenAPI 3.1 with every route, generated from the schemas the routes check with", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort()).toEqual(
      API_ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
    expect(document.components.schemas.FileRequest).toMatchObject({ oneOf: expect.any(Array) });
    // Unknown fields are refused, so the document says so too.
    expect((document.components.schemas.FileRequest as { oneOf: Array<{ additionalProperties: boolean }> }).oneOf.every((o) => o.additionalProperties === false)).toBe(true);
  });
});
