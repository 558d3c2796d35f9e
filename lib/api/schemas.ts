/**
 * The shapes of /api/v1: what each call takes and answers. The routes check
 * every call against these, and the OpenAPI document (openapi.ts) is
 * generated from the very same schemas, so the two cannot drift apart.
 */
import { z } from "zod";
import { REQUEST_STATUSES, REQUEST_TYPES } from "@/db/schema";
import { DEADLINE_FILTERS, QUEUE_SORTS } from "@/lib/queue/queue-query";
import { API_ERROR_CODES } from "./errors";
import { PUBLIC_EVENT_KINDS } from "./event-kinds";

/** Named schemas: each becomes a component of the OpenAPI document, referred to by name. */
export const apiRegistry = z.registry<{ id: string; description: string }>();

function named<T extends z.ZodType>(id: string, description: string, schema: T): T {
  apiRegistry.add(schema, { id, description });
  return schema;
}

export const ErrorSchema = named(
  "Error",
  "Every refusal: a stable code a program can act on and a sentence a person can read.",
  z.strictObject({
    error: z.strictObject({
      code: z.enum(API_ERROR_CODES),
      message: z.string(),
    }),
  }),
);

export const RequestTypeSchema = named("RequestType", "What the supporter asks for.", z.enum(REQUEST_TYPES));
export const RequestStatusSchema = named(
  "RequestStatus",
  "Where a request stands: received, in_review, awaiting_supporter (a question was sent; the legal clock is stopped), approved, and the closed completed, denied (refused) and canceled.",
  z.enum(REQUEST_STATUSES),
);

const Instant = z.iso.datetime({ offset: false }).describe("An instant in UTC, ISO 8601.");
const Day = z.iso.date().describe("A calendar day in the organisation's time zone.");

export const DeadlineSchema = named(
  "Deadline",
  "Where an open request stands against its due date. due_soon: less than a quarter of the answering period is left; paused: the clock is stopped while the supporter is asked something.",
  z.object({
    due_on: Day,
    days_left: z.number().int().describe("Days to the due date; 0 on the day itself, negative once late."),
    state: z.enum(["on_track", "due_soon", "overdue", "paused"]),
  }),
);

export const OriginSchema = named(
  "Origin",
  "The program that filed the request: an API key, or an authorised agent (Data Rights Protocol). Null for requests from the form or recorded by staff.",
  z.object({
    kind: z.enum(["api_key", "agent"]),
    name: z.string(),
    intake_id: z.string().describe("The id the program follows the request by."),
  }),
);

export const RequestSummarySchema = named(
  "RequestSummary",
  "One request as the staff queue lists it.",
  z.object({
    reference: z.string().describe("The public reference, such as RD-7K3Q-9XWM."),
    type: RequestTypeSchema,
    status: RequestStatusSchema,
    email: z.string().nullable().describe("The requester's address; null once their data was erased."),
    erased: z.boolean(),
    received_at: Instant,
    due_on: Day,
    deadline: DeadlineSchema.nullable().describe("Null once the request is closed."),
    assignee: z.string().nullable().describe("The staff member working on it, by sign-in address."),
    origin: OriginSchema.nullable(),
  }),
);

export const RequestPageSchema = named(
  "RequestPage",
  "A page of requests. Pass next_after as `after` for the next page; null on the last page.",
  z.object({
    requests: z.array(RequestSummarySchema),
    next_after: z.string().nullable(),
  }),
);

const CorrectionChanges = z.strictObject({
  name: z.string().optional(),
  email: z.string().optional(),
  postal_address: z.string().optional(),
  phone: z.string().optional(),
});

export const RequestDetailsSchema = named(
  "RequestDetails",
  "What the supporter asked, by type.",
  z.discriminatedUnion("type", [
    z.object({ type: z.literal("access"), note: z.string().optional() }),
    z.object({ type: z.literal("correction"), changes: CorrectionChanges, note: z.string().optional() }),
    z.object({ type: z.literal("erasure"), note: z.string().optional() }),
    z.object({
      type: z.literal("unsubscribe"),
      lists: z.array(z.string()).optional().describe("The mailing lists it left, by name; absent when it left every list (and lists added later)."),
    }),
    z.object({ type: z.literal("concern"), message: z.string() }),
  ]),
);

export const HistoryEntrySchema = named(
  "HistoryEntry",
  "One thing that happened to a request, as staff see it.",
  z.object({
    id: z.string().describe("The event's id in the log; the same id as in the event stream."),
    at: Instant,
    kind: z.string().describe("The kind of step, e.g. filed, review_started, question, approved, note."),
    label: z.string().describe("The step in words."),
    actor: z.enum(["supporter", "staff", "system"]),
    actor_email: z.string().nullable().describe("The staff member who took the step; null for the supporter and the system."),
    from_status: RequestStatusSchema.nullable(),
    to_status: RequestStatusSchema.nullable(),
    note: z.string().nullable(),
    internal: z.boolean().describe("True for steps the supporter does not see."),
  }),
);

export const RequestDetailSchema = named(
  "RequestDetail",
  "One request with its history. Internal notes are left out unless the key has the read_internal_notes scope.",
  z.object({
    ...RequestSummarySchema.shape,
    name: z.string().nullable(),
    channel: z.enum(["web", "post", "phone", "email"]),
    identity_check: z.string().nullable(),
    regime: z.enum(["gdpr", "ccpa"]),
    closed_at: Instant.nullable(),
    extension_reason: z.string().nullable(),
    days_clock_stopped: z.number().int(),
    details: RequestDetailsSchema,
    history: z.array(HistoryEntrySchema),
  }),
);

const text = (what: string) => z.string().describe(what);

export const FileRequestBodySchema = named(
  "FileRequest",
  "A request filed on a supporter's behalf. It becomes a draft, and the supporter is emailed a link to confirm it, exactly as when they use the form: it enters the queue, and its legal clock starts, only when they confirm.",
  z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("access"), email: text("The supporter's address."), name: text("The supporter's name.").optional(), note: z.string().optional() }),
    z.strictObject({
      type: z.literal("correction"),
      email: text("The supporter's address."),
      name: z.string().optional(),
      changes: CorrectionChanges.describe("At least one field, with what it should say."),
      note: z.string().optional(),
    }),
    z.strictObject({ type: z.literal("erasure"), email: text("The supporter's address."), name: z.string().optional(), note: z.string().optional() }),
    z.strictObject({ type: z.literal("unsubscribe"), email: text("The supporter's address."), name: z.string().optional() }),
    z.strictObject({ type: z.literal("concern"), email: text("The supporter's address."), name: z.string().optional(), message: z.string() }),
  ]),
);

export const FilingSchema = named(
  "Filing",
  "A request filed through the API. awaiting_confirmation: the supporter has been emailed a link; confirmed: it is in the queue under `reference`; lapsed: nobody confirmed it within 24 hours.",
  z.object({
    intake_id: z.string(),
    type: RequestTypeSchema,
    status: z.enum(["awaiting_confirmation", "confirmed", "lapsed"]),
    reference: z.string().nullable(),
    created_at: Instant,
    expires_at: Instant.describe("When the draft lapses unless confirmed."),
  }),
);

export const EventKindSchema = named("EventKind", "The kinds of event in the stream and in subscriptions.", z.enum(PUBLIC_EVENT_KINDS));

export const EventSchema = named(
  "Event",
  "Something that happened to a request. It carries references and kinds, never personal data.",
  z.object({
    id: z.string().describe("Increasing; pass the last one seen as `after`."),
    kind: EventKindSchema,
    at: Instant,
    reference: z.string(),
    type: RequestTypeSchema,
    to_status: RequestStatusSchema.nullable().describe("The status the request moved to; null for events that move none (extended, due_soon, overdue)."),
    intake_id: z.string().nullable().describe("For request.received: the intake id, when a program filed it."),
  }),
);

export const EventPageSchema = named(
  "EventPage",
  "Events after the cursor, oldest first. Pass next_after as `after` to continue; it moves on even when a page holds no event of the kinds asked for.",
  z.object({
    events: z.array(EventSchema),
    next_after: z.string(),
  }),
);

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values).optional().describe(what);

export const ListRequestsQuerySchema = z.strictObject({
  status: optionalEnum(REQUEST_STATUSES, "Only requests with this status."),
  type: optionalEnum(REQUEST_TYPES, "Only requests of this type."),
  deadline: optionalEnum(DEADLINE_FILTERS, "overdue, or due_soon (less than a quarter of the answering period left)."),
  assignee: z.string().optional().describe("Only requests assigned to this staff member (their sign-in address), or `none`: those nobody is working on."),
  q: z.string().optional().describe("A reference, a whole email address, or the start of one, as in the queue's search box."),
  sort: z.enum(QUEUE_SORTS).optional().describe("received (newest first, the default) or due (soonest first)."),
  after: z.string().optional().describe("The next_after of the page before."),
  limit: z.coerce.number().int().min(1).max(100).optional().describe("Requests per page, 1 to 100; 50 by default."),
});

export const EventsQuerySchema = z.strictObject({
  after: z.string().regex(/^\d{1,15}$/, { error: "after must be an event id, as next_after gave it." }).optional().describe("The last event id seen; 0 or absent: from the start."),
  limit: z.coerce.number().int().min(1).max(500).optional().describe("Events per page, 1 to 500; 100 by default."),
  kinds: z.string().optional().describe("Only these kinds, comma-separated, e.g. request.received,request.completed."),
});

export const ReferenceParamsSchema = z.strictObject({ reference: z.string().describe("A request's reference, such as RD-7K3Q-9XWM.") });
export const IntakeParamsSchema = z.strictObject({ intake_id: z.string().describe("The intake id the filing call answered with.") });

export type RequestSummary = z.output<typeof RequestSummarySchema>;
export type RequestDetail = z.output<typeof RequestDetailSchema>;
export type FileRequestBody = z.output<typeof FileRequestBodySchema>;
export type Filing = z.output<typeof FilingSchema>;
export type ApiEvent = z.output<typeof EventSchema>;
