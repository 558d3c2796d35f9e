/**
 * Every /api/v1 route: its address, the scope it needs, its schemas and
 * what it does. The route handlers in app/api/v1 serve these, and the
 * OpenAPI document lists exactly these.
 */
import { ApiProblem } from "./errors";
import { isPublicEventKind, type PublicEventKind } from "./event-kinds";
import { readEventStream } from "./events";
import { fileThroughApi, listRequestsJson, readFiling, readRequest } from "./requests-api";
import { defineRoute, type ApiRoute } from "./route";
import {
  EventPageSchema,
  EventsQuerySchema,
  FileRequestBodySchema,
  FilingSchema,
  IntakeParamsSchema,
  ListRequestsQuerySchema,
  ReferenceParamsSchema,
  RequestDetailSchema,
  RequestPageSchema,
} from "./schemas";

export const listRequestsRoute = defineRoute({
  operationId: "listRequests",
  method: "GET",
  path: "/api/v1/requests",
  summary: "List requests",
  description:
    "Requests as the staff queue lists them, with its filters, its search and its two orders, a page at a time. Pages continue from the last request seen (pass next_after as after), so a page deep in the list costs what the first does.",
  scope: "read_requests",
  query: ListRequestsQuerySchema,
  responses: { 200: { description: "A page of requests.", schema: RequestPageSchema } },
  run: ({ env, query }) => ({ status: 200, body: null, json: listRequestsJson(env, query) }),
});

export const fileRequestRoute = defineRoute({
  operationId: "fileRequest",
  method: "POST",
  path: "/api/v1/requests",
  summary: "File a request for a supporter",
  description:
    "The request becomes a draft and the supporter is emailed a link to confirm it, exactly as when they use the form, with the same checks and limits. It enters the queue, and its legal clock starts, when they confirm; follow it with GET /api/v1/filings/{intake_id}, or wait for request.received with this intake_id in the event stream.",
  scope: "file_requests",
  body: FileRequestBodySchema,
  responses: { 202: { description: "Filed as a draft; the supporter was emailed the link that confirms it.", schema: FilingSchema } },
  run: async ({ env, body, caller }) => ({ status: 202, body: await fileThroughApi(env, { keyId: caller.keyId, body }) }),
});

export const readRequestRoute = defineRoute({
  operationId: "readRequest",
  method: "GET",
  path: "/api/v1/requests/{reference}",
  summary: "Read one request with its history",
  description: "The request as staff see it, with every step of its history. Staff's internal notes are included only for a key with the read_internal_notes scope.",
  scope: "read_requests",
  params: ReferenceParamsSchema,
  responses: { 200: { description: "The request.", schema: RequestDetailSchema } },
  run: ({ env, params, caller }) => {
    const request = readRequest(env, { reference: params.reference, withInternalNotes: caller.scopes.includes("read_internal_notes") });
    if (!request) throw new ApiProblem("not_found", "There is no request with this reference.");
    return { status: 200, body: request, reference: request.reference };
  },
});

export const readFilingRoute = defineRoute({
  operationId: "readFiling",
  method: "GET",
  path: "/api/v1/filings/{intake_id}",
  summary: "Follow a request this key filed",
  description: "Whether the supporter has confirmed it yet, and its reference once they have. Only the key that filed it can read it.",
  scope: "file_requests",
  params: IntakeParamsSchema,
  responses: { 200: { description: "The filing.", schema: FilingSchema } },
  run: ({ env, params, caller }) => {
    const filing = readFiling(env, { keyId: caller.keyId, intakeId: params.intake_id });
    if (!filing) throw new ApiProblem("not_found", "This key filed no request with this intake id.");
    return { status: 200, body: filing, reference: filing.reference };
  },
});

export const DEFAULT_EVENT_PAGE = 100;

export const listEventsRoute = defineRoute({
  operationId: "listEvents",
  method: "GET",
  path: "/api/v1/events",
  summary: "Read the event stream",
  description:
    "What happened to requests, oldest first, after the last event seen. Each event carries a reference and a kind, never personal data. Keep the last next_after and ask again with it to hear of what happens next.",
  scope: "read_events",
  query: EventsQuerySchema,
  responses: { 200: { description: "A page of events.", schema: EventPageSchema } },
  run: ({ env, query }) => {
    let kinds: PublicEventKind[] | null = null;
    if (query.kinds !== undefined) {
      const asked = query.kinds.split(",").map((k) => k.trim()).filter((k) => k !== "");
      const unknown = asked.filter((k) => !isPublicEventKind(k));
      if (unknown.length > 0 || asked.length === 0) {
        throw new ApiProblem("invalid_request", `The field “kinds” names ${unknown.length > 0 ? `kinds that do not exist: ${unknown.join(", ")}` : "no kind"}; see EventKind in the API reference.`);
      }
      kinds = asked as PublicEventKind[];
    }
    return { status: 200, body: readEventStream(env.db, { after: Number(query.after ?? 0), limit: query.limit ?? DEFAULT_EVENT_PAGE, kinds }) };
  },
});

export const API_ROUTES: readonly ApiRoute[] = [listRequestsRoute, fileRequestRoute, readRequestRoute, readFilingRoute, listEventsRoute];
