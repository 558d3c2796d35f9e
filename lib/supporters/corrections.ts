/**
 * What a correction changed in the supporter records, remembered so that a
 * later import of the source's unchanged file cannot undo it (see
 * import/import-records.ts).
 */
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/connection";
import { supporterCorrections, supporters } from "@/db/schema";

export type CorrectedField = "name" | "email" | "postalAddress" | "phone";

/**
 * Records, for every supporter record with the address, each field about to
 * be corrected. Call it before the records are changed: the value held then
 * is what the last import brought, unless an earlier correction of the same
 * field is on record, whose imported value stays.
 */
export function recordCorrections(
  tx: Tx,
  input: { email: string; changes: Partial<Record<CorrectedField, string>>; requestReference: string; now: Date },
): void {
  const fields = Object.keys(input.changes) as CorrectedField[];
  if (fields.length === 0) return;
  for (const record of tx.select().from(supporters).where(eq(supporters.email, input.email)).all()) {
    for (const field of fields) {
      const correctedValue = input.changes[field] ?? null;
      const earlier = tx
        .select({ id: supporterCorrections.id })
        .from(supporterCorrections)
        .where(and(eq(supporterCorrections.supporterId, record.id), eq(supporterCorrections.field, field)))
        .get();
      const values = { correctedValue, correctedAt: input.now, requestReference: input.requestReference };
      if (earlier) tx.update(supporterCorrections).set(values).where(eq(supporterCorrections.id, earlier.id)).run();
      else tx.insert(supporterCorrections).values({ supporterId: record.id, field, importedValue: record[field], ...values }).run();
    }
  }
}
