/**
 * What /api/v1 does with requests: list them as the staff queue does, read
 * one with its history, and file one for a supporter, who confirms it by
 * the emailed link exactly as when they use the form.
 */
import { isoInstant } from "@/lib/calendar/iso-instant";
import { keptWhileUnchanged } from "@/db/change-version";
import { randomUUID } from "node:crypto";
import { and, asc, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { apiFilings, requestEvents, requests, type RequestRow } from "@/db/schema";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { isErasedSubject } from "@/lib/requests/fulfilment/erasure";
import { listQueue, type QueueFilters, type QueueRow } from "@/lib/queue/list-queue";
import { decodeCursor, encodeCursor, parseQueueSearch } from "@/lib/queue/queue-query";
import { createDraft, DRAFT_LIFETIME_MS } from "@/lib/requests/intake/create-draft";
import { describeEvent, supporterSeesEvent } from "@/lib/requests/lifecycle/events";
import { parseRequestForm } from "@/lib/requests/intake/request-form";
import type { RequestDetails } from "@/lib/vocabulary/request-details";
import { parseReference } from "@/lib/vocabulary/reference";
import { calendarDateIn } from "@/lib/calendar/dates";
import { deadlineOf } from "@/lib/calendar/deadlines";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { ApiProblem } from "./errors";
import { originOf, originsOf, type RequestOrigin } from "./origins";
import type { ApiEnv } from "./route";
import type { z } from "zod";
import type { FileRequestBody, Filing, ListRequestsQuerySchema, RequestDetail, RequestSummary } from "./schemas";

export const DEFAULT_PAGE_SIZE = 50;

function originJson(origin: RequestOrigin | null | undefined): RequestSummary["origin"] {
  return origin ? { kind: origin.kind, name: origin.name, intake_id: origin.intakeId } : null;
}

function summaryOf(row: QueueRow, origin: RequestOrigin | undefined): RequestSummary {
  return {
    reference: row.reference,
    type: row.type,
    status: row.status,
    email: row.erased ? null : row.email,
    erased: row.erased,
    received_at: isoInstant(row.receivedAt.getTime()),
    due_on: row.dueOn,
    deadline: row.deadline ? { due_on: row.deadline.dueOn, days_left: row.deadline.daysLeft, state: row.deadline.state } : null,
    assignee: row.assigneeEmail,
    origin: originJson(origin),
  };
}

type ListQuery = z.output<typeof ListRequestsQuerySchema>;

/** The queue's filters from the call's query; anything malformed is refused with a sentence rather than ignored. */
export function queueFiltersOf(query: ListQuery): { filters: QueueFilters; assignee: string | null } {
  const sort = query.sort ?? "received";
  const search = query.q === undefined || query.q.trim() === "" ? null : parseQueueSearch(query.q);
  if (query.q !== undefined && query.q.trim() !== "" && !search) {
    throw new ApiProblem("invalid_request", "The field “q” is too long to be a reference or an email address.");
  }
  const after = query.after === undefined ? null : decodeCursor(query.after, sort);
  if (query.after !== undefined && !after) {
    throw new ApiProblem("invalid_request", "The field “after” is not a cursor this list gave for this sort; pass next_after from the page before, with the same sort.");
  }
  let assignee: string | null = null;
  let assigned: QueueFilters["assigned"] = null;
  if (query.assignee !== undefined) {
    if (query.assignee === "none") assigned = "none";
    else {
      assignee = normalizeEmail(query.assignee);
      assigned = "me";
    }
  }
  return {
    filters: { status: query.status ?? null, type: query.type ?? null, deadline: query.deadline ?? null, assigned, search, sort, after },
    assignee,
  };
}

export function listRequests(env: ApiEnv, query: ListQuery, now: Date = env.now()): { requests: RequestSummary[]; next_after: string | null } {
  const { filters, assignee } = queueFiltersOf(query);
  const page = listQueue(env.db, {
    query: filters,
    // "Assigned to me" with the asked-for staff member as "me".
    viewerEmail: assignee ?? "",
    now,
    timeZone: env.ctx.timeZone,
    pageSize: query.limit ?? DEFAULT_PAGE_SIZE,
  });
  const origins = originsOf(
    env.db,
    page.rows.flatMap((r) => (r.intakeId ? [r.intakeId] : [])),
  );
  return {
    requests: page.rows.map((row) => summaryOf(row, row.intakeId ? origins.get(row.intakeId) : undefined)),
    next_after: page.next ? encodeCursor(page.next) : null,
  };
}

/**
 * `listRequests` written out as JSON, kept while nothing is written to the
 * database (`keptWhileUnchanged`): programs poll the list, and most polls
 * find nothing new. The same query on the same day in the organisation's
 * time zone, the only other thing a page depends on, gets the same text.
 */
export function listRequestsJson(env: ApiEnv, query: ListQuery): string {
  const now = env.now();
  const today = calendarDateIn(now, env.ctx.timeZone);
  const key = JSON.stringify(["api requests", env.ctx.timeZone, today, query]);
  return keptWhileUnchanged(env.db, key, () => JSON.stringify(listRequests(env, query, now)));
}

function detailsJson(details: RequestDetails): RequestDetail["details"] {
  switch (details.type) {
    case "access":
      return { type: "access", ...(details.note ? { note: details.note } : {}) };
    case "correction": {
      const c = details.changes;
      return {
        type: "correction",
        changes: {
          ...(c.name !== undefined ? { name: c.name } : {}),
          ...(c.email !== undefined ? { email: c.email } : {}),
          ...(c.postalAddress !== undefined ? { postal_address: c.postalAddress } : {}),
          ...(c.phone !== undefined ? { phone: c.phone } : {}),
        },
        ...(details.note ? { note: details.note } : {}),
      };
    }
    case "erasure":
      return { type: "erasure", ...(details.note ? { note: details.note } : {}) };
    case "unsubscribe":
      return { type: "unsubscribe", ...(details.lists && details.lists.length > 0 ? { lists: details.lists } : {}) };
    case "concern":
      return { type: "concern", message: details.message };
  }
}

/** The internal notes are staff's own words to each other; a key sees them only with the scope that says so. */
export const INTERNAL_NOTE_ACTION = "note";

export function readRequest(env: ApiEnv, input: { reference: string; withInternalNotes: boolean }): RequestDetail | null {
  const reference = parseReference(input.reference);
  if (!reference) return null;
  const row: RequestRow | undefined = env.db.select().from(requests).where(eq(requests.reference, reference)).get();
  if (!row) return null;
  const events = env.db
    .select()
    .from(requestEvents)
    .where(and(eq(requestEvents.requestId, row.id), input.withInternalNotes ? undefined : ne(requestEvents.action, INTERNAL_NOTE_ACTION)))
    .orderBy(asc(requestEvents.id))
    .all();
  const today = calendarDateIn(env.now(), env.ctx.timeZone);
  const erased = isErasedSubject(row.subjectEmail);
  const deadline = isOpen(row.status) ? deadlineOf(row.receivedOn, row.dueOn, today, row.clockStoppedOn) : null;
  return {
    reference: row.reference,
    type: row.type,
    status: row.status,
    email: erased ? null : row.subjectEmail,
    erased,
    received_at: isoInstant(row.receivedAt.getTime()),
    due_on: row.dueOn,
    deadline: deadline ? { due_on: deadline.dueOn, days_left: deadline.daysLeft, state: deadline.state } : null,
    assignee: row.assigneeEmail,
    origin: originJson(originOf(env.db, row.intakeId)),
    name: row.subjectName,
    channel: row.channel,
    identity_check: row.identityCheck,
    regime: row.regime,
    closed_at: row.closedAt?.toISOString() ?? null,
    extension_reason: row.extensionReason,
    days_clock_stopped: row.daysClockStopped,
    details: detailsJson(row.details as RequestDetails),
    history: events.map((e) => ({
      id: String(e.id),
      at: e.at.toISOString(),
      kind: e.action,
      label: describeEvent(e.action),
      actor: e.actorType,
      actor_email: e.actorEmail,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      note: e.note,
      internal: !supporterSeesEvent(e.action),
    })),
  };
}

/** The API's fields as the form's, so a filed request is checked by exactly the rules the form uses. */
function formRecordOf(body: FileRequestBody): Record<string, string> {
  const record: Record<string, string> = { type: body.type, email: body.email };
  if (body.name !== undefined) record.name = body.name;
  if ("note" in body && body.note !== undefined) record.note = body.note;
  if (body.type === "correction") {
    const c = body.changes;
    if (c.name !== undefined) record.correct_name = c.name;
    if (c.email !== undefined) record.correct_email = c.email;
    if (c.postal_address !== undefined) record.correct_postalAddress = c.postal_address;
    if (c.phone !== undefined) record.correct_phone = c.phone;
  }
  // The supporter confirms an erasure by following the emailed link, which says what it will do.
  if (body.type === "erasure") record.confirmErasure = "yes";
  if (body.type === "concern") record.message = body.message;
  return record;
}

const FORM_TO_API_FIELD: Record<string, string> = {
  correct_name: "changes.name",
  correct_email: "changes.email",
  correct_postalAddress: "changes.postal_address",
  correct_phone: "changes.phone",
  changes: "changes",
};

export async function fileThroughApi(env: ApiEnv, input: { keyId: number; body: FileRequestBody }): Promise<Filing> {
  const parsed = parseRequestForm(formRecordOf(input.body));
  if (!parsed.ok) {
    const [field, message] = Object.entries(parsed.fieldErrors)[0] ?? ["body", "The request is not valid."];
    throw new ApiProblem("invalid_request", `The field “${FORM_TO_API_FIELD[field] ?? field}”: ${message}`);
  }
  const submission = parsed.value;
  const admitted = await env.admitConfirmationMail(submission.email);
  if (!admitted.ok) {
    throw new ApiProblem("rate_limited", `No more confirmation emails may go to this address for now: ${admitted.message}`, {
      "Retry-After": String(admitted.retryAfterSeconds),
    });
  }
  const now = env.now();
  const intakeId = randomUUID();
  const expiresAt = new Date(now.getTime() + DRAFT_LIFETIME_MS);
  const drafted = createDraft(env.db, {
    submission,
    now,
    ctx: env.ctx,
    intake: {
      id: intakeId,
      record: (tx) => tx.insert(apiFilings).values({ intakeId, keyId: input.keyId, type: submission.type, createdAt: now, expiresAt }).run(),
    },
  });
  env.queued?.();
  if (!drafted.drafted) {
    // The address was emailed the same refusal the form would have caused. The program hears which limit, not the
    // person's other requests: a key that may file requests may not read them, and the address is not proved yet.
    throw new ApiProblem("limit_reached", `This request was not filed, and the supporter was emailed why: ${drafted.programMessage}`);
  }
  return { intake_id: intakeId, type: submission.type, status: "awaiting_confirmation", reference: null, created_at: now.toISOString(), expires_at: expiresAt.toISOString() };
}

/** A filing made with this very key; another key's filing is "not found", as if it did not exist. */
export function readFiling(env: ApiEnv, input: { keyId: number; intakeId: string }): Filing | null {
  if (!/^[0-9a-f-]{36}$/.test(input.intakeId)) return null;
  const filing = env.db
    .select()
    .from(apiFilings)
    .where(and(eq(apiFilings.intakeId, input.intakeId), eq(apiFilings.keyId, input.keyId)))
    .get();
  if (!filing) return null;
  const request = env.db.select({ reference: requests.reference }).from(requests).where(eq(requests.intakeId, filing.intakeId)).get();
  const status: Filing["status"] = request ? "confirmed" : filing.expiresAt.getTime() <= env.now().getTime() ? "lapsed" : "awaiting_confirmation";
  return {
    intake_id: filing.intakeId,
    type: filing.type,
    status,
    reference: request?.reference ?? null,
    created_at: filing.createdAt.toISOString(),
    expires_at: filing.expiresAt.toISOString(),
  };
}
