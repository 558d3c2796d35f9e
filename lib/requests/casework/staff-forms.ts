/**
 * What staff submit on a request's page, checked before anything is done.
 * Every form carries the request's reference and the version it was shown
 * at, so a change made meanwhile by someone else is detected.
 */
import { emailAddress, fieldErrorsOf, multiLineText, type FieldErrors } from "@/lib/forms/fields";
import { parseReference } from "@/lib/vocabulary/reference";
import type { ParseResult } from "@/lib/forms/fields";

export type Target = { reference: string; expectedVersion: number };

function target(input: Record<string, string>, errors: FieldErrors): Target | null {
  const reference = parseReference(input.reference ?? "");
  const version = /^\d{1,9}$/.test(input.version ?? "") ? Number(input.version) : null;
  if (!reference) errors.reference = "That is not a request reference.";
  if (version === null) errors.version = "The form is missing the request's version; reload the page.";
  return reference && version !== null ? { reference, expectedVersion: version } : null;
}

function text(what: string, max: number, required: string) {
  return multiLineText(what, max, { required });
}

function firstError(result: { success: boolean; error?: Parameters<typeof fieldErrorsOf>[0] }, fallback: string): string {
  return result.success || !result.error ? fallback : (fieldErrorsOf(result.error).form ?? fallback);
}

function finish<T extends object>(errors: FieldErrors, value: (Target & T) | null): ParseResult<Target & T> {
  return Object.keys(errors).length > 0 || value === null ? { ok: false, fieldErrors: errors } : { ok: true, value };
}

/** Forms that carry nothing but the target (start review, approve). */
export function parseStep(input: Record<string, string>): ParseResult<Target> {
  const errors: FieldErrors = {};
  const t = target(input, errors);
  return finish(errors, t);
}

/** Approving: the target, and for an erasure the box that confirms what will be deleted and kept. */
export function parseApproval(input: Record<string, string>): ParseResult<Target & { confirmedErasure: boolean }> {
  const errors: FieldErrors = {};
  const t = target(input, errors);
  return finish(errors, t ? { ...t, confirmedErasure: input.confirmErasure === "yes" } : null);
}

const questionField = text("The question", 5000, "Write the question to send to the supporter.");
export function parseQuestion(input: Record<string, string>): ParseResult<Target & { question: string }> {
  const errors: FieldErrors = {};
  const t = target(input, errors);
  const q = questionField.safeParse(input.question);
  if (!q.success || !q.data) errors.question = firstError(q, "Write the question to send to the supporter.");
  return finish(errors, t && q.success && q.data ? { ...t, question: q.data } : null);
}

const reasonField = text("The reason", 5000, "Give the reason; it is sent to the supporter.");
/** The target and one required piece of text (a reason, for refusing, closing or overriding). */
function targetAndText(input: Record<string, string>, schema: typeof reasonField, fallback: string): ParseResult<Target & { reason: string }> {
  const errors: FieldErrors = {};
  const t = target(input, errors);
  const r = schema.safeParse(input.reason);
  if (!r.success || !r.data) errors.reason = firstError(r, fallback);
  return finish(errors, t && r.success && r.data ? { ...t, reason: r.data } : null);
}

export function parseReason(input: Record<string, string>): ParseResult<Target & { reason: string }> {
  return targetAndText(input, reasonField, "Give the reason; it is sent to the supporter.");
}

export function parseExtension(input: Record<string, string>): ParseResult<Target & { reason: string; amount: string }> {
  const parsed = parseReason(input);
  const amount = (input.amount ?? "").trim();
  if (!amount) {
    const errors = parsed.ok ? {} : { ...parsed.fieldErrors };
    errors.amount = "Choose how much longer you need.";
    return { ok: false, fieldErrors: errors };
  }
  return parsed.ok ? { ok: true, value: { ...parsed.value, amount } } : parsed;
}

const answerField = multiLineText("The answer", 10_000);
export function parseCompletion(input: Record<string, string>): ParseResult<Target & { answer: string | null }> {
  const errors: FieldErrors = {};
  const t = target(input, errors);
  const a = answerField.safeParse(input.answer);
  if (!a.success) errors.answer = firstError(a, "Check the answer.");
  return finish(errors, t && a.success ? { ...t, answer: a.data ?? null } : null);
}

const noteField = text("The note", 5000, "Write the note.");
/** A reference and one required piece of text: the shape of a note and of a supporter's answer. */
function referenceAndText<K extends string>(
  input: Record<string, string>,
  field: K,
  schema: typeof noteField,
  fallback: string,
): ParseResult<{ reference: string } & Record<K, string>> {
  const errors: FieldErrors = {};
  const reference = parseReference(input.reference ?? "");
  if (!reference) errors.reference = "That is not a request reference.";
  const parsed = schema.safeParse(input[field]);
  if (!parsed.success || !parsed.data) errors[field] = firstError(parsed, fallback);
  return Object.keys(errors).length > 0 || !reference || !parsed.success || !parsed.data
    ? { ok: false, fieldErrors: errors }
    : { ok: true, value: { reference, [field]: parsed.data } as { reference: string } & Record<K, string> };
}

export function parseNote(input: Record<string, string>): ParseResult<{ reference: string; note: string }> {
  return referenceAndText(input, "note", noteField, "Write the note.");
}

const assigneeField = emailAddress("The assignee");
export function parseAssignment(input: Record<string, string>): ParseResult<Target & { assigneeEmail: string | null }> {
  const errors: FieldErrors = {};
  const t = target(input, errors);
  const a = assigneeField.safeParse(input.assignee);
  if (!a.success) errors.assignee = firstError(a, "Choose a staff member.");
  return finish(errors, t && a.success ? { ...t, assigneeEmail: a.data ?? null } : null);
}

const overrideField = text("The reason", 2000, "Give your reason for overriding the limit; it goes on the record.");
/** Overriding a per-supporter limit: the reason is required and recorded (never sent). */
export function parseOverride(input: Record<string, string>): ParseResult<Target & { reason: string }> {
  return targetAndText(input, overrideField, "Give your reason for overriding the limit; it goes on the record.");
}

const keptReasonField = multiLineText("The reason", 2000);
/**
 * A decision about a possible duplicate: the request shown, the other one
 * (a hidden field), and for keeping both an optional reason for the record.
 */
export function parseDuplicateDecision(input: Record<string, string>): ParseResult<Target & { otherReference: string; reason: string | null }> {
  const errors: FieldErrors = {};
  const t = target(input, errors);
  const other = parseReference(input.other ?? "");
  if (!other) errors.other = "The form does not say which other request; reload the page.";
  const reason = keptReasonField.safeParse(input.reason);
  if (!reason.success) errors.reason = firstError(reason, "Keep the reason to 2,000 characters.");
  return finish(errors, t && other && reason.success ? { ...t, otherReference: other, reason: reason.data ?? null } : null);
}
