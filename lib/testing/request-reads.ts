/**
 * Test helper: reading back what a workflow step wrote, the same way in every
 * test. Only tests import this.
 */
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { mailOutbox, requestEvents, requests } from "@/db/schema";

export function requestRow(db: Db, reference: string) {
  const row = db.select().from(requests).where(eq(requests.reference, reference)).get();
  if (!row) throw new Error(`No request ${reference}`);
  return row;
}

/** One request's events, oldest first. */
export function requestEventsOf(db: Db, reference: string) {
  return db.select().from(requestEvents).where(eq(requestEvents.requestId, requestRow(db, reference).id)).orderBy(asc(requestEvents.id)).all();
}

/** The mails queued about one request, oldest first. */
export function requestMailsOf(db: Db, reference: string) {
  return db.select().from(mailOutbox).where(eq(mailOutbox.requestId, requestRow(db, reference).id)).orderBy(asc(mailOutbox.id)).all();
}

/** The whole event log, oldest first. */
export function eventLog(db: Db) {
  return db.select().from(requestEvents).orderBy(asc(requestEvents.id)).all();
}

/** Everything a step could write: compare one taken before with one after to show a refused step wrote nothing. */
export function tablesSnapshot(db: Db) {
  return {
    requests: db.select().from(requests).orderBy(asc(requests.id)).all(),
    events: eventLog(db),
    mails: db.select().from(mailOutbox).orderBy(asc(mailOutbox.id)).all(),
  };
}
