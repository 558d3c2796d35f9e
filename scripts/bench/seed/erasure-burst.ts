/**
 * A burst of erasure requests, as after a breach notice: `count` supporters
 * of their own (after every supporter the bench seeded), each with 20
 * records across every kind, and for each an erasure request in review,
 * received yesterday, ready for approval. Written straight into the
 * database, as the rest of the bench's seed is.
 */
import type Database from "better-sqlite3";
import { inRawTransaction } from "@/db/transaction";
import { prepareInserts, writeRecords, type Counts } from "./seed-supporters";
import { seededRandom } from "./random";

const DAY = 86_400_000;
/** 20 records each: 1 supporter row and 19 hanging off it. */
const EACH: Counts = { donations: 4, memberships: 1, subscriptions: 3, petitionSignatures: 4, correspondence: 3, webVisits: 4 };
export const BURST_EMAIL_PREFIX = "bulkbench-";
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function reference(n: number): string {
  let chars = "";
  for (let i = 0, v = n; i < 7; i++, v = Math.floor(v / 32)) chars = ALPHABET[v % 32] + chars;
  return `RD-B${chars.slice(0, 3)}-${chars.slice(3)}`;
}

export function seedErasureBurst(sqlite: Database.Database, input: { count: number; now: number }): { records: number } {
  const random = seededRandom(29);
  const ins = prepareInserts(sqlite);
  // Past every supporter id ever used, not only those still there: the erasure figure before this one erases the
  // big supporter and keeps their donations (anonymised) under external ids made from that id.
  const highest = sqlite
    .prepare("select max(coalesce((select seq from sqlite_sequence where name = 'supporters'), 0), coalesce((select max(id) from supporters), 0)) as id")
    .get() as { id: number };
  const first = highest.id + 1;
  const span = { start: input.now - 5 * 365 * DAY, now: input.now };
  const receivedAt = input.now - DAY;
  const receivedOn = new Date(receivedAt).toISOString().slice(0, 10);
  const dueOn = new Date(receivedAt + 30 * DAY).toISOString().slice(0, 10);
  const request = sqlite.prepare(
    `insert into requests (reference, type, status, subject_email, details, regime, received_at, received_on, due_on, updated_at)
     values (?, 'erasure', 'in_review', ?, '{"type":"erasure","confirmed":true}', 'gdpr', ?, ?, ?, ?)`,
  );
  let records = 0;
  inRawTransaction(sqlite, () => {
    const email = (i: number) => `${BURST_EMAIL_PREFIX}${String(i).padStart(6, "0")}@example.org`;
    // Every supporter row first: the records' batches fill at their own pace, and each needs its supporter in place.
    for (let i = 0; i < input.count; i++) {
      ins.supporter.add(first + i, `B-${first + i}`, email(i), `Burst Supporter ${i}`, `${i} Station Road, Leeds`, null, "bench", receivedAt, receivedAt);
    }
    ins.supporter.flush();
    for (let i = 0; i < input.count; i++) {
      records += 1 + writeRecords(ins, random, first + i, EACH, span);
      request.run(reference(i), email(i), receivedAt + i, receivedOn, dueOn, receivedAt);
    }
    Object.values(ins).forEach((insert) => insert.flush());
  });
  return { records };
}
