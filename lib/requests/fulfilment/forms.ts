/** The fulfilment forms on the request pages, checked field by field. */
import { multiLineText, fieldErrorsOf, type FieldErrors } from "@/lib/forms/fields";
import { parseReference } from "@/lib/vocabulary/reference";
import { CORRECTABLE_FIELD_LABELS, CORRECTABLE_FIELDS, type CorrectableField } from "@/lib/vocabulary/request-details";

type Parsed<T> = { ok: true; value: T } | { ok: false; fieldErrors: FieldErrors };

const noteField = multiLineText("The note", 2000);
const messageField = multiLineText("The message", 5000, { required: "Write your message." });

function referenceOf(input: Record<string, string>, errors: FieldErrors): string | null {
  const reference = parseReference(input.reference ?? "");
  if (!reference) errors.reference = "That is not a request reference.";
  return reference;
}

function textOf(field: typeof noteField, value: string | undefined, name: string, errors: FieldErrors): string | null {
  const parsed = field.safeParse(value);
  if (!parsed.success) {
    errors[name] = fieldErrorsOf(parsed.error).form ?? "Check this text.";
    return null;
  }
  return parsed.data ?? null;
}

/**
 * The one form for every proposed change: for each field, a choice named
 * `decision_<field>` ("accepted" or "rejected", or nothing yet) and a note
 * `note_<field>`. The request's version rides along, so a change made
 * meanwhile is noticed.
 */
export function parseCorrectionDecisions(
  input: Record<string, string>,
): Parsed<{ reference: string; expectedVersion: number; decisions: Array<{ field: CorrectableField; decision: "accepted" | "rejected"; note: string | null }> }> {
  const errors: FieldErrors = {};
  const reference = referenceOf(input, errors);
  const expectedVersion = /^\d{1,9}$/.test(input.version ?? "") ? Number(input.version) : null;
  if (expectedVersion === null) errors.version = "The form is missing the request's version; reload the page.";
  const decisions: Array<{ field: CorrectableField; decision: "accepted" | "rejected"; note: string | null }> = [];
  for (const field of CORRECTABLE_FIELDS) {
    const choice = input[`decision_${field}`];
    const note = textOf(noteField, input[`note_${field}`], `note_${field}`, errors);
    if (choice === undefined || choice === "") continue;
    if (choice !== "accepted" && choice !== "rejected") {
      errors[`decision_${field}`] = "Choose accept or reject.";
      continue;
    }
    if (choice === "rejected" && !note && !errors[`note_${field}`]) {
      errors[`note_${field}`] = `Say why you are rejecting the change to ${CORRECTABLE_FIELD_LABELS[field].toLowerCase()}: the supporter is told.`;
    }
    decisions.push({ field, decision: choice, note });
  }
  if (decisions.length === 0 && Object.keys(errors).length === 0) errors.decisions = "Choose accept or reject for at least one proposed change.";
  if (Object.keys(errors).length > 0 || !reference || expectedVersion === null) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { reference, expectedVersion, decisions } };
}

export function parseTaskTick(input: Record<string, string>): Parsed<{ reference: string; taskId: number; note: string }> {
  const errors: FieldErrors = {};
  const reference = referenceOf(input, errors);
  const taskId = /^\d{1,9}$/.test(input.task ?? "") ? Number(input.task) : null;
  if (taskId === null) errors.task = "Choose the outside system.";
  const note = textOf(noteField, input.note, "note", errors);
  if (!note && !errors.note) errors.note = "Say what was done in that system.";
  if (Object.keys(errors).length > 0 || !reference || taskId === null || !note) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { reference, taskId, note } };
}

export function parseTaskRetry(input: Record<string, string>): Parsed<{ reference: string; taskId: number }> {
  const errors: FieldErrors = {};
  const reference = referenceOf(input, errors);
  const taskId = /^\d{1,9}$/.test(input.task ?? "") ? Number(input.task) : null;
  if (taskId === null) errors.task = "Choose the outside system.";
  if (Object.keys(errors).length > 0 || !reference || taskId === null) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { reference, taskId } };
}

export function parseMessage(input: Record<string, string>): Parsed<{ reference: string; message: string }> {
  const errors: FieldErrors = {};
  const reference = referenceOf(input, errors);
  const message = textOf(messageField, input.message, "message", errors);
  if (!message && !errors.message) errors.message = "Write your message.";
  if (Object.keys(errors).length > 0 || !reference || !message) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { reference, message } };
}
