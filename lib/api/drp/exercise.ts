/**
 * The Data Rights Protocol's endpoints (DRP 1.0, section 2): the pair-wise
 * key setup and agent information, and an agent's data rights requests:
 * filing one, its status, and revoking it. Each takes the raw request and
 * answers with a Response, so the route handlers in app/v1 are one line.
 * Errors follow section 3.06: JSON `{"code","message"}` (with `fatal` where
 * the same message will never be taken), and a failed key setup is a bare
 * 403, as section 2.05.1 asks.
 */
import { eq, lte } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db/connection";
import { drpRequests, drpSeenMessages, requestDrafts, requests, type DrpAgent, type DrpRequest } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { emailAddress, fieldErrorsOf, oneLineText } from "@/lib/forms/fields";
import type { PortalContext } from "@/lib/settings/portal-context";
import { cancelRequestBySupporterIn } from "@/lib/requests/intake/cancel-request";
import { createDraft, DRAFT_LIFETIME_MS } from "@/lib/requests/intake/create-draft";
import { fileRequest } from "@/lib/requests/intake/file-request";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { agentById, agentByBearer, issueAgentToken, loadBusiness, SUPPORTED_ACTIONS } from "./agents";
import { drpStatusOf, isFinalStatus, SUPPORTED_EXERCISE_TYPES, type ExerciseStatus } from "./status";
import { validateSignedMessage, type DrpFailure } from "./validate";
import type { AgentRateVerdict } from "./agent-rate";

/** What the endpoints use of this installation; the server builds it, tests build their own. */
export type DrpEnv = {
  db: Db;
  ctx: PortalContext;
  now(): Date;
  /** The per-address limits on confirmation emails, as for the form. */
  admitConfirmationMail(email: string): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number; message: string }>;
  /** Whether an agent's status_callback may be called (the outbound-address policy); null when it may. */
  callbackProblem(url: string): Promise<string | null>;
  /** Counts one message that changes something against the agent's rate (./agent-rate.ts); the seconds to wait when it is used up. */
  admitAgentMessage(agentId: string): Promise<AgentRateVerdict>;
  queued?(): void;
};

const JSON_HEADERS = { "Cache-Control": "no-store" };

function failure(f: DrpFailure, headers: Record<string, string> = {}): Response {
  return Response.json({ code: String(f.status), message: f.message, ...(f.fatal ? { fatal: true } : {}) }, { status: f.status, headers: { ...JSON_HEADERS, ...headers } });
}

/**
 * The agent's rate (./agent-rate.ts), counted before its message is read: a message over it is refused with 429 and
 * Retry-After, and nothing of it is stored, so it may be sent again as it is once the wait is over.
 */
async function overRate(env: DrpEnv, agent: DrpAgent): Promise<Response | null> {
  const admitted = await env.admitAgentMessage(agent.id);
  if (admitted.ok) return null;
  return failure(
    { ok: false, status: 429, message: `This agent has sent as many messages as it may in a minute (${admitted.perMinute}); send this one again in ${admitted.retryAfterSeconds} seconds.` },
    { "Retry-After": String(admitted.retryAfterSeconds) },
  );
}

function statusResponse(status: ExerciseStatus): Response {
  return Response.json(status, { status: 200, headers: JSON_HEADERS });
}

/** Any other address under /v1: the protocol's own error in JSON (section 3.06), not a page, so an agent with a wrong api_base reads what went wrong. */
export function unknownDrpAddress(): Response {
  return failure({
    ok: false,
    status: 404,
    message: "There is no such address in this Data Rights Protocol endpoint: it takes /v1/agent/{agent-id}, /v1/data-rights-request and /v1/data-rights-request/{request_id}.",
  });
}

const NO_TOKEN: DrpFailure = { ok: false, status: 401, message: "Send the bearer token this organisation issued to the agent (POST /v1/agent/{agent-id}) as Authorization: Bearer." };

/** DRP's signed bodies are text/plain; a JSON or form body is someone else's protocol. */
async function signedBody(request: Request): Promise<string | DrpFailure> {
  const type = (request.headers.get("content-type") ?? "text/plain").split(";")[0]!.trim().toLowerCase();
  if (type !== "text/plain") return { ok: false, status: 415, message: "Send the signed message base64-encoded, with Content-Type: text/plain." };
  return request.text();
}

function seenBefore(tx: Tx, hash: string): boolean {
  return tx.select({ hash: drpSeenMessages.hash }).from(drpSeenMessages).where(eq(drpSeenMessages.hash, hash)).get() !== undefined;
}

const REPLAYED: DrpFailure = { ok: false, status: 409, message: "This signed message was already received: each one is taken once. Sign a new one.", fatal: true };
/**
 * A revoke body with only a reason signs to the same bytes each time (Ed25519 is deterministic), so "sign a new one"
 * cannot help: the agent is told what makes each revoke a message of its own.
 */
const REPLAYED_BARE_REVOKE: DrpFailure = {
  ok: false,
  status: 409,
  message:
    "This signed message was already received: each one is taken once. A revoke body with no issued-at and expires-at is the same message for every request, so sign this one with the agent-id, business-id, issued-at and expires-at claims (section 3.07).",
  fatal: true,
};

// ---------------------------------------------------------------------------
// Section 2.05: POST /v1/agent/{agent-id} (pair-wise key setup)
// ---------------------------------------------------------------------------

const FORBIDDEN_EMPTY = () => new Response(null, { status: 403, headers: JSON_HEADERS });

export async function setUpAgentKey(env: DrpEnv, request: Request, agentId: string): Promise<Response> {
  const agent = agentById(env.db, agentId);
  if (!agent || agent.disabledAt !== null) return FORBIDDEN_EMPTY();
  const limited = await overRate(env, agent);
  if (limited) return limited;
  const body = await signedBody(request);
  if (typeof body !== "string") return FORBIDDEN_EMPTY();
  const now = env.now();
  const checked = validateSignedMessage({ body, agent, businessId: loadBusiness(env.db)?.businessId ?? null, now });
  if (!checked.ok || checked.value.claims["drp.version"] !== "1.0") return FORBIDDEN_EMPTY();
  const token = inTransaction(env.db, (tx) => {
    if (seenBefore(tx, checked.value.hash)) return null;
    tx.insert(drpSeenMessages).values({ hash: checked.value.hash, expiresAt: checked.value.expiresAt ?? now }).run();
    return issueAgentToken(tx, { agentId: agent.id, now });
  });
  if (!token) return FORBIDDEN_EMPTY();
  return Response.json({ "agent-id": agent.id, token }, { status: 200, headers: JSON_HEADERS });
}

// ---------------------------------------------------------------------------
// Section 2.06: GET /v1/agent/{agent-id} (agent information)
// ---------------------------------------------------------------------------

export function agentInformation(env: DrpEnv, request: Request, agentId: string): Response {
  const agent = agentByBearer(env.db, request.headers.get("authorization"));
  if (!agent) return failure(NO_TOKEN);
  if (agent.id !== agentId) return failure({ ok: false, status: 403, message: "This token was issued to another agent." });
  return Response.json({}, { status: 200, headers: JSON_HEADERS });
}

// ---------------------------------------------------------------------------
// Section 2.01: POST /v1/data-rights-request
// ---------------------------------------------------------------------------

const personName = oneLineText("The name claim", 200);
const personEmail = emailAddress("The email claim");

/** The rest of an exercise message, once 3.07's checks passed. Other claims (phone_number, address…) may be present and are not kept. */
const ExerciseClaims = z.object({
  "agent-request-id": z.string().min(1).max(200).optional(),
  "drp.version": z.literal("1.0", { error: 'The drp.version claim must be "1.0".' }),
  exercise: z.string({ error: "The exercise claim is missing." }),
  regime: z.string().optional(),
  relationships: z.array(z.string().max(200)).max(50).optional(),
  status_callback: z.string().max(2000).optional(),
  name: z.string().optional(),
  email: z.string({ error: "This organisation checks identity by email: the request must carry the email claim." }),
  email_verified: z.boolean().optional(),
});

type Exercise = { agentRequestId: string | null; exercise: keyof typeof SUPPORTED_EXERCISE_TYPES; regime: string | null; statusCallback: string | null; submission: RequestSubmission; emailVerified: boolean };

async function exerciseOf(env: DrpEnv, claims: Record<string, unknown>): Promise<{ ok: true; value: Exercise } | DrpFailure> {
  const parsed = ExerciseClaims.safeParse(claims);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join(".");
    const message = issue.code === "invalid_type" || issue.code === "invalid_value" ? issue.message : `The ${field} claim is not valid: ${issue.message}`;
    return { ok: false, status: 400, message: message.startsWith("Invalid") ? `The ${field} claim is missing or of the wrong type.` : message, fatal: true };
  }
  const c = parsed.data;
  if (!(SUPPORTED_ACTIONS as readonly string[]).includes(c.exercise)) {
    return { ok: false, status: 400, message: `Unsupported rights actions submitted: this organisation takes ${SUPPORTED_ACTIONS.join(" and ")}.`, fatal: true };
  }
  // Section 3.01: a request under no regime is voluntary. The specification says so by leaving the claim out; the
  // reference agent (OSIRAA), and agents built from it, send "voluntary". Both are kept as no regime.
  if (c.regime !== undefined && c.regime !== "ccpa" && c.regime !== "voluntary") {
    return { ok: false, status: 400, message: 'The regime claim must be "ccpa", or "voluntary" or left out for a voluntary request (section 3.01).', fatal: true };
  }
  const regime = c.regime === "ccpa" ? "ccpa" : null;
  const email = personEmail.safeParse(c.email);
  if (!email.success || !email.data) return { ok: false, status: 400, message: fieldErrorsOf(email.success ? new z.ZodError([]) : email.error).form ?? "The email claim is not an email address.", fatal: true };
  const name = personName.safeParse(c.name);
  if (!name.success) return { ok: false, status: 400, message: fieldErrorsOf(name.error).form ?? "The name claim is not valid.", fatal: true };
  if (c.status_callback !== undefined) {
    const problem = await env.callbackProblem(c.status_callback);
    if (problem) return { ok: false, status: 400, message: `The status_callback cannot be called: ${problem}`, fatal: true };
  }
  const exercise = c.exercise as Exercise["exercise"];
  const type = SUPPORTED_EXERCISE_TYPES[exercise];
  const submission: RequestSubmission = {
    type,
    email: email.data,
    ...(name.data ? { name: name.data } : {}),
    details: type === "erasure" ? { type, confirmed: true } : { type },
  };
  return {
    ok: true,
    value: { agentRequestId: c["agent-request-id"] ?? null, exercise, regime, statusCallback: c.status_callback ?? null, submission, emailVerified: c.email_verified === true },
  };
}

export async function fileAgentRequest(env: DrpEnv, request: Request): Promise<Response> {
  const agent = agentByBearer(env.db, request.headers.get("authorization"));
  if (!agent) return failure(NO_TOKEN);
  const limited = await overRate(env, agent);
  if (limited) return limited;
  const body = await signedBody(request);
  if (typeof body !== "string") return failure(body);
  const now = env.now();
  const checked = validateSignedMessage({ body, agent, businessId: loadBusiness(env.db)?.businessId ?? null, now });
  if (!checked.ok) return failure(checked);
  const exercise = await exerciseOf(env, checked.value.claims);
  if (!exercise.ok) return failure(exercise);
  const { submission } = exercise.value;
  const id = requestIdFor(checked.value.hash);
  if (inTransaction(env.db, (tx) => seenBefore(tx, checked.value.hash))) return replayAnswer(env, agent, id, now);

  const row = {
    id,
    agentId: agent.id,
    agentRequestId: exercise.value.agentRequestId,
    exercise: exercise.value.exercise,
    regime: exercise.value.regime,
    statusCallback: exercise.value.statusCallback,
    createdAt: now,
  };
  const remember = (tx: Tx) => tx.insert(drpSeenMessages).values({ hash: checked.value.hash, expiresAt: checked.value.expiresAt ?? now }).run();

  let outcome: DrpRequest | "replayed";
  if (agent.trustsVerifiedEmail && exercise.value.emailVerified) {
    // The admin trusts this agent's verified addresses: the request is filed at once and its clock starts now.
    outcome = inTransaction(env.db, (tx) => {
      if (seenBefore(tx, checked.value.hash)) return "replayed" as const;
      remember(tx);
      const filed = fileRequest(tx, {
        submission,
        now,
        ctx: env.ctx,
        intakeId: id,
        identityCheck: `Email address verified by the authorised agent ${agent.name} (Data Rights Protocol)`,
      });
      const values = filed.ok ? row : { ...row, refusedReason: "too_many_requests", refusedDetails: filed.message };
      return tx.insert(drpRequests).values(values).returning().get();
    });
  } else {
    // The person proves the address is theirs by the emailed link, exactly as with the form.
    const admitted = await env.admitConfirmationMail(submission.email);
    if (!admitted.ok) return failure({ ok: false, status: 429, message: `No more confirmation emails may go to this address for now: ${admitted.message}` });
    let replayed = false;
    let created: DrpRequest | null = null;
    // In the draft's own transaction: a message seen meanwhile is a replay, and nothing of it is written.
    const takeMessage = (tx: Tx) => {
      if (seenBefore(tx, checked.value.hash)) {
        replayed = true;
        throw new ReplayedWhileDrafting();
      }
      remember(tx);
    };
    const drafted = (() => {
      try {
        return createDraft(env.db, {
          submission,
          now,
          ctx: env.ctx,
          intake: {
            id,
            record: (tx) => {
              takeMessage(tx);
              created = tx.insert(drpRequests).values({ ...row, verificationExpiresAt: new Date(now.getTime() + DRAFT_LIFETIME_MS) }).returning().get();
            },
            // A per-supporter limit refused it: recorded with the email telling the person why, so a message sent again
            // after a crash between the two neither emails them twice nor goes unrecorded. The agent hears which limit;
            // the person, emailed, hears which of their requests (the address is not proved to the agent's user).
            refused: (tx, programMessage) => {
              takeMessage(tx);
              created = tx.insert(drpRequests).values({ ...row, refusedReason: "too_many_requests", refusedDetails: `The person was emailed why: ${programMessage}` }).returning().get();
            },
          },
        });
      } catch (error) {
        if (error instanceof ReplayedWhileDrafting) return null;
        throw error;
      }
    })();
    if (replayed || !drafted) return replayAnswer(env, agent, id, now);
    // Filed as a draft, or refused by a per-supporter limit (the person was emailed why, as the form would have done).
    outcome = created!;
  }
  if (outcome === "replayed") return replayAnswer(env, agent, id, now);
  env.queued?.();
  const status = inTransaction(env.db, (tx) => {
    const current = drpStatusOf(tx, outcome as DrpRequest, { now, ctx: env.ctx });
    // The agent hears this status in the answer; a callback follows only when it changes.
    tx.update(drpRequests).set({ lastCallbackStatus: JSON.stringify(current) }).where(eq(drpRequests.id, id)).run();
    return current;
  });
  return statusResponse(status);
}

class ReplayedWhileDrafting extends Error {}

/**
 * The request_id a message files under, made from the message's own hash (laid out as a UUID of version 8,
 * RFC 9562), so that the same message sent again finds the request it made.
 */
function requestIdFor(messageHash: string): string {
  const hex = messageHash.slice(0, 32).split("");
  hex[12] = "8";
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const x = hex.join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * A message this agent already sent: an agent whose answer was lost sends it again, and hears the status of the
 * request it made (no second request, nothing changed) rather than a refusal that would leave it without the request_id.
 */
function replayAnswer(env: DrpEnv, agent: DrpAgent, id: string, now: Date): Response {
  const drp = env.db.select().from(drpRequests).where(eq(drpRequests.id, id)).get();
  if (!drp || drp.agentId !== agent.id) return failure(REPLAYED);
  return statusResponse(drpStatusOf(env.db, drp, { now, ctx: env.ctx }));
}

// ---------------------------------------------------------------------------
// Section 2.02: GET /v1/data-rights-request/{request_id}
// ---------------------------------------------------------------------------

/** The agent's own request; another agent's is a 403, as section 2.02.1 asks. */
function ownRequest(env: DrpEnv, agent: DrpAgent, requestId: string): { ok: true; drp: DrpRequest } | DrpFailure {
  const drp = /^[0-9a-f-]{36}$/.test(requestId) ? env.db.select().from(drpRequests).where(eq(drpRequests.id, requestId)).get() : undefined;
  if (!drp) return { ok: false, status: 404, message: "There is no data rights request with this request_id." };
  if (drp.agentId !== agent.id) return { ok: false, status: 403, message: "This request is managed by another agent." };
  return { ok: true, drp };
}

export function requestStatus(env: DrpEnv, request: Request, requestId: string): Response {
  const agent = agentByBearer(env.db, request.headers.get("authorization"));
  if (!agent) return failure(NO_TOKEN);
  const own = ownRequest(env, agent, requestId);
  if (!own.ok) return failure(own);
  return statusResponse(drpStatusOf(env.db, own.drp, { now: env.now(), ctx: env.ctx }));
}

// ---------------------------------------------------------------------------
// Section 2.04: DELETE /v1/data-rights-request/{request_id}
// ---------------------------------------------------------------------------

const RevokeClaims = z.object({ reason: z.string().max(2000).optional() });

/** When a signed message that can never expire is forgotten: never (the last instant a date can hold). */
const KEPT_FOR_GOOD = new Date(8.64e15);

export async function revokeAgentRequest(env: DrpEnv, request: Request, requestId: string): Promise<Response> {
  const agent = agentByBearer(env.db, request.headers.get("authorization"));
  if (!agent) return failure(NO_TOKEN);
  const limited = await overRate(env, agent);
  if (limited) return limited;
  const body = await signedBody(request);
  if (typeof body !== "string") return failure(body);
  const now = env.now();
  // Section 2.04's body holds only `reason`; the claims 3.07 checks are checked when the agent sends them.
  const checked = validateSignedMessage({ body, agent, businessId: loadBusiness(env.db)?.businessId ?? null, now, claimsOptional: true });
  if (!checked.ok) return failure(checked);
  const claims = RevokeClaims.safeParse(checked.value.claims);
  if (!claims.success) return failure({ ok: false, status: 400, message: "The reason claim must be text of at most 2,000 characters.", fatal: true });
  const own = ownRequest(env, agent, requestId);
  if (!own.ok) return failure(own);
  const reason = claims.data.reason?.replace(/[\u0000-\u001f\u007f]/g, " ").trim();

  const result = inTransaction(env.db, (tx): ExerciseStatus | DrpFailure => {
    const drp = tx.select().from(drpRequests).where(eq(drpRequests.id, requestId)).get()!;
    const before = drpStatusOf(tx, drp, { now, ctx: env.ctx });
    // Already revoked: the answer says so and changes nothing, so an agent that sends its revoke again (its answer was lost) hears it worked.
    if (before.status === "revoked") return before;
    if (seenBefore(tx, checked.value.hash)) return checked.value.expiresAt === null ? REPLAYED_BARE_REVOKE : REPLAYED;
    if (isFinalStatus(before)) return { ok: false, status: 400, message: `This request is ${before.status} and can no longer be revoked.`, fatal: true };
    // A body without expires-at would be taken again once forgotten (and it names no request, so for any of them): kept for good.
    tx.insert(drpSeenMessages).values({ hash: checked.value.hash, expiresAt: checked.value.expiresAt ?? KEPT_FOR_GOOD }).run();
    const filed = tx.select().from(requests).where(eq(requests.intakeId, requestId)).get();
    const note = `Revoked by the authorised agent ${agent.name}${reason ? `: ${reason}` : "."}`;
    if (filed && isOpen(filed.status)) {
      // The agent acts for the person: the request is cancelled as if they had withdrawn it themselves, email included.
      const cancelled = cancelRequestBySupporterIn(tx, { reference: filed.reference, supporterEmail: filed.subjectEmail, reason: note, now, ctx: env.ctx });
      if (!cancelled.ok) return { ok: false, status: 400, message: cancelled.message };
    } else if (!filed) {
      // Not confirmed yet: the draft and its link go, so the emailed link no longer files it.
      tx.delete(requestDrafts).where(eq(requestDrafts.intakeId, requestId)).run();
    }
    tx.update(drpRequests).set({ revokedAt: now }).where(eq(drpRequests.id, requestId)).run();
    const after = drpStatusOf(tx, { ...drp, revokedAt: now }, { now, ctx: env.ctx });
    tx.update(drpRequests).set({ lastCallbackStatus: JSON.stringify(after) }).where(eq(drpRequests.id, requestId)).run();
    return after;
  });
  if ("ok" in result) return failure(result);
  env.queued?.();
  return statusResponse(result);
}

// ---------------------------------------------------------------------------
// Tidying
// ---------------------------------------------------------------------------

/** Forgets accepted messages once they have expired (from then on they are refused as expired anyway). */
export function forgetExpiredMessages(db: Db, now: Date): number {
  return db.delete(drpSeenMessages).where(lte(drpSeenMessages.expiresAt, now)).run().changes;
}
