/**
 * Writing checked records: in one transaction, so a file goes in whole or not
 * at all; each record is matched to what is already stored by its external
 * id, so the same file imported twice changes nothing the second time.
 */
import { and, eq, ne } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { correspondence, donations, memberships, petitionSignatures, subscriptions, supporters, webVisits } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { isSuppressed } from "../suppression";
import type { ImportRecord, RowProblem, SupporterRecord } from "./parse-rows";

export type ImportOutcome = "created" | "updated" | "unchanged" | "skipped";
export type OutcomeCounts = Record<ImportOutcome, number>;

export type ImportReport =
  | { ok: true; rows: number; counts: OutcomeCounts; skipped: RowProblem[] }
  | { ok: false; problems: RowProblem[] };

export type ImportProgress = { done: number; total: number };

export type ImportOptions = {
  /** Recorded on new supporters as where they came from, e.g. the file's name. */
  source: string;
  /** The installation's secret, which keys the suppression list. */
  secret: string;
  now: Date;
  /** Called every PROGRESS_EVERY records and after the last. */
  onProgress?: (progress: ImportProgress) => void;
};

const PROGRESS_EVERY = 1000;

export const SUPPRESSED_REASON = "skipped: this address asked to be erased, so it is not imported";
/** Why a record whose supporter_external_id names nobody is refused. */
export function unknownSupporterReason(supporterExternalId: string): string {
  return `supporter_external_id "${supporterExternalId}" matches no supporter in this file or already imported`;
}
const SUPPRESSED_OWNER_REASON = "skipped: its supporter's address asked to be erased, so it is not imported";

class Rollback extends Error {}

function emptyCounts(): OutcomeCounts {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0 };
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** Which of `wanted`'s values differ from `stored`; empty when nothing would change. */
function changedFields<T extends Record<string, unknown>>(stored: Record<string, unknown>, wanted: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(wanted) as (keyof T)[]) {
    if (!same(stored[key as string], wanted[key])) changes[key] = wanted[key];
  }
  return changes;
}

type Entry = { line: number; record: ImportRecord };

export function importRecords(db: Db, entries: readonly Entry[], options: ImportOptions): ImportReport {
  // Supporters first, so the other rows can refer to supporters anywhere in the file.
  const ordered = [...entries].sort((a, b) => Number(b.record.kind === "supporter") - Number(a.record.kind === "supporter") || a.line - b.line);
  const counts = emptyCounts();
  const skipped: RowProblem[] = [];
  const problems: RowProblem[] = [];

  try {
    inTransaction(
      db,
      (tx) => {
        const supporterIds = new Map<string, number>();
        const suppressedSupporters = new Set<string>();

        const supporterIdOf = (externalId: string): number | "suppressed" | null => {
          if (suppressedSupporters.has(externalId)) return "suppressed";
          const known = supporterIds.get(externalId);
          if (known !== undefined) return known;
          const row = tx.select({ id: supporters.id }).from(supporters).where(eq(supporters.externalId, externalId)).get();
          if (row) supporterIds.set(externalId, row.id);
          return row?.id ?? null;
        };

        ordered.forEach(({ line, record }, i) => {
          let outcome: ImportOutcome | RowProblem;
          if (record.kind === "supporter") {
            outcome = upsertSupporter(tx, record, options, supporterIds, suppressedSupporters);
            if (outcome === "skipped") skipped.push({ line, reason: SUPPRESSED_REASON });
          } else {
            const owner = supporterIdOf(record.supporterExternalId);
            if (owner === "suppressed") {
              outcome = "skipped";
              skipped.push({ line, reason: SUPPRESSED_OWNER_REASON });
            } else if (owner === null) {
              outcome = { line, reason: unknownSupporterReason(record.supporterExternalId) };
            } else {
              outcome = upsertOwned(tx, record, owner, line);
              if (outcome === "skipped") skipped.push({ line, reason: "skipped: this donation was anonymised after an erasure and is kept as it is" });
            }
          }
          if (typeof outcome === "object") problems.push(outcome);
          else counts[outcome]++;
          if (options.onProgress && ((i + 1) % PROGRESS_EVERY === 0 || i + 1 === ordered.length)) {
            options.onProgress({ done: i + 1, total: ordered.length });
          }
        });
        if (problems.length > 0) throw new Rollback();
      },
    );
  } catch (error) {
    if (error instanceof Rollback) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
    throw error;
  }
  skipped.sort((a, b) => a.line - b.line);
  return { ok: true, rows: entries.length, counts, skipped };
}

function upsertSupporter(
  tx: Tx,
  record: SupporterRecord,
  options: ImportOptions,
  ids: Map<string, number>,
  suppressed: Set<string>,
): ImportOutcome {
  if (isSuppressed(tx, record.email, options.secret)) {
    suppressed.add(record.externalId);
    return "skipped";
  }
  const wanted = { email: record.email, name: record.name, postalAddress: record.postalAddress, phone: record.phone };
  const stored = tx.select().from(supporters).where(eq(supporters.externalId, record.externalId)).get();
  if (!stored) {
    const created = tx
      .insert(supporters)
      .values({ ...wanted, externalId: record.externalId, source: options.source, createdAt: options.now, updatedAt: options.now })
      .returning({ id: supporters.id })
      .get();
    ids.set(record.externalId, created.id);
    return "created";
  }
  ids.set(record.externalId, stored.id);
  const changes = changedFields(stored, wanted);
  if (Object.keys(changes).length === 0) return "unchanged";
  tx.update(supporters).set({ ...changes, updatedAt: options.now }).where(eq(supporters.id, stored.id)).run();
  return "updated";
}

/** Inserts or updates one record that belongs to a supporter; a problem when it clashes with another. */
function upsertOwned(tx: Tx, record: Exclude<ImportRecord, SupporterRecord>, supporterId: number, line: number): ImportOutcome | RowProblem {
  const { externalId } = record;
  switch (record.kind) {
    case "donation": {
      const stored = tx.select().from(donations).where(eq(donations.externalId, externalId)).get();
      if (stored?.anonymisedAt) return "skipped";
      const wanted = {
        supporterId,
        amountMinor: record.amountMinor,
        currency: record.currency,
        donatedOn: record.donatedOn,
        method: record.method,
        cardLast4: record.cardLast4,
      };
      if (!stored) {
        tx.insert(donations).values({ externalId, ...wanted }).run();
        return "created";
      }
      const changes = changedFields(stored, wanted);
      if (Object.keys(changes).length === 0) return "unchanged";
      tx.update(donations).set(changes).where(eq(donations.id, stored.id)).run();
      return "updated";
    }
    case "membership": {
      const wanted = { supporterId, plan: record.plan, startedOn: record.startedOn, endsOn: record.endsOn, status: record.status };
      const stored = tx.select().from(memberships).where(eq(memberships.externalId, externalId)).get();
      if (!stored) {
        tx.insert(memberships).values({ externalId, ...wanted }).run();
        return "created";
      }
      const changes = changedFields(stored, wanted);
      if (Object.keys(changes).length === 0) return "unchanged";
      tx.update(memberships).set(changes).where(eq(memberships.id, stored.id)).run();
      return "updated";
    }
    case "subscription": {
      const stored = tx.select().from(subscriptions).where(eq(subscriptions.externalId, externalId)).get();
      const clash = tx
        .select({ externalId: subscriptions.externalId })
        .from(subscriptions)
        .where(and(eq(subscriptions.supporterId, supporterId), eq(subscriptions.list, record.list), ne(subscriptions.externalId, externalId)))
        .get();
      if (clash) {
        return { line, reason: `this supporter is already on the list "${record.list}" under external_id "${clash.externalId}"` };
      }
      // Someone who left a list stays off it: an import never quietly signs them up again.
      const unsubscribedAt = stored?.unsubscribedAt && record.unsubscribedAt === null ? stored.unsubscribedAt : record.unsubscribedAt;
      const wanted = { supporterId, list: record.list, subscribedAt: record.subscribedAt, unsubscribedAt };
      if (!stored) {
        tx.insert(subscriptions).values({ externalId, ...wanted }).run();
        return "created";
      }
      const changes = changedFields(stored, wanted);
      if (Object.keys(changes).length === 0) return "unchanged";
      tx.update(subscriptions).set(changes).where(eq(subscriptions.id, stored.id)).run();
      return "updated";
    }
    case "petition_signature": {
      const wanted = { supporterId, petition: record.petition, signedAt: record.signedAt, comment: record.comment };
      const stored = tx.select().from(petitionSignatures).where(eq(petitionSignatures.externalId, externalId)).get();
      if (!stored) {
        tx.insert(petitionSignatures).values({ externalId, ...wanted }).run();
        return "created";
      }
      const changes = changedFields(stored, wanted);
      if (Object.keys(changes).length === 0) return "unchanged";
      tx.update(petitionSignatures).set(changes).where(eq(petitionSignatures.id, stored.id)).run();
      return "updated";
    }
    case "correspondence": {
      const wanted = { supporterId, at: record.at, direction: record.direction, channel: record.channel, subject: record.subject, body: record.body };
      const stored = tx.select().from(correspondence).where(eq(correspondence.externalId, externalId)).get();
      if (!stored) {
        tx.insert(correspondence).values({ externalId, ...wanted }).run();
        return "created";
      }
      const changes = changedFields(stored, wanted);
      if (Object.keys(changes).length === 0) return "unchanged";
      tx.update(correspondence).set(changes).where(eq(correspondence.id, stored.id)).run();
      return "updated";
    }
    case "web_visit": {
      const wanted = { supporterId, at: record.at, ipAddress: record.ipAddress, userAgent: record.userAgent, page: record.page, referrer: record.referrer };
      const stored = tx.select().from(webVisits).where(eq(webVisits.externalId, externalId)).get();
      if (!stored) {
        tx.insert(webVisits).values({ externalId, ...wanted }).run();
        return "created";
      }
      const changes = changedFields(stored, wanted);
      if (Object.keys(changes).length === 0) return "unchanged";
      tx.update(webVisits).set(changes).where(eq(webVisits.id, stored.id)).run();
      return "updated";
    }
  }
}
