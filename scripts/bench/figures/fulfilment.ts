/**
 * Carrying requests out for the supporter with 2,000 records of every kind:
 * building and storing their access export, and erasing them. Both run the
 * functions approval runs, in a transaction on the bench's database, timed
 * from the call to the commit.
 */
import { eq } from "drizzle-orm";
import { openDatabase, type Db } from "@/db/connection";
import { requests, supporters } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { storeAccessExport, type AccessExport } from "@/lib/requests/export/build-access-export";
import { eraseSupporterRecords } from "@/lib/requests/fulfilment/erasure";
import { withinBudget, type BenchContext, type Figure, type FigureResult } from "../figure";

const EXPORT_RUNS = 5;

/** Thrown to roll a measured transaction back, so the next run finds the same records. */
class RollBack extends Error {}

function bigSupporterEmail(db: Db, ctx: BenchContext): string {
  const found = db.select({ email: supporters.email }).from(supporters).where(eq(supporters.id, ctx.world.bigSupporterId)).get();
  if (!found) throw new Error("The bench's supporter with 2,000 records is missing.");
  return found.email;
}

function recordsIn(doc: AccessExport): number {
  return (
    doc.supporterDetails.length +
    doc.donations.length +
    doc.memberships.length +
    doc.subscriptions.length +
    doc.petitionSignatures.length +
    doc.correspondence.length +
    doc.webVisits.length
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function msFigure(name: string, value: number, limit: number, detail: Record<string, number | string>): FigureResult {
  const budget = { kind: "below", limit } as const;
  const rounded = Math.round(value * 10) / 10;
  return { name, value: rounded, unit: "ms", budget, passed: withinBudget(rounded, budget), detail };
}

/** Builds and stores the export as approval does, rolled back each time; the median of five runs after one warm-up. */
export const accessExportFigure: Figure = {
  name: "building the access export for a supporter with 2,000 records",
  async measure(ctx) {
    const db = openDatabase(ctx.databasePath);
    try {
      const email = bigSupporterEmail(db, ctx);
      // Any request will do to hang the stored export on; it is rolled back.
      const request = { ...db.select().from(requests).limit(1).get()!, subjectEmail: email };
      const times: number[] = [];
      let records = 0;
      for (let run = 0; run <= EXPORT_RUNS; run++) {
        const start = performance.now();
        try {
          inTransaction(db, (tx) => {
            records = recordsIn(storeAccessExport(tx, { request, orgName: "Bench Trust", now: new Date() }));
            if (run > 0) times.push(performance.now() - start);
            throw new RollBack();
          });
        } catch (error) {
          if (!(error instanceof RollBack)) throw error;
        }
      }
      if (records < 2000) throw new Error(`The export held ${records} records, not the 2,000 the bench seeded.`);
      return msFigure(this.name, median(times), 150, { records, runs: EXPORT_RUNS, slowestMs: Math.round(Math.max(...times) * 10) / 10 });
    } finally {
      db.$client.close();
    }
  },
};

/** One real erasure, committed: the deletions, the anonymised donations and the suppression entry. */
export const erasureFigure: Figure = {
  name: "erasing a supporter with 2,000 records",
  async measure(ctx) {
    const db = openDatabase(ctx.databasePath);
    try {
      const email = bigSupporterEmail(db, ctx);
      const start = performance.now();
      const outcome = inTransaction(db, (tx) => eraseSupporterRecords(tx, { email, now: new Date(), timeZone: "UTC", secret: "bench-secret" }));
      const elapsed = performance.now() - start;
      const deleted = outcome.deleted.reduce((sum, d) => sum + d.count, 0);
      const kept = outcome.kept.reduce((sum, k) => sum + k.count, 0);
      if (deleted + kept < 2000) throw new Error(`The erasure touched ${deleted + kept} records, not the 2,000 the bench seeded.`);
      return msFigure(this.name, elapsed, 100, { deleted, keptAnonymised: kept });
    } finally {
      db.$client.close();
    }
  },
};
