/** The fulfilment forms on the request pages, checked field by field. */
import { multiLineText, fieldErrorsOf, type FieldErrors } from "@/lib/forms/fields";
import { parseReference } from "@/lib/requests/reference";
import { CORRECTABLE_FIELDS, type CorrectableField } from "@/lib/requests/request-form";

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

/** The choice carries both the verdict and the field, e.g. "accepted:postalAddress". */
export function parseFieldDecision(
  input: Record<string, string>,
): Parsed<{ reference: string; field: CorrectableField; decision: "accepted" | "rejected"; note: string | null }> {
  const errors: FieldErrors = {};
  const reference = referenceOf(input, errors);
  const [decision, field] = (input.decision ?? "").split(":");
  const okDecision = decision === "accepted" || decision === "rejected";
  const okField = (CORRECTABLE_FIELDS as readonly string[]).includes(field ?? "");
  if (!okDecision || !okField) errors.decision = "Choose accept or reject.";
  const note = textOf(noteField, input.note, "note", errors);
  if (Object.keys(errors).length > 0 || !reference || !okDecision || !okField) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { reference, field: field as CorrectableField, decision: decision as "accepted" | "rejected", note } };
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

export function parseMessage(input: Record<string, string>): Parsed<{ reference: string; message: string }> {
  const errors: FieldErrors = {};
  const reference = referenceOf(input, errors);
  const message = textOf(messageField, input.message, "message", errors);
  if (!message && !errors.message) errors.message = "Write your message.";
  if (Object.keys(errors).length > 0 || !reference || !message) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { reference, message } };
}
