/**
 * Supporter records: 100,000 supporters with their donations, memberships,
 * subscriptions, petition signatures, correspondence and web visits, and one
 * supporter with 2,000 records across those kinds, for the figures that
 * build an export or erase a supporter.
 */
import type Database from "better-sqlite3";
import { DONATION_METHODS } from "@/db/schema";
import { inRawTransaction } from "@/db/transaction";
import { BatchInsert } from "./batch-insert";
import { person } from "./people";
import { seededRandom, type Random } from "./random";

const DAY = 86_400_000;
const BATCH = 20_000;
const LISTS = ["newsletter", "urgent-action", "campaign-news", "events", "fundraising", "volunteers"] as const;
const PETITIONS = ["clean-rivers", "free-press", "fair-wages", "open-libraries", "safe-streets"] as const;

/** How many records of each kind the big supporter gets: 2,000 in all. */
const BIG_SUPPORTER_RECORDS = { donations: 700, memberships: 20, subscriptions: 30, petitionSignatures: 600, correspondence: 250, webVisits: 400 } as const;
const BIG_SUPPORTER_EXTERNAL_ID = "bench-big-supporter";

export type Inserts = Record<"supporter" | "donation" | "membership" | "subscription" | "signature" | "letter" | "visit", BatchInsert>;

export function prepareInserts(sqlite: Database.Database): Inserts {
  const into = (head: string, columns: number) => new BatchInsert(sqlite, head, columns);
  return {
    supporter: into("insert into supporters (id, external_id, email, name, postal_address, phone, source, created_at, updated_at)", 9),
    donation: into("insert into donations (external_id, supporter_id, amount_minor, currency, donated_on, method, card_last4)", 7),
    membership: into("insert into memberships (external_id, supporter_id, plan, started_on, ends_on, status)", 6),
    subscription: into("insert into subscriptions (external_id, supporter_id, list, subscribed_at, unsubscribed_at)", 5),
    signature: into("insert into petition_signatures (external_id, supporter_id, petition, signed_at, comment)", 5),
    letter: into("insert into correspondence (external_id, supporter_id, at, direction, channel, subject, body)", 7),
    visit: into("insert into web_visits (external_id, supporter_id, at, ip_address, user_agent, page, referrer)", 7),
  };
}

export type Counts = { donations: number; memberships: number; subscriptions: number; petitionSignatures: number; correspondence: number; webVisits: number };

/** Writes one supporter's records; external ids carry the supporter id and a number, so they never repeat. */
export function writeRecords(ins: Inserts, random: Random, id: number, counts: Counts, span: { start: number; now: number }): number {
  const when = () => Math.floor(random.between(span.start, span.now));
  const day = () => new Date(when()).toISOString().slice(0, 10);
  for (let i = 0; i < counts.donations; i++) {
    const method = random.pick(DONATION_METHODS);
    ins.donation.add(`D-${id}-${i}`, id, random.int(300, 25_000), "GBP", day(), method, method === "card" ? String(random.int(1000, 9999)) : null);
  }
  for (let i = 0; i < counts.memberships; i++) ins.membership.add(`M-${id}-${i}`, id, random.pick(["monthly", "annual", "life"]), day(), null, "active");
  for (let i = 0; i < counts.subscriptions; i++) {
    const list = i < LISTS.length ? LISTS[i]! : `local-group-${i}`;
    ins.subscription.add(`L-${id}-${i}`, id, list, when(), random.chance(0.2) ? span.now - DAY : null);
  }
  for (let i = 0; i < counts.petitionSignatures; i++) ins.signature.add(`P-${id}-${i}`, id, random.pick(PETITIONS), when(), random.chance(0.2) ? "This matters to my family." : null);
  for (let i = 0; i < counts.correspondence; i++) {
    ins.letter.add(`C-${id}-${i}`, id, when(), random.chance(0.5) ? "in" : "out", "email", "About my membership", "Thank you for your letter about the local group.");
  }
  for (let i = 0; i < counts.webVisits; i++) {
    ins.visit.add(`W-${id}-${i}`, id, when(), `192.0.2.${random.int(1, 254)}`, "Mozilla/5.0 (bench)", random.pick(["/donate", "/campaigns", "/news", "/join"]), random.chance(0.5) ? "https://search.example.com/" : null);
  }
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function ordinaryCounts(random: Random): Counts {
  return {
    donations: random.int(0, 5),
    memberships: random.chance(0.3) ? 1 : 0,
    subscriptions: random.int(1, 3),
    petitionSignatures: random.int(0, 4),
    correspondence: random.chance(0.2) ? 1 : 0,
    webVisits: random.int(0, 3),
  };
}

export type SeededSupporters = { supporters: number; records: number; bigSupporterId: number };

/** Supporters 1 to `count` are people 1 to `count` (see people.ts), so some requests are theirs; the big one comes last. */
export function seedSupporters(sqlite: Database.Database, input: { count: number; now: number }): SeededSupporters {
  const random = seededRandom(11);
  const ins = prepareInserts(sqlite);
  const span = { start: input.now - 5 * 365 * DAY, now: input.now };
  let records = 0;
  const addSupporter = (id: number, externalId: string, counts: Counts) => {
    const who = person(id);
    const createdAt = Math.floor(random.between(span.start, span.now));
    ins.supporter.add(id, externalId, who.email, who.name, random.chance(0.6) ? `${id} High Street, Bristol` : null, random.chance(0.4) ? `07700 ${String(id % 1_000_000).padStart(6, "0")}` : null, "bench", createdAt, createdAt);
    records += writeRecords(ins, random, id, counts, span);
  };
  const flushAll = () => Object.values(ins).forEach((insert) => insert.flush());
  for (let first = 1; first <= input.count; first += BATCH) {
    inRawTransaction(sqlite, () => {
      for (let id = first; id <= Math.min(input.count, first + BATCH - 1); id++) addSupporter(id, `S-${id}`, ordinaryCounts(random));
      flushAll();
    });
  }
  const bigSupporterId = input.count + 1;
  inRawTransaction(sqlite, () => {
    addSupporter(bigSupporterId, BIG_SUPPORTER_EXTERNAL_ID, { ...BIG_SUPPORTER_RECORDS });
    flushAll();
  });
  return { supporters: input.count + 1, records, bigSupporterId };
}
