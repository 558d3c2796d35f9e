/**
 * The request log is append-only and chained: each event stores the hash of
 * the one before it (across all requests) and a hash of its own fields.
 * Editing, deleting or slipping in an event anywhere breaks the chain at
 * that point, which `verifyEventChain` finds.
 *
 * What people wrote (an event's note) is not hashed into the chain itself:
 * the event commits to it by a salted hash, and the note and its salt are
 * kept beside the chain. Removing both (for an erasure, or when a request
 * passes its retention period; see ./redaction.ts) leaves the chain whole,
 * and the salt keeps anyone from confirming a guess at what was removed.
 * Each event also records the request's status, due date and assignee as
 * the event left them, so a request edited outside the log is caught
 * (./request-state.ts). The event that gives a request its identity salt
 * (its first, and each removal on the record) also records a salted hash of
 * what the request is (./request-identity.ts).
 */
import { desc, eq, sql } from "drizzle-orm";
import { preparedOnce } from "@/db/prepared";
import type { Executor } from "@/db/connection";
import { requestEvents, requests, type ActorType, type RequestEvent, type RequestStatus } from "@/db/schema";
import { wellFormedText } from "@/lib/vocabulary/well-formed-text";
import { identityHash, newIdentitySalt } from "./request-identity";
import { randomSalt } from "./salts";
import { sha256Hex } from "./sha256";

export type NewEvent = {
  requestId: number;
  at: Date;
  actorType: ActorType;
  actorEmail: string | null;
  action: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  note: string | null;
};

/** The fields the chain hash covers: everything but the note and its salt, which it covers through `contentHash`. */
export type ChainedFields = Omit<NewEvent, "note"> & {
  id: number;
  prevHash: string;
  statusAfter: RequestStatus | null;
  dueOnAfter: string | null;
  assigneeAfter: string | null;
  contentHash: string | null;
  /** Set only on the event that gave the request its identity salt; an event without it is hashed as before it existed. */
  identityHash: string | null;
};

/** Marks the hashing rule, so no event hashed the old way (see ./legacy-events.ts) can pass for one hashed this way. */
const CHAIN_FORMAT = "rightsdesk-event/2";
/** The same with what the request is (`identityHash`) covered too; an event without it keeps the rule above. */
const CHAIN_FORMAT_WITH_IDENTITY = "rightsdesk-event/3";

/** What an event commits to about its note: SHA-256 over a random salt and the note. */
export function contentHash(salt: string, note: string | null): string {
  return sha256Hex(JSON.stringify([salt, note]));
}

/** The hash of an event: its id, chained fields and predecessor, in a fixed order. */
export function eventHash(event: ChainedFields): string {
  const fields = [
    event.identityHash === null ? CHAIN_FORMAT : CHAIN_FORMAT_WITH_IDENTITY,
    event.id,
    event.prevHash,
    event.requestId,
    event.at.getTime(),
    event.actorType,
    event.actorEmail,
    event.action,
    event.fromStatus,
    event.toStatus,
    event.statusAfter,
    event.dueOnAfter,
    event.assigneeAfter,
    event.contentHash,
  ];
  if (event.identityHash !== null) fields.push(event.identityHash);
  return sha256Hex(JSON.stringify(fields));
}

/** A fresh salt for one event's note. */
export function newSalt(): string {
  return randomSalt();
}

/**
 * Appends one event at the end of the chain. Call it inside the transaction
 * that makes the change it records, after the change is written, so the two
 * commit together and the event records the request as the change left it.
 */
export function appendEvent(tx: Executor, event: NewEvent): RequestEvent {
  const last = preparedOnce(tx, "event-log: the last event", (ex) =>
    ex.select({ id: requestEvents.id, hash: requestEvents.hash }).from(requestEvents).orderBy(desc(requestEvents.id)).limit(1).prepare(),
  ).get();
  const state = preparedOnce(tx, "event-log: a request's state", (ex) =>
    ex
      .select({
        status: requests.status,
        dueOn: requests.dueOn,
        assignee: requests.assigneeEmail,
        ...IDENTITY_AS_STORED,
        hasEvents: sql<number>`exists (select 1 from ${requestEvents} where ${requestEvents.requestId} = ${requests.id})`,
      })
      .from(requests)
      .where(eq(requests.id, sql.placeholder("requestId")))
      .prepare(),
  ).get({ requestId: event.requestId });
  if (!state) throw new Error(`Cannot record an event of request ${event.requestId}: there is no such request.`);
  // What the request is, recorded under its identity salt by its first event (filing gave it the salt), and by the
  // event that gives it a new one: a removal's (./redaction.ts takes the old salt away) or, for a request filed
  // before events recorded this, its first event since.
  let identity: string | null = state.identitySalt !== null && !state.hasEvents ? identityHash(state.identitySalt, state) : null;
  if (state.identitySalt === null) {
    const identitySalt = newIdentitySalt();
    identity = identityHash(identitySalt, state);
    preparedOnce(tx, "event-log: a request's identity salt", (ex) =>
      ex
        .update(requests)
        .set({ identitySalt: sql`${sql.placeholder("salt")}` })
        .where(eq(requests.id, sql.placeholder("requestId")))
        .prepare(),
    ).run({ salt: identitySalt, requestId: event.requestId });
  }
  const salt = newSalt();
  // The note is committed to as it will read back from the database: a lone surrogate (from JSON) is stored as
  // U+FFFD, and a hash of the text before storing would no longer match it, so the log would look tampered with.
  const note = event.note === null ? null : wellFormedText(event.note);
  const row = {
    ...event,
    note,
    id: (last?.id ?? 0) + 1,
    prevHash: last?.hash ?? "",
    statusAfter: state.status,
    dueOnAfter: state.dueOn,
    assigneeAfter: state.assignee,
    contentSalt: salt,
    contentHash: contentHash(salt, note),
    identityHash: identity,
  };
  const inserted = preparedOnce(tx, "event-log: append", (ex) =>
    ex
      .insert(requestEvents)
      .values(EVENT_PLACEHOLDERS)
      .returning()
      .prepare(),
  ).get({ ...row, hash: eventHash(row) });
  return inserted!;
}

/**
 * What the request is, read as stored (the details' JSON text, the time in
 * milliseconds), so the hash is of what a later check reads back.
 */
const IDENTITY_AS_STORED = {
  identitySalt: requests.identitySalt,
  reference: requests.reference,
  type: requests.type,
  subjectEmail: requests.subjectEmail,
  subjectName: requests.subjectName,
  details: sql<string>`${requests.details}`,
  language: requests.language,
  channel: requests.channel,
  identityCheck: requests.identityCheck,
  regime: requests.regime,
  receivedAt: sql<number>`${requests.receivedAt}`,
  receivedOn: requests.receivedOn,
  intakeId: requests.intakeId,
};

/** Every column an appended event sets, each its own placeholder. */
const EVENT_PLACEHOLDERS = {
  id: sql.placeholder("id"),
  requestId: sql.placeholder("requestId"),
  at: sql.placeholder("at"),
  actorType: sql.placeholder("actorType"),
  actorEmail: sql.placeholder("actorEmail"),
  action: sql.placeholder("action"),
  fromStatus: sql.placeholder("fromStatus"),
  toStatus: sql.placeholder("toStatus"),
  note: sql.placeholder("note"),
  prevHash: sql.placeholder("prevHash"),
  statusAfter: sql.placeholder("statusAfter"),
  dueOnAfter: sql.placeholder("dueOnAfter"),
  assigneeAfter: sql.placeholder("assigneeAfter"),
  identityHash: sql.placeholder("identityHash"),
  contentSalt: sql.placeholder("contentSalt"),
  contentHash: sql.placeholder("contentHash"),
  hash: sql.placeholder("hash"),
};

/** The last event's position and hash: what an anchor signs. */
export function chainHead(db: Executor): { position: number; hash: string } {
  const last = db.select({ id: requestEvents.id, hash: requestEvents.hash }).from(requestEvents).orderBy(desc(requestEvents.id)).limit(1).get();
  return { position: last?.id ?? 0, hash: last?.hash ?? "" };
}
