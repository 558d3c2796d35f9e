/**
 * Every table Rightsdesk stores, in one place. Migrations in db/migrations are
 * generated from this file by drizzle-kit and committed.
 */
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import type { Language } from "@/lib/language/languages";

// ---------------------------------------------------------------------------
// Sign-in: the tables next-auth's database adapter reads and writes.
// ---------------------------------------------------------------------------

export const users = sqliteTable("users", {
  id: text("id")
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  name: text("name"),
  email: text("email").unique(),
  emailVerified: integer("emailVerified", { mode: "timestamp_ms" }),
  image: text("image"),
});

export const accounts = sqliteTable(
  "accounts",
  {
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").$type<"oauth" | "oidc" | "email" | "credentials">().notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("providerAccountId").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  // By user too: removing a person (an erasure) removes their accounts without reading every one.
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("accounts_user_idx").on(t.userId)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** Only a SHA-256 hash of the cookie's token (lib/auth/sessions.ts `storedSessionToken`); the name is next-auth's. */
    sessionToken: text("sessionToken").primaryKey(),
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expires: integer("expires", { mode: "timestamp_ms" }).notNull(),
    // What staff see of their sessions (/staff/account); null on sessions started before these were kept.
    createdAt: integer("created_at", { mode: "timestamp_ms" }),
    /** Moved forward at most once a minute while the session is used; a staff session idle for STAFF_IDLE_MINUTES has ended. */
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
    /** The browser and system it was started from, in words ("Chrome 131 on Linux"), never the raw header. */
    device: text("device"),
    /**
     * Set while a staff member's session waits for a second factor after the
     * emailed link: "passkey" until they use one of their passkeys, "enrol"
     * until they add one (when passkeys are required and they have none).
     * Until cleared, the session reaches no staff page, route or action.
     */
    secondFactor: text("second_factor").$type<SecondFactor>(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Sign-in link tokens; `token` holds only a SHA-256 hash of what was emailed. */
export const verificationTokens = sqliteTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: integer("expires", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

// ---------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------

/**
 * Admins manage the team and settings and work requests; reviewers work
 * requests; auditors (a trustee, an outside reviewer) see every request, its
 * history and the reports, and change nothing.
 */
export const STAFF_ROLES = ["admin", "reviewer", "auditor"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const staff = sqliteTable("staff", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** Normalised (trimmed, lower-case) address the staff member signs in with. */
  email: text("email").notNull().unique(),
  role: text("role").$type<StaffRole>().notNull(),
  addedAt: integer("added_at", { mode: "timestamp_ms" }).notNull(),
});

export const SECOND_FACTORS = ["passkey", "enrol"] as const;
export type SecondFactor = (typeof SECOND_FACTORS)[number];

/**
 * A staff member's passkeys (WebAuthn credentials). Once they have one, the
 * emailed link alone no longer opens the dashboard. They go with the staff
 * entry: removing someone from the staff list removes their passkeys.
 */
export const passkeys = sqliteTable(
  "passkeys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id, { onDelete: "cascade" }),
    /** The credential's id as the browser gives it (base64url). */
    credentialId: text("credential_id").notNull().unique(),
    /** The credential's public key (COSE, base64url): nothing here can sign in by itself. */
    publicKey: text("public_key").notNull(),
    /** The authenticator's signature counter, where it keeps one: a counter going backwards means a cloned key. */
    counter: integer("counter").notNull().default(0),
    transports: text("transports", { mode: "json" }).$type<string[]>(),
    /** What the staff member called it ("Work laptop"). */
    name: text("name").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("passkeys_staff_idx").on(t.staffId)],
);

/**
 * The challenge of a passkey ceremony under way, one per session and
 * purpose: it is spent (deleted) by the answer, and is good for five
 * minutes. The session is named by its handle, a hash of its token.
 */
export const webauthnChallenges = sqliteTable(
  "webauthn_challenges",
  {
    sessionHandle: text("session_handle").notNull(),
    purpose: text("purpose").$type<"register" | "authenticate">().notNull(),
    challenge: text("challenge").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionHandle, t.purpose] })],
);

/** How staff sign in, set by an admin on /staff/settings. One row; until saved, passkeys are each member's choice. */
export const signInPolicy = sqliteTable("sign_in_policy", {
  id: integer("id").primaryKey(),
  /** Every staff member must use a passkey after the emailed link (one without a passkey adds one first). */
  passkeysRequired: integer("passkeys_required", { mode: "boolean" }).notNull().default(false),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  updatedBy: text("updated_by").notNull(),
});

export const STAFF_EVENT_KINDS = [
  "member_added",
  "role_changed",
  "member_removed",
  "session_ended",
  "passkey_added",
  "passkey_removed",
  "passkeys_reset",
  "passkey_policy_changed",
] as const;
export type StaffEventKind = (typeof STAFF_EVENT_KINDS)[number];

/**
 * The record of the staff list and staff accounts: who was added, given a
 * role, removed; sessions an admin ended; passkeys added, removed and reset.
 * Append-only, like a request's history; read on the team page.
 */
export const staffEvents = sqliteTable(
  "staff_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    /** Who did it: a staff member's address, or null for the command line on the server. */
    actorEmail: text("actor_email"),
    /** Whose account or entry it was about. */
    subjectEmail: text("subject_email").notNull(),
    kind: text("kind").$type<StaffEventKind>().notNull(),
    note: text("note"),
  },
  (t) => [index("staff_events_at_idx").on(t.at)],
);

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

export const REQUEST_TYPES = [
  "access",
  "correction",
  "erasure",
  "unsubscribe",
  "concern",
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const REQUEST_STATUSES = [
  "received",
  "in_review",
  "awaiting_supporter",
  "approved",
  "completed",
  "denied",
  "canceled",
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const REQUEST_CHANNELS = ["web", "post", "phone", "email"] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export const REGIMES = ["gdpr", "ccpa"] as const;
export type Regime = (typeof REGIMES)[number];

/**
 * A request before its sender has proved they own the address. It becomes a
 * request (and the legal clock starts) only when the emailed link is followed.
 */
export const requestDrafts = sqliteTable(
  "request_drafts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Random key carried in the confirmation link; never the row id. */
    key: text("key").notNull().unique(),
    type: text("type").$type<RequestType>().notNull(),
    email: text("email").notNull(),
    name: text("name"),
    details: text("details", { mode: "json" }).notNull(),
    /** The language the form was filled in: the confirmation email, and the request it becomes, speak it. */
    language: text("language").$type<Language>().notNull().default("en"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    requestId: integer("request_id").references(() => requests.id, {
      onDelete: "set null",
    }),
    /**
     * Set when another program filed it (lib/api): the id under which that
     * program follows it. Carried to the request when the draft is confirmed.
     */
    intakeId: text("intake_id"),
  },
  // By address too: erasing a person removes their drafts, and must not read every draft to find them.
  (t) => [index("request_drafts_expires_idx").on(t.expiresAt), index("request_drafts_email_idx").on(t.email)],
);

/**
 * Requests whose legal clock is running: open, and not waiting for the
 * supporter. Only these can be overdue or due soon, and they stay few however
 * long the history grows, so the deadline filters read indexes of these
 * alone. Written out in full, because a query uses a partial index only when
 * its WHERE holds these very terms (see lib/queue/list-queue.ts). The unary
 * plus keeps the status indexes from taking the term for themselves: with
 * it, SQLite walks these few rows in page order instead of sorting.
 */
export const RUNNING_CLOCK_SQL = "+status in ('received', 'in_review', 'awaiting_supporter', 'approved') and clock_stopped_on is null";

/** Requests with an open question of a duplicate, written as the partial indexes hold it (see RUNNING_CLOCK_SQL). */
export const POSSIBLE_DUPLICATE_SQL = "possible_duplicate = 1";

export const requests = sqliteTable(
  "requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Public, unguessable reference such as RD-7K3Q-9XWM. */
    reference: text("reference").notNull().unique(),
    type: text("type").$type<RequestType>().notNull(),
    status: text("status").$type<RequestStatus>().notNull(),
    /** Normalised address of the person the request is about; it decides ownership. */
    subjectEmail: text("subject_email").notNull(),
    subjectName: text("subject_name"),
    details: text("details", { mode: "json" }).notNull(),
    /** The language it was made in: every email about it, however much later, is written in it. */
    language: text("language").$type<Language>().notNull().default("en"),
    /** How the request arrived: the web form, or by post, phone or email, recorded by staff. */
    channel: text("channel").$type<RequestChannel>().notNull().default("web"),
    /** For requests staff recorded: how the requester's identity was checked. */
    identityCheck: text("identity_check"),
    regime: text("regime").$type<Regime>().notNull(),
    /** When identity was confirmed: the legal clock starts here. */
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
    /** The calendar day of receipt in the organisation's time zone. */
    receivedOn: text("received_on").notNull(),
    /** Last calendar day (in the organisation's time zone) to answer; moves with extensions and stopped clocks. */
    dueOn: text("due_on").notNull(),
    /** When the deadline was extended (once at most), and the reason the supporter was sent. */
    extendedAt: integer("extended_at", { mode: "timestamp_ms" }),
    extensionReason: text("extension_reason"),
    /** Set while waiting for the supporter: the legal clock is stopped from this day. */
    clockStoppedOn: text("clock_stopped_on"),
    /** Days the clock has stood still in all, already added to `dueOn`. */
    daysClockStopped: integer("days_clock_stopped").notNull().default(0),
    /** The staff member working on it, by their sign-in address. */
    assigneeEmail: text("assignee_email"),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    /**
     * When the request was reduced to what statistics need (type, dates,
     * outcome, regime), REQUEST_RETENTION_MONTHS after it closed; see
     * lib/record/retention.ts.
     */
    reducedAt: integer("reduced_at", { mode: "timestamp_ms" }),
    /** Bumped on every change, so concurrent edits are detected rather than lost. */
    version: integer("version").notNull().default(1),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * For a request another program filed (an API key or an authorised
     * agent, see lib/api): the id that program follows it by. Null for the rest.
     */
    intakeId: text("intake_id"),
    /**
     * Random salt of the hash the record keeps of what the request is (its
     * reference, type, who it is about, what they asked, how and when it came:
     * lib/audit/request-identity.ts), set at filing for its first event to
     * record that hash under, and replaced by the removal event whenever
     * those are reduced on the record (erasure, retention), so nobody can
     * test a guess at what was removed against the earlier hash. Null for a
     * request filed before the record kept it, until its next event.
     */
    identitySalt: text("identity_salt"),
    /** Set while a question of a possible duplicate (see `request_duplicates`) is open on this request, for the queue's filter. */
    possibleDuplicate: integer("possible_duplicate", { mode: "boolean" }).notNull().default(false),
    /** The earlier request this one was merged into: it is answered with that one and closes with it. */
    mergedIntoId: integer("merged_into_id"),
  },
  (t) => [
    uniqueIndex("requests_intake_idx").on(t.intakeId).where(sql`intake_id is not null`),
    index("requests_subject_received_idx").on(t.subjectEmail, t.receivedAt),
    // The address rides along in the two order indexes, so a search by the start of a common address walks them without reading rows.
    index("requests_received_idx").on(t.receivedAt, t.id, t.subjectEmail),
    index("requests_status_received_idx").on(t.status, t.receivedAt, t.id),
    index("requests_due_idx").on(t.dueOn, t.id, t.subjectEmail),
    index("requests_status_due_idx").on(t.status, t.dueOn, t.id),
    index("requests_assignee_received_idx").on(t.assigneeEmail, t.receivedAt, t.id),
    // Monthly closings in reports read only the rows closed in the months shown.
    index("requests_status_closed_idx").on(t.status, t.closedAt),
    // The deadline filters, in each order; the dates they test are in the index, so rows that fail are skipped without a table read.
    index("requests_running_received_idx").on(t.receivedAt, t.id, t.dueOn, t.receivedOn).where(sql.raw(RUNNING_CLOCK_SQL)),
    index("requests_running_due_idx").on(t.dueOn, t.id, t.receivedOn).where(sql.raw(RUNNING_CLOCK_SQL)),
    // Closed requests still to be reduced, oldest closing first: the daily retention reads only these.
    index("requests_to_reduce_idx").on(t.closedAt).where(sql`closed_at is not null and reduced_at is null`),
    // The queue's filter of possible duplicates, in each order: only the few flagged requests are in them.
    index("requests_duplicate_received_idx").on(t.receivedAt, t.id).where(sql.raw(POSSIBLE_DUPLICATE_SQL)),
    index("requests_duplicate_due_idx").on(t.dueOn, t.id).where(sql.raw(POSSIBLE_DUPLICATE_SQL)),
    // The requests merged into one, which close with it.
    index("requests_merged_into_idx").on(t.mergedIntoId).where(sql.raw("merged_into_id is not null")),
  ],
);

export const DUPLICATE_RESOLUTIONS = ["merged", "kept", "closed"] as const;
export type DuplicateResolution = (typeof DUPLICATE_RESOLUTIONS)[number];

/**
 * A request that may be the same as an earlier one still open: the same
 * address asking for the same thing. Flagged on both when the later one
 * arrives; staff merge it into the earlier one, or keep both; it is settled
 * too ("closed") once either closes some other way.
 */
export const requestDuplicates = sqliteTable(
  "request_duplicates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The later request. */
    requestId: integer("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    /** The earlier one, still open when the later arrived. */
    earlierId: integer("earlier_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    flaggedAt: integer("flagged_at", { mode: "timestamp_ms" }).notNull(),
    resolution: text("resolution").$type<DuplicateResolution>(),
    resolvedBy: text("resolved_by"),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("request_duplicates_pair_idx").on(t.requestId, t.earlierId), index("request_duplicates_earlier_idx").on(t.earlierId)],
);

export const BULK_ACTIONS = ["assign", "start_review", "approve", "refuse", "close"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export const BULK_JOB_STATUSES = ["queued", "running", "done"] as const;
export type BulkJobStatus = (typeof BULK_JOB_STATUSES)[number];

/**
 * One staff action on many requests at once (assign, start review, approve,
 * refuse with one reason, close), carried out request by request through the
 * same change path as by hand, in the background when there are many. The
 * requests it covers are fixed when it starts (`bulk_job_items`).
 */
export const bulkJobs = sqliteTable(
  "bulk_jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    action: text("action").$type<BulkAction>().notNull(),
    /** What the action needs: the assignee, the one reason, the erasure confirmation. */
    params: text("params", { mode: "json" }).$type<{ assignee?: string | null; reason?: string; confirmedErasure?: boolean }>().notNull(),
    startedBy: text("started_by").notNull(),
    status: text("status").$type<BulkJobStatus>().notNull(),
    total: integer("total").notNull(),
    /** Items dealt with so far, and of those the ones that moved; kept in step with the items in each item's transaction. */
    done: integer("done").notNull().default(0),
    moved: integer("moved").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("bulk_jobs_status_idx").on(t.status, t.id)],
);

/** Each request a bulk action covers, and what became of it: moved, or left as it was and why. */
export const bulkJobItems = sqliteTable(
  "bulk_job_items",
  {
    jobId: integer("job_id")
      .notNull()
      .references(() => bulkJobs.id, { onDelete: "cascade" }),
    /** The order the requests were chosen in (their queue order). */
    position: integer("position").notNull(),
    requestId: integer("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    outcome: text("outcome").$type<"pending" | "moved" | "unchanged">().notNull(),
    /** For a request left as it was: the sentence saying why. */
    message: text("message"),
    at: integer("at", { mode: "timestamp_ms" }),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.position] }), index("bulk_job_items_outcome_idx").on(t.jobId, t.outcome, t.position)],
);

/**
 * How many requests stand in each status. Kept by triggers on `requests`
 * (migration 0001) in the same transaction as every insert, status change
 * and delete, whatever code makes it, so the queue's counts are one small
 * read at any size instead of a count over every request.
 */
export const requestStatusCounts = sqliteTable("request_status_counts", {
  status: text("status").$type<RequestStatus>().primaryKey(),
  count: integer("count").notNull(),
});

/**
 * The figures of /staff/reports, kept like `request_status_counts`: by
 * triggers on `requests` (migration 0014) in the same transaction as every
 * insert, change of receipt day, status, closing time or receipt time, and
 * delete, whatever code makes it, so the page reads a few small rows
 * instead of scanning the history. See lib/reports/report-tables.ts.
 *
 * The time zone the closing months below are counted in: the one of
 * `report_month_spans`. When the organisation's TIME_ZONE differs, the
 * tables are rebuilt for it (at start) and, until then, the page counts
 * from `requests` instead.
 */
export const reportTimeZone = sqliteTable("report_time_zone", {
  id: integer("id").primaryKey(),
  timeZone: text("time_zone").notNull(),
  /** When the tables were last rebuilt (0: by the migration), so nothing worked out from them before then is reused. */
  rebuiltAt: integer("rebuilt_at").notNull().default(0),
});

/**
 * Every calendar month from 1970 to 2199 in `report_time_zone`, as the UTC
 * instants it starts and ends at: the triggers find a closing's month here,
 * since SQLite knows no time zones.
 */
export const reportMonthSpans = sqliteTable(
  "report_month_spans",
  {
    month: text("month").primaryKey(),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
  },
  (t) => [uniqueIndex("report_month_spans_starts_idx").on(t.startsAt)],
);

/**
 * Per calendar month: requests received (by the day of receipt, which is
 * already the organisation's calendar day, kept whatever the time zone),
 * and requests closed as completed or refused (by the month of `closed_at`
 * in `report_time_zone`).
 */
export const reportMonths = sqliteTable("report_months", {
  month: text("month").primaryKey(),
  received: integer("received").notNull().default(0),
  completed: integer("completed").notNull().default(0),
  denied: integer("denied").notNull().default(0),
  /** Bumped with every closing counted in or out of the month, so a median worked out earlier is known to still hold. */
  closingChanges: integer("closing_changes").notNull().default(0),
});

export const REPORT_TIME_UNITS = ["d", "h", "m"] as const;
export type ReportTimeUnit = (typeof REPORT_TIME_UNITS)[number];

/**
 * How long the month's completed and refused requests took to close (from
 * `received_at` to `closed_at`), counted in whole days, whole hours and
 * whole minutes (`unit` d, h, m; `step` is the number of them, rounded
 * down), with the sum of the times in each: the median is found by walking
 * days, then the hours of that day, then the minutes of that hour.
 */
export const reportCloseTimes = sqliteTable(
  "report_close_times",
  {
    unit: text("unit").$type<ReportTimeUnit>().notNull(),
    month: text("month").notNull(),
    step: integer("step").notNull(),
    closings: integer("closings").notNull(),
    tookMs: integer("took_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.unit, t.month, t.step] })],
);

export const ACTOR_TYPES = ["supporter", "staff", "system"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Append-only history of a request: one row per thing that happened. */
export const requestEvents = sqliteTable(
  "request_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => requests.id),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    actorType: text("actor_type").$type<ActorType>().notNull(),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    fromStatus: text("from_status").$type<RequestStatus>(),
    toStatus: text("to_status").$type<RequestStatus>(),
    /** What was written: kept beside the chain, which covers it only through `contentHash`, so it can be removed. */
    note: text("note"),
    /** Random salt of `contentHash`; removed with the note (lib/audit/redaction.ts). */
    contentSalt: text("content_salt"),
    /** SHA-256 over the salt and the note: what the event commits to. Null only before the conversion of an old log. */
    contentHash: text("content_hash"),
    /** The request's status, due date and assignee as this event left them; null in events written before they were recorded. */
    statusAfter: text("status_after").$type<RequestStatus>(),
    dueOnAfter: text("due_on_after"),
    assigneeAfter: text("assignee_after"),
    /** Salted hash of what the request is (lib/audit/request-identity.ts), on the event that gave the request its identity salt; null on the rest. */
    identityHash: text("identity_hash"),
    /** Hash of the previous event in the whole log ("" for the first): the chain. */
    prevHash: text("prev_hash").notNull(),
    /** SHA-256 over this event's fields (not the note itself) and `prevHash`; any later edit breaks it. */
    hash: text("hash").notNull(),
  },
  (t) => [index("request_events_request_idx").on(t.requestId, t.id)],
);

/**
 * When a log written before notes could be removed was converted to the
 * current format (lib/audit/legacy-events.ts): every event was re-hashed
 * once, after its old chain was checked. The old head hash is kept, so
 * anyone who wrote it down can see what became of it.
 */
export const eventLogConversions = sqliteTable("event_log_conversions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  convertedAt: integer("converted_at", { mode: "timestamp_ms" }).notNull(),
  /** Events 1 to `events` were converted. */
  events: integer("events").notNull(),
  legacyHeadHash: text("legacy_head_hash").notNull(),
  headHash: text("head_hash").notNull(),
});

/**
 * Each signed anchor of the log's head, as also appended to ANCHOR_FILE and
 * emailed to the admins. This copy is for the dashboard; the verifier trusts
 * only the file and the emails, which a database edit cannot reach.
 */
export const eventLogAnchors = sqliteTable("event_log_anchors", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  kind: text("kind").$type<"anchor" | "restored">().notNull(),
  position: integer("position").notNull(),
  hash: text("hash").notNull(),
  signedAt: integer("signed_at", { mode: "timestamp_ms" }).notNull(),
  keyId: text("key_id").notNull(),
  signature: text("signature").notNull(),
  /** "daily", "on demand" (`npm run audit:anchor`) or "restore". */
  reason: text("reason").notNull(),
});

/**
 * One row per background job per calendar day (organisation's time zone):
 * the daily anchor, retention and backup claim their day here, so two
 * workers never both do the day's work.
 */
export const dailyRuns = sqliteTable(
  "daily_runs",
  {
    job: text("job").notNull(),
    day: text("day").notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    /** What it did, or why it failed, in a sentence. */
    outcome: text("outcome"),
  },
  (t) => [primaryKey({ columns: [t.job, t.day] })],
);

// ---------------------------------------------------------------------------
// Mail
// ---------------------------------------------------------------------------

export const MAIL_STATUSES = ["pending", "sent", "failed"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * Every email is written here in the same transaction as the change that
 * causes it, then delivered by the mail worker, so none is lost to a crash.
 */
export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Stable Message-ID, so a retried send can be recognised as the same message. */
    messageId: text("message_id").notNull().unique(),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    /** Bodies holding a sign-in link are blanked once delivered. */
    sensitive: integer("sensitive", { mode: "boolean" }).notNull().default(false),
    requestId: integer("request_id").references(() => requests.id),
    status: text("status").$type<MailStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
    /** Names the claim holding the lease, so a worker whose lease ran out cannot overwrite another's result. */
    claimToken: text("claim_token"),
    lastError: text("last_error"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    /**
     * Which template renders the message, and its props. The worker renders
     * it when sending; the parts as sent are then kept in the body columns,
     * which stay empty until then. Null for messages queued already rendered.
     */
    template: text("template"),
    props: text("props", { mode: "json" }),
    /**
     * False once the mail server has refused this very message for good (a
     * 5xx reply) on its last allowed try: it then waits for an admin.
     * Otherwise a failed message keeps being retried at the longest interval.
     */
    autoRetry: integer("auto_retry", { mode: "boolean" }).notNull().default(true),
    /** When admins were told this message failed; null until then. */
    alertedAt: integer("alerted_at", { mode: "timestamp_ms" }),
    /**
     * The mailing list this message is about, as named in `mailing_lists`;
     * null for a message about the person's requests or sign-in. Its
     * one-click unsubscribe link ends this list only (RFC 8058); a message
     * about no list ends every list (see lib/mail/unsubscribe-link.ts).
     */
    list: text("list"),
  },
  (t) => [
    index("mail_outbox_due_idx").on(t.status, t.nextAttemptAt),
    // A person's mail, for their access export and for reducing it after an erasure.
    index("mail_outbox_to_idx").on(t.toAddress),
  ],
);

/**
 * A new request's notice to the team, waiting to be addressed: filing writes
 * this one row in its transaction, whatever the size of the team, and the
 * worker's next beat turns it into one message in the outbox for each staff
 * member who works requests (the team as it is then), in one transaction.
 * The message is stored as drafted, so it reads as it would have at filing.
 */
export const teamNotices = sqliteTable("team_notices", {
  id: integer("id").primaryKey(),
  requestId: integer("request_id")
    .notNull()
    .references(() => requests.id),
  kind: text("kind").notNull(),
  subject: text("subject").notNull(),
  template: text("template").notNull(),
  props: text("props", { mode: "json" }).notNull(),
  /** The staff member who recorded the request by hand: they already know of it. */
  exceptEmail: text("except_email"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * The next moment any worker may hand a message to the mail server: one row
 * (id 1), moved forward inside each claim, so the send rate holds however
 * many workers run.
 */
export const mailThrottle = sqliteTable("mail_throttle", {
  id: integer("id").primaryKey(),
  nextSlotAt: integer("next_slot_at", { mode: "timestamp_ms" }).notNull(),
});

/** One row per day the staff digest went out, so no day gets two. */
export const staffDigests = sqliteTable("staff_digests", {
  /** The calendar day in the organisation's time zone. */
  day: text("day").primaryKey(),
  sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
  recipients: integer("recipients").notNull(),
  requests: integer("requests").notNull(),
});
// ---------------------------------------------------------------------------
// Limits and abuse resistance
//
// The per-address and per-IP counters live in a table named `rate_limits`
// that rate-limiter-flexible creates and tidies itself in this same file
// (see lib/limits/rate-limits.ts); it is not described here. Per-supporter
// limits need no table: they count `requests`, and a flag or a staff
// override is an event in `request_events`.
// ---------------------------------------------------------------------------

/**
 * Sign-in links that were followed, by the same hash `verification_tokens`
 * stored. Kept for a few days after the link would have expired, so a second
 * click is answered "this link was already used" rather than "not valid".
 */
export const usedSignInLinks = sqliteTable(
  "used_sign_in_links",
  {
    token: text("token").primaryKey(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }).notNull(),
    expires: integer("expires", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("used_sign_in_links_expires_idx").on(t.expires)],
);

/**
 * One-click unsubscribe links (lib/mail/unsubscribe-link.ts) that were used,
 * by a SHA-256 hash of the token: a mail program that posts the same link
 * again is answered as before and changes nothing. Kept until the link
 * expires, after which it is refused anyway.
 */
export const usedUnsubscribeLinks = sqliteTable(
  "used_unsubscribe_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }).notNull(),
    expires: integer("expires", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("used_unsubscribe_links_expires_idx").on(t.expires)],
);

export type User = typeof users.$inferSelect;
export type VerificationToken = typeof verificationTokens.$inferSelect;
export type Staff = typeof staff.$inferSelect;
export type RequestDraft = typeof requestDrafts.$inferSelect;
export type RequestRow = typeof requests.$inferSelect;
export type RequestEvent = typeof requestEvents.$inferSelect;
export type OutboxMail = typeof mailOutbox.$inferSelect;

// ---------------------------------------------------------------------------
// Supporter records: what the organisation holds about people, imported from
// its other systems. `externalId` is the source system's id for the record,
// so importing the same file twice changes nothing.
// ---------------------------------------------------------------------------

export const supporters = sqliteTable(
  "supporters",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    externalId: text("external_id").notNull().unique(),
    /** Normalised (trimmed, lower-case). */
    email: text("email").notNull(),
    name: text("name"),
    postalAddress: text("postal_address"),
    phone: text("phone"),
    /** Where the record came from, e.g. the import file's name. */
    source: text("source").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("supporters_email_idx").on(t.email)],
);

export const DONATION_METHODS = ["card", "direct_debit", "bank_transfer", "cheque", "cash", "paypal", "other"] as const;
export type DonationMethod = (typeof DONATION_METHODS)[number];

/** Donations; kept (anonymised) after erasure for the tax retention period. */
export const donations = sqliteTable(
  "donations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    externalId: text("external_id").notNull().unique(),
    /** Null once the donation has been anonymised. */
    supporterId: integer("supporter_id").references(() => supporters.id, { onDelete: "set null" }),
    /** In minor units (pence, cents). */
    amountMinor: integer("amount_minor").notNull(),
    currency: text("currency").notNull(),
    donatedOn: text("donated_on").notNull(),
    method: text("method").$type<DonationMethod>().notNull(),
    /** Only ever the last four digits of a card; never a full number. */
    cardLast4: text("card_last4"),
    anonymisedAt: integer("anonymised_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("donations_supporter_idx").on(t.supporterId)],
);

export const memberships = sqliteTable(
  "memberships",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    externalId: text("external_id").notNull().unique(),
    supporterId: integer("supporter_id")
      .notNull()
      .references(() => supporters.id, { onDelete: "cascade" }),
    plan: text("plan").notNull(),
    startedOn: text("started_on").notNull(),
    endsOn: text("ends_on"),
    status: text("status").notNull(),
  },
  (t) => [index("memberships_supporter_idx").on(t.supporterId)],
);

/** One row per mailing list a supporter is on (alerts, newsletter, ...). */
export const subscriptions = sqliteTable(
  "subscriptions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    externalId: text("external_id").notNull().unique(),
    supporterId: integer("supporter_id")
      .notNull()
      .references(() => supporters.id, { onDelete: "cascade" }),
    list: text("list").notNull(),
    subscribedAt: integer("subscribed_at", { mode: "timestamp_ms" }).notNull(),
    /** Set when the supporter left the list; the row stays so they are kept off it. */
    unsubscribedAt: integer("unsubscribed_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("subscriptions_supporter_list_idx").on(t.supporterId, t.list)],
);

export const petitionSignatures = sqliteTable(
  "petition_signatures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    externalId: text("external_id").notNull().unique(),
    supporterId: integer("supporter_id")
      .notNull()
      .references(() => supporters.id, { onDelete: "cascade" }),
    petition: text("petition").notNull(),
    signedAt: integer("signed_at", { mode: "timestamp_ms" }).notNull(),
    comment: text("comment"),
  },
  (t) => [index("petition_signatures_supporter_idx").on(t.supporterId)],
);

export const correspondence = sqliteTable(
  "correspondence",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    externalId: text("external_id").notNull().unique(),
    supporterId: integer("supporter_id")
      .notNull()
      .references(() => supporters.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    direction: text("direction").$type<"in" | "out">().notNull(),
    channel: text("channel").notNull(),
    subject: text("subject"),
    body: text("body").notNull(),
  },
  (t) => [index("correspondence_supporter_idx").on(t.supporterId)],
);

export const webVisits = sqliteTable(
  "web_visits",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    externalId: text("external_id").notNull().unique(),
    supporterId: integer("supporter_id")
      .notNull()
      .references(() => supporters.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    ipAddress: text("ip_address").notNull(),
    userAgent: text("user_agent"),
    page: text("page").notNull(),
    referrer: text("referrer"),
  },
  (t) => [index("web_visits_supporter_idx").on(t.supporterId)],
);

/**
 * A field of a supporter record that an accepted correction request changed,
 * and what the last import had brought for it. A later import of a file
 * that still holds that value keeps the correction; a different value in the
 * file is a deliberate change at the source, and replaces it.
 */
export const supporterCorrections = sqliteTable(
  "supporter_corrections",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    supporterId: integer("supporter_id")
      .notNull()
      .references(() => supporters.id, { onDelete: "cascade" }),
    /** name, email, postalAddress or phone. */
    field: text("field").notNull(),
    /** What the import had brought before the correction (null: nothing). */
    importedValue: text("imported_value"),
    correctedValue: text("corrected_value"),
    correctedAt: integer("corrected_at", { mode: "timestamp_ms" }).notNull(),
    /** The correction request's public reference, named in the import's report. */
    requestReference: text("request_reference").notNull(),
  },
  (t) => [uniqueIndex("supporter_corrections_supporter_field_idx").on(t.supporterId, t.field)],
);

export const IMPORT_JOB_STATUSES = ["queued", "running", "done", "refused", "failed", "interrupted"] as const;
export type ImportJobStatus = (typeof IMPORT_JOB_STATUSES)[number];

/**
 * Each import of supporter records: who started it and how it ended. Staff
 * see this; supporters never do (their records say only which file they came
 * from). An upload runs in a process of its own, which reads the file from
 * `content` and clears it in the transaction that writes the records.
 */
export const importJobs = sqliteTable(
  "import_jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    filename: text("filename").notNull(),
    /** The staff member who uploaded it, or who ran `npm run import` on the server. */
    importedBy: text("imported_by").notNull(),
    status: text("status").$type<ImportJobStatus>().notNull(),
    /** Bytes of the file as uploaded. */
    bytes: integer("bytes").notNull(),
    /** The file's text until the import ends; null after. */
    content: text("content"),
    /** The process carrying it out, so a job whose process died is known to be interrupted. */
    runnerPid: integer("runner_pid"),
    /** The report when it ends: counts and each line's problem or note. */
    report: text("report", { mode: "json" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("import_jobs_status_idx").on(t.status)],
);

/**
 * Addresses erased at their owner's request, kept only as a keyed hash so a
 * later import can recognise and skip them without storing the address.
 */
export const suppressions = sqliteTable("suppressions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  emailHash: text("email_hash").notNull().unique(),
  reason: text("reason").notNull(),
  addedAt: integer("added_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * The organisation's statement sent with every access export (purposes,
 * recipients, retention, sources, rights), set once by an admin. One row.
 */
export const orgStatement = sqliteTable("org_statement", {
  id: integer("id").primaryKey(),
  purposes: text("purposes").notNull(),
  recipients: text("recipients").notNull(),
  retention: text("retention").notNull(),
  sources: text("sources").notNull(),
  rights: text("rights").notNull(),
  /** How long donation records are kept for tax after an erasure, in years. */
  donationRetentionYears: integer("donation_retention_years").notNull().default(6),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  updatedBy: text("updated_by").notNull(),
});

/**
 * The organisation's own words in a language other than its default: its
 * name and the statement's sections, as an admin wrote them on
 * /staff/settings. Any left empty (null) is said as in the default language
 * (ORG_NAME, and the statement above).
 */
export const orgTexts = sqliteTable("org_texts", {
  language: text("language").$type<Language>().primaryKey(),
  orgName: text("org_name"),
  purposes: text("purposes"),
  recipients: text("recipients"),
  retention: text("retention"),
  sources: text("sources"),
  rights: text("rights"),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  updatedBy: text("updated_by").notNull(),
});

/**
 * How the organisation wants requests approved, set by an admin on
 * /staff/settings. One row; until it is saved, one approval is enough.
 */
export const approvalPolicy = sqliteTable("approval_policy", {
  id: integer("id").primaryKey(),
  /** An erasure is carried out only once two different staff members have approved it. */
  erasureNeedsTwoApprovals: integer("erasure_needs_two_approvals", { mode: "boolean" }).notNull().default(false),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  updatedBy: text("updated_by").notNull(),
});

/** The data gathered for an access request, downloadable by its owner for 30 days. */
export const accessExports = sqliteTable("access_exports", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  requestId: integer("request_id")
    .notNull()
    .unique()
    .references(() => requests.id),
  builtAt: integer("built_at", { mode: "timestamp_ms" }).notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  /** The export document as JSON; the readable page is rendered from it. */
  content: text("content", { mode: "json" }).notNull(),
});

/** Staff's decision on each field a correction request proposes to change. */
export const correctionDecisions = sqliteTable(
  "correction_decisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => requests.id),
    field: text("field").notNull(),
    currentValue: text("current_value"),
    proposedValue: text("proposed_value").notNull(),
    decision: text("decision").$type<"accepted" | "rejected">().notNull(),
    note: text("note"),
    decidedBy: text("decided_by").notNull(),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("correction_decisions_request_field_idx").on(t.requestId, t.field)],
);

export const SYSTEM_KINDS = ["webhook", "manual", "postgres", "mysql", "mailman"] as const;
export type SystemKind = (typeof SYSTEM_KINDS)[number];

/**
 * Other places supporter data lives: told by webhook, ticked by hand, or
 * reached directly (a PostgreSQL or MySQL/MariaDB database through its
 * dataset map, a Mailman 3 list server through its REST API).
 */
export const externalSystems = sqliteTable("external_systems", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  kind: text("kind").$type<SystemKind>().notNull(),
  /** For webhooks: where the signed request is POSTed. */
  url: text("url"),
  /**
   * For webhooks: the HMAC key, sealed with the key in the data folder
   * (`v1.…`, lib/systems/webhook-secrets.ts), never in the clear; shown once
   * when made. Secrets kept in the clear by older versions are sealed when
   * the database is migrated (db/migrate.ts).
   */
  secret: text("secret"),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  /** For a connected system: how to reach it, apart from its password (host, port, database, user; or the REST address and user). */
  connection: text("connection", { mode: "json" }),
  /** The password, sealed with the key in the data folder (lib/systems/connectors/credentials.ts); never shown again. */
  sealedPassword: text("sealed_password"),
  /** For a database: the dataset map as the admin wrote it (JSON or YAML), checked against the database when saved. */
  datasetMap: text("dataset_map"),
  /** When the map last passed the check against the live database. */
  mapCheckedAt: integer("map_checked_at", { mode: "timestamp_ms" }),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
});

/**
 * An admin's look at one address in a connected system (Test connection's
 * preview), on the record: who, when, which system, and the address only
 * as a keyed hash, so the record itself holds no one's address.
 */
export const systemPreviews = sqliteTable(
  "system_previews",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    systemId: integer("system_id")
      .notNull()
      .references(() => externalSystems.id),
    staffEmail: text("staff_email").notNull(),
    addressHash: text("address_hash").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    /** Rows found per table (or the failure's sentence); never the rows themselves. */
    outcome: text("outcome").notNull(),
  },
  (t) => [index("system_previews_system_idx").on(t.systemId, t.at)],
);

/** One task per outside system per request; the request cannot complete while any is open. */
export const requestTasks = sqliteTable(
  "request_tasks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => requests.id),
    systemId: integer("system_id")
      .notNull()
      .references(() => externalSystems.id),
    status: text("status").$type<"open" | "done">().notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    /** What the outside system answered last (status and a short body), or the staff member's note. */
    lastResponse: text("last_response"),
    /**
     * What a connected system's work brought back: the rows gathered for an
     * access export (until the export is built), or the counts of an
     * erasure, correction or unsubscribe, kept as the record.
     */
    result: text("result", { mode: "json" }),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    completedBy: text("completed_by"),
  },
  (t) => [uniqueIndex("request_tasks_request_system_idx").on(t.requestId, t.systemId), index("request_tasks_due_idx").on(t.status, t.nextAttemptAt)],
);

/**
 * What an erasure did in Rightsdesk's own tables, by category, written when
 * it was carried out: the records themselves are gone by the time the
 * request closes, and the signed receipt names what was deleted and kept.
 * Counts only; nothing about the person.
 */
export const erasureOutcomes = sqliteTable("erasure_outcomes", {
  requestId: integer("request_id")
    .primaryKey()
    .references(() => requests.id),
  erasedAt: integer("erased_at", { mode: "timestamp_ms" }).notNull(),
  deleted: text("deleted", { mode: "json" }).$type<Array<{ what: string; count: number }>>().notNull(),
  kept: text("kept", { mode: "json" }).$type<Array<{ what: string; count: number; why: string }>>().notNull(),
});

/**
 * The signed receipt each request got when it closed (lib/record/receipts.ts),
 * as sent: the supporter, or anyone they show it to, checks it against the
 * organisation's public key. It names no person, so retention keeps it.
 */
export const requestReceipts = sqliteTable("request_receipts", {
  requestId: integer("request_id")
    .primaryKey()
    .references(() => requests.id),
  issuedAt: integer("issued_at", { mode: "timestamp_ms" }).notNull(),
  /** The closing event's position in the log. */
  position: integer("position").notNull(),
  keyId: text("key_id").notNull(),
  /** The whole receipt, from its first line to its last. */
  text: text("text").notNull(),
});

// ---------------------------------------------------------------------------
// Choices: which of the organisation's mailing lists a person wants, and
// whether they objected to their data being sold or shared. Kept per
// address (the person), not per supporter record: one address may have
// several records, and a choice holds for all of them and for records
// imported later. See lib/consent/.
// ---------------------------------------------------------------------------

/**
 * The organisation's mailing lists: every list an import named, with the
 * words the preference centre shows for it (an admin sets them at
 * /staff/lists; until then the list's name is shown).
 */
export const mailingLists = sqliteTable("mailing_lists", {
  /** The name imports use (lower-case), e.g. "newsletter". */
  name: text("name").primaryKey(),
  title: text("title"),
  description: text("description"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  /** The admin who last set its words; null while only imports have named it. */
  updatedBy: text("updated_by"),
});

/**
 * What a choice is about: one mailing list; every list at once, including
 * lists added later ("none of these", or a request to stop all emails); or
 * the selling and sharing of the person's data (Global Privacy Control).
 */
export const CONSENT_TOPICS = ["mailing_list", "all_lists", "sale_sharing"] as const;
export type ConsentTopic = (typeof CONSENT_TOPICS)[number];

/**
 * How a choice reached the record: the preference page, a mail program's
 * one-click unsubscribe, the browser's Global Privacy Control signal, staff
 * recording it for the person, a request to stop all emails made with the
 * request form, or an import from the organisation's other systems.
 */
export const CONSENT_ROUTES = ["page", "one_click", "gpc", "staff", "request", "import"] as const;
export type ConsentRoute = (typeof CONSENT_ROUTES)[number];

export const CONSENT_STATES = ["granted", "withdrawn"] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

/** Each person's choice as it stands now: one row per address and topic (and list). */
export const consents = sqliteTable(
  "consents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Normalised address of the person. */
    email: text("email").notNull(),
    topic: text("topic").$type<ConsentTopic>().notNull(),
    /** The list's name for a mailing_list choice; "" for the other topics. */
    list: text("list").notNull().default(""),
    state: text("state").$type<ConsentState>().notNull(),
    /** When the choice took effect (for an import, when the source system says it did). */
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    route: text("route").$type<ConsentRoute>().notNull(),
  },
  (t) => [uniqueIndex("consents_email_topic_list_idx").on(t.email, t.topic, t.list)],
);

/**
 * Every change of a choice, append-only, written in the same transaction as
 * the change itself (and, for an opt-out filed as a request, its events):
 * when, how, and the words the person was shown when they made it.
 */
export const consentChanges = sqliteTable(
  "consent_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Normalised address; the erasure marker once the person's data was erased. */
    email: text("email").notNull(),
    topic: text("topic").$type<ConsentTopic>().notNull(),
    list: text("list").notNull().default(""),
    state: text("state").$type<ConsentState>().notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    route: text("route").$type<ConsentRoute>().notNull(),
    /** What the person saw or did, in the words shown (the page's question and the list's label, the email's header, the signal). */
    wording: text("wording").notNull(),
    /** Where it came from beyond the route: the import's file name, or the staff member who recorded it. */
    detail: text("detail"),
    /** The unsubscribe request an opt-out was filed as, if any. */
    requestId: integer("request_id").references(() => requests.id),
    recordedAt: integer("recorded_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("consent_changes_email_idx").on(t.email, t.id),
    // The reports count opt-outs per month and list.
    index("consent_changes_topic_state_at_idx").on(t.topic, t.state, t.at),
  ],
);

export type MailingList = typeof mailingLists.$inferSelect;
export type Consent = typeof consents.$inferSelect;
export type ConsentChange = typeof consentChanges.$inferSelect;
export type Supporter = typeof supporters.$inferSelect;
export type SupporterCorrection = typeof supporterCorrections.$inferSelect;
export type ImportJob = typeof importJobs.$inferSelect;
export type Donation = typeof donations.$inferSelect;

// ---------------------------------------------------------------------------
// Other programs and authorised agents (lib/api): API keys and their calls,
// event subscriptions and their deliveries, and Data Rights Protocol agents.
// ---------------------------------------------------------------------------

export const API_SCOPES = ["read_requests", "read_internal_notes", "file_requests", "read_events"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * Keys other programs call /api/v1 with. Only a SHA-256 hash of the key is
 * kept; the key itself is shown once, when an admin creates it.
 */
export const apiKeys = sqliteTable("api_keys", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  secretHash: text("secret_hash").notNull().unique(),
  /** The key's first characters, so an admin can tell keys apart without the key. */
  hint: text("hint").notNull(),
  scopes: text("scopes", { mode: "json" }).$type<ApiScope[]>().notNull(),
  /** Calls allowed per minute. */
  ratePerMinute: integer("rate_per_minute").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  createdBy: text("created_by").notNull(),
  lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  revokedBy: text("revoked_by"),
});

/** Every call made with a key: which key, what it asked for, and the answer's status. Staff only. */
export const apiCalls = sqliteTable(
  "api_calls",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    keyId: integer("key_id")
      .notNull()
      .references(() => apiKeys.id),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    method: text("method").notNull(),
    /** The route as documented, e.g. "/api/v1/requests/{reference}". */
    route: text("route").notNull(),
    status: integer("status").notNull(),
    /** The request the call read or filed, where there is one. */
    reference: text("reference"),
  },
  (t) => [index("api_calls_key_idx").on(t.keyId, t.id), index("api_calls_at_idx").on(t.at)],
);

/** Requests filed through an API key: the key, and the intake id the program follows the request by. */
export const apiFilings = sqliteTable(
  "api_filings",
  {
    intakeId: text("intake_id").primaryKey(),
    keyId: integer("key_id")
      .notNull()
      .references(() => apiKeys.id),
    type: text("type").$type<RequestType>().notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** When the draft lapses unless the supporter confirms it. */
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("api_filings_key_idx").on(t.keyId)],
);

export const DELIVERY_TARGETS = ["subscription", "agent_callback"] as const;
export type DeliveryTarget = (typeof DELIVERY_TARGETS)[number];

/**
 * An address an admin subscribed to kinds of events. Its signing secret is
 * not stored: it is derived from a key kept in a file beside the database
 * (lib/api/signing-key.ts) and this row's salt.
 */
export const apiSubscriptions = sqliteTable("api_subscriptions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  url: text("url").notNull(),
  kinds: text("kinds", { mode: "json" }).$type<string[]>().notNull(),
  secretSalt: text("secret_salt").notNull(),
  /** Events up to this one happened before the subscription: it gets only later ones. */
  startsAfterEventId: integer("starts_after_event_id").notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  createdBy: text("created_by").notNull(),
});

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The outbox of calls to other programs: event deliveries to subscriptions
 * and status callbacks to agents. Written in the transaction that decides
 * them, sent by the worker, retried with backoff; nothing personal in `body`.
 */
export const apiDeliveries = sqliteTable(
  "api_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The delivery's public id, the same on every try (a receiver acts once per id). */
    deliveryId: text("delivery_id").notNull().unique(),
    target: text("target").$type<DeliveryTarget>().notNull(),
    subscriptionId: integer("subscription_id").references(() => apiSubscriptions.id),
    drpRequestId: text("drp_request_id").references(() => drpRequests.id),
    /** The event delivered (request_events.id), for subscriptions. */
    eventId: integer("event_id"),
    /** Where to send it: a subscription's address, or an agent's status_callback. */
    url: text("url").notNull(),
    body: text("body").notNull(),
    status: text("status").$type<DeliveryStatus>().notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    lastAttemptAt: integer("last_attempt_at", { mode: "timestamp_ms" }),
    /** The status code and a fixed sentence, never the body the receiver answered. */
    lastResponse: text("last_response"),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    replayedAt: integer("replayed_at", { mode: "timestamp_ms" }),
    replayedBy: text("replayed_by"),
  },
  (t) => [
    index("api_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("api_deliveries_subscription_idx").on(t.subscriptionId, t.id),
    uniqueIndex("api_deliveries_subscription_event_idx").on(t.subscriptionId, t.eventId),
  ],
);

/** How far the feed has read the event log to make deliveries (one row, id 1). */
export const apiFeed = sqliteTable("api_feed", {
  id: integer("id").primaryKey(),
  lastEventId: integer("last_event_id").notNull(),
});

/** Deadline events already recorded, so each request is said to be due soon or overdue once per due date. */
export const deadlineNotices = sqliteTable(
  "deadline_notices",
  {
    requestId: integer("request_id")
      .notNull()
      .references(() => requests.id),
    kind: text("kind").$type<"due_soon" | "overdue">().notNull(),
    dueOn: text("due_on").notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.kind, t.dueOn] })],
);

/**
 * Authorised agents (Data Rights Protocol 1.0) an admin registered, with
 * the Ed25519 key their messages are signed with, and a hash of the bearer
 * token last issued to them (POST /v1/agent/{agent-id}).
 */
export const drpAgents = sqliteTable("drp_agents", {
  /** The agent's `agent-id` in the network's directory. */
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Base64 of the 32-byte Ed25519 public key. */
  verifyKey: text("verify_key").notNull(),
  /** Whether an `email_verified: true` claim is taken as proof of the address, so no confirmation email is sent. */
  trustsVerifiedEmail: integer("trusts_verified_email", { mode: "boolean" }).notNull().default(false),
  technicalContact: text("technical_contact"),
  /**
   * The agent's own site (its directory entry's `web_url`), https. The
   * verification page offers a person the way back to the agent only to an
   * address on this site; null offers none.
   */
  webUrl: text("web_url"),
  tokenHash: text("token_hash").unique(),
  tokenIssuedAt: integer("token_issued_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  createdBy: text("created_by").notNull(),
  disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
});

/**
 * Data rights requests agents sent. The id is DRP's `request_id` and the
 * request's intake id; the person's details are in the draft or request.
 */
export const drpRequests = sqliteTable(
  "drp_requests",
  {
    id: text("id").primaryKey(),
    agentId: text("agent_id")
      .notNull()
      .references(() => drpAgents.id),
    agentRequestId: text("agent_request_id"),
    exercise: text("exercise").notNull(),
    regime: text("regime"),
    statusCallback: text("status_callback"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** While waiting for the person to confirm their address: when that lapses. Null when filed at once. */
    verificationExpiresAt: integer("verification_expires_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    /** Refused as it arrived (a per-supporter limit), as DRP's denial reason, with the sentence. */
    refusedReason: text("refused_reason"),
    refusedDetails: text("refused_details"),
    /** The DRP reason staff chose when refusing it; "other" when none was chosen. */
    denialReason: text("denial_reason"),
    /** The status last sent to the agent's callback, so an unchanged status is not sent twice. */
    lastCallbackStatus: text("last_callback_status"),
  },
  (t) => [index("drp_requests_agent_idx").on(t.agentId, t.agentRequestId)],
);

/**
 * How this organisation appears in the Data Rights Protocol network: its
 * `business-id` there (which every signed message must name) and the
 * contacts of its business discovery document. One row, set by an admin.
 */
export const drpBusiness = sqliteTable("drp_business", {
  id: integer("id").primaryKey(),
  businessId: text("business_id").notNull(),
  technicalContact: text("technical_contact").notNull(),
  businessContact: text("business_contact").notNull(),
  logoUrl: text("logo_url"),
  privacyPolicyUrl: text("privacy_policy_url"),
  webUrl: text("web_url"),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  updatedBy: text("updated_by").notNull(),
});

/** Signed messages already accepted, by SHA-256, until they expire: one sent again is refused. */
export const drpSeenMessages = sqliteTable(
  "drp_seen_messages",
  {
    hash: text("hash").primaryKey(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("drp_seen_messages_expires_idx").on(t.expiresAt)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
export type ApiSubscription = typeof apiSubscriptions.$inferSelect;
export type ApiDelivery = typeof apiDeliveries.$inferSelect;
export type DrpAgent = typeof drpAgents.$inferSelect;
export type DrpRequest = typeof drpRequests.$inferSelect;
