/**
 * Correction: staff see each proposed change next to what is held now,
 * accept or reject it with a note, and the accepted ones are applied
 * together when the request is approved.
 */
import { asc, eq } from "drizzle-orm";
import type { Db, Executor, Tx } from "@/db/connection";
import { correctionDecisions, supporters, type RequestRow } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { recordCorrections, type CorrectedField } from "@/lib/supporters/corrections";
import { applyChange, loadForChange, type ChangeResult, type RequestActor } from "@/lib/requests/lifecycle/request-change";
import { CORRECTABLE_FIELD_LABELS, CORRECTABLE_FIELDS, type CorrectableField, type RequestDetails } from "@/lib/vocabulary/request-details";
import { isOpen } from "@/lib/requests/lifecycle/transitions";

export type FieldReview = {
  field: CorrectableField;
  label: string;
  /** What the supporter records hold now; null when nothing is held. */
  current: string | null;
  proposed: string;
  decision: "accepted" | "rejected" | null;
  note: string | null;
  /** What was held when the decision was made: once an accepted change is applied, `current` is the new value. */
  heldWhenDecided: string | null;
};

const COLUMN = {
  name: supporters.name,
  email: supporters.email,
  postalAddress: supporters.postalAddress,
  phone: supporters.phone,
} as const;

export function proposedChanges(request: Pick<RequestRow, "type" | "details">): Partial<Record<CorrectableField, string>> {
  if (request.type !== "correction") return {};
  return (request.details as Extract<RequestDetails, { type: "correction" }>).changes ?? {};
}

function currentValue(tx: Executor, email: string, field: CorrectableField): string | null {
  const values = tx
    .select({ value: COLUMN[field] })
    .from(supporters)
    .where(eq(supporters.email, normalizeEmail(email)))
    .orderBy(asc(supporters.id))
    .all()
    .map((r) => r.value)
    .filter((v): v is string => v !== null && v !== "");
  return values.length === 0 ? null : [...new Set(values)].join(" / ");
}

export function reviewCorrection(tx: Executor, request: RequestRow): FieldReview[] {
  const changes = proposedChanges(request);
  const decided = new Map(
    tx.select().from(correctionDecisions).where(eq(correctionDecisions.requestId, request.id)).all().map((d) => [d.field, d]),
  );
  return CORRECTABLE_FIELDS.filter((f) => changes[f] !== undefined).map((field) => {
    const d = decided.get(field);
    return {
      field,
      label: CORRECTABLE_FIELD_LABELS[field],
      current: currentValue(tx, request.subjectEmail, field),
      proposed: changes[field]!,
      decision: d?.decision ?? null,
      note: d?.note ?? null,
      heldWhenDecided: d?.currentValue ?? null,
    };
  });
}

export type FieldDecision = { field: CorrectableField; decision: "accepted" | "rejected"; note: string | null };

/**
 * Staff's decisions on the proposed changes, saved together from the one
 * form: every decision is checked first, and all are stored or none. Fields
 * left without a choice stay undecided (approval waits for them).
 */
export function decideCorrections(
  db: Db,
  input: { reference: string; actor: RequestActor & { type: "staff" }; expectedVersion?: number; decisions: FieldDecision[]; now: Date },
): ChangeResult {
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    const request = loaded.request;
    if (request.type !== "correction" || !isOpen(request.status) || request.status === "approved") {
      return { ok: false, reason: "not_allowed", message: "Changes can be decided only while a correction request is being reviewed." };
    }
    if (input.decisions.length === 0) return { ok: false, reason: "invalid", message: "Choose accept or reject for at least one proposed change." };
    const reviews = new Map(reviewCorrection(tx, request).map((r) => [r.field, r]));
    for (const d of input.decisions) {
      const review = reviews.get(d.field);
      if (!review) return { ok: false, reason: "invalid", message: "The supporter did not ask to change that field." };
      if (d.decision === "rejected" && !d.note) {
        return { ok: false, reason: "invalid", message: `Say why you are rejecting the change to ${review.label.toLowerCase()}: the supporter is told.` };
      }
    }
    for (const d of input.decisions) {
      const review = reviews.get(d.field)!;
      const values = {
        currentValue: review.current,
        proposedValue: review.proposed,
        decision: d.decision,
        note: d.note,
        decidedBy: input.actor.email,
        decidedAt: input.now,
      };
      tx.insert(correctionDecisions)
        .values({ requestId: request.id, field: d.field, ...values })
        .onConflictDoUpdate({ target: [correctionDecisions.requestId, correctionDecisions.field], set: values })
        .run();
    }
    // The log says which fields were decided and how, never the values themselves.
    return applyChange(tx, request, {
      actor: input.actor,
      action: "correction_decided",
      now: input.now,
      note: input.decisions.map((d) => `${reviews.get(d.field)!.label}: ${d.decision}${d.note ? `. ${d.note}` : ""}`).join("\n"),
    });
  });
}

/** Why the request cannot be approved yet, or null. */
export function correctionApprovalBlocker(tx: Executor, request: RequestRow): string | null {
  const undecided = reviewCorrection(tx, request).filter((r) => r.decision === null);
  return undecided.length > 0 ? `Accept or reject every proposed change first: ${undecided.map((r) => r.label).join(", ")}.` : null;
}

/** Writes the accepted changes to every supporter record with the address, in the caller's transaction. */
export function applyAcceptedCorrections(tx: Tx, request: RequestRow, now: Date): FieldReview[] {
  const review = reviewCorrection(tx, request);
  const set: Partial<typeof supporters.$inferInsert> = {};
  for (const r of review) {
    if (r.decision !== "accepted") continue;
    if (r.field === "email") set.email = normalizeEmail(r.proposed);
    else set[r.field] = r.proposed;
  }
  if (Object.keys(set).length > 0) {
    // Remembered first, with the values as imported, so a later import of the unchanged file keeps the correction.
    recordCorrections(tx, { email: normalizeEmail(request.subjectEmail), changes: set as Partial<Record<CorrectedField, string>>, requestReference: request.reference, now });
    tx.update(supporters).set({ ...set, updatedAt: now }).where(eq(supporters.email, normalizeEmail(request.subjectEmail))).run();
  }
  return review;
}
