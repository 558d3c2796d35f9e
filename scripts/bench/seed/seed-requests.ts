/**
 * A million requests over five years, in every status, each with its
 * events. The events form one chain, hashed exactly as appendEvent does
 * (lib/audit/event-log.ts), so `npm run audit:verify` accepts the result.
 */
import type Database from "better-sqlite3";
import { inRawTransaction } from "@/db/transaction";
import { randomBytes } from "node:crypto";
import { contentHash, eventHash } from "@/lib/audit/event-log";
import { identityHash } from "@/lib/audit/request-identity";
import { REFERENCE_ALPHABET } from "@/lib/vocabulary/reference";
import { BatchInsert } from "./batch-insert";
import { EventQueue, type QueuedEvent } from "./event-queue";
import { person } from "./people";
import { seededRandom } from "./random";
import { detailsFor, requestHistory } from "./request-history";

const YEAR = 365.25 * 86_400_000;
const BATCH = 50_000;

/** The staff who work the seeded requests; the first is the one the bench signs in as. */
export const SEED_TEAM = ["lead@bench.example.org", ...Array.from({ length: 7 }, (_, i) => `reviewer${i + 1}@bench.example.org`)];

/**
 * Request number n's reference: n multiplied by an odd number modulo 2^40 is
 * a one-to-one shuffle, so references look random and never repeat.
 */
function seedReference(n: number): string {
  let value = BigInt(n) * 0x9e3779b97n % (1n << 40n);
  let chars = "";
  for (let i = 0; i < 8; i++) {
    chars = REFERENCE_ALPHABET[Number(value & 31n)] + chars;
    value >>= 5n;
  }
  return `RD-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

const INSERT_REQUEST = `insert into requests (id, reference, type, status, subject_email, subject_name, details, channel, regime,
  received_at, received_on, due_on, extended_at, extension_reason, clock_stopped_on, days_clock_stopped, assignee_email,
  closed_at, version, updated_at, identity_salt)`;
const REQUEST_COLUMNS = 21;
const INSERT_EVENT = `insert into request_events (id, request_id, at, actor_type, actor_email, action, from_status, to_status, note,
  content_salt, content_hash, status_after, due_on_after, assignee_after, identity_hash, prev_hash, hash)`;
const EVENT_COLUMNS = 17;

export type SeededRequests = { requests: number; events: number };

/**
 * Requests from `supporters` people who are also supporter records (person 1
 * to `supporters`) and from others beyond them, arriving evenly over five
 * years up to `now`.
 */
/**
 * Fresh random salts as the log's own (16 random bytes in hex), drawn from
 * a few kilobytes of randomness at a time: asking for 16 bytes four million
 * times took a tenth of the seeding.
 */
function saltPool(): () => string {
  const SALTS = 4096;
  let pool = randomBytes(16 * SALTS);
  let next = 0;
  return () => {
    if (next === SALTS) {
      pool = randomBytes(16 * SALTS);
      next = 0;
    }
    const salt = pool.toString("hex", next * 16, next * 16 + 16);
    next += 1;
    return salt;
  };
}

export function seedRequests(sqlite: Database.Database, input: { count: number; now: number; supporters: number }): SeededRequests {
  const random = seededRandom(7);
  const insertRequest = new BatchInsert(sqlite, INSERT_REQUEST, REQUEST_COLUMNS);
  const insertEvent = new BatchInsert(sqlite, INSERT_EVENT, EVENT_COLUMNS);
  const queue = new EventQueue();
  const nextSalt = saltPool();
  const start = input.now - 5 * YEAR;
  let eventId = 0;
  let prevHash = "";

  const writeEvent = (event: QueuedEvent) => {
    eventId += 1;
    const at = new Date(event.at);
    const salt = nextSalt();
    const committed = contentHash(salt, event.note);
    const statusAfter = event.after?.status ?? null;
    const dueOnAfter = event.after?.dueOn ?? null;
    const assigneeAfter = event.after?.assignee ?? null;
    const hash = eventHash({
      id: eventId,
      prevHash,
      requestId: event.requestId,
      at,
      actorType: event.actorType,
      actorEmail: event.actorEmail,
      action: event.action,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      statusAfter,
      dueOnAfter,
      assigneeAfter,
      contentHash: committed,
      identityHash: event.identityHash,
    });
    insertEvent.add(
      eventId, event.requestId, event.at, event.actorType, event.actorEmail, event.action, event.fromStatus, event.toStatus, event.note,
      salt, committed, statusAfter, dueOnAfter, assigneeAfter, event.identityHash, prevHash, hash,
    );
    prevHash = hash;
  };

  const insertOne = (id: number) => {
    const receivedAt = Math.floor(start + ((id - 1 + random.next()) / input.count) * (input.now - start));
    // A third of requests come from people the organisation holds records about.
    const who = person(random.chance(0.33) ? random.int(1, input.supporters) : input.supporters + random.int(1, 6 * input.supporters));
    const r = requestHistory(random, { receivedAt, now: input.now, supporter: who.email, staffEmail: random.pick(SEED_TEAM) });
    const reference = seedReference(id);
    const name = random.chance(0.7) ? who.name : null;
    const details = JSON.stringify(detailsFor(r.type, random));
    // What the request is, committed to by its first event as appendEvent does.
    const identitySalt = nextSalt();
    const identity = identityHash(identitySalt, {
      reference, type: r.type, subjectEmail: who.email, subjectName: name, details, language: "en", channel: "web", identityCheck: null,
      regime: "gdpr", receivedAt: r.receivedAt, receivedOn: r.receivedOn, intakeId: null,
    });
    insertRequest.add(
      id, reference, r.type, r.status, who.email, name, details, "web", "gdpr",
      r.receivedAt, r.receivedOn, r.dueOn, r.extendedAt, r.extensionReason, r.clockStoppedOn, r.daysClockStopped, r.assigneeEmail,
      r.closedAt, r.version, r.updatedAt, identitySalt,
    );
    r.events.forEach((event, i) => queue.push(event, id, i === 0 ? identity : null));
    for (const event of queue.takeUntil(receivedAt)) writeEvent(event);
  };

  for (let first = 1; first <= input.count; first += BATCH) {
    const last = Math.min(input.count, first + BATCH - 1);
    inRawTransaction(sqlite, () => {
      for (let id = first; id <= last; id++) insertOne(id);
      insertRequest.flush();
      insertEvent.flush();
    });
  }
  inRawTransaction(sqlite, () => {
    for (const event of queue.takeUntil(Number.POSITIVE_INFINITY)) writeEvent(event);
    insertEvent.flush();
  });
  return { requests: input.count, events: eventId };
}
