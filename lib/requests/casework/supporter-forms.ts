/**
 * What a supporter submits on their request's page, checked before anything
 * is done, with every sentence in their language.
 */
import { fieldErrorsOf, multiLineText, type FieldErrors, type ParseResult } from "@/lib/forms/fields";
import { wordsFor } from "@/lib/language/catalogue";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";
import { parseReference } from "@/lib/vocabulary/reference";

function referenceAndText<K extends string>(
  input: Record<string, string>,
  field: K,
  check: ReturnType<typeof multiLineText>,
  missing: string,
  notAReference: string,
): ParseResult<{ reference: string } & Record<K, string>> {
  const errors: FieldErrors = {};
  const reference = parseReference(input.reference ?? "");
  if (!reference) errors.reference = notAReference;
  const parsed = check.safeParse(input[field]);
  if (!parsed.success) errors[field] = fieldErrorsOf(parsed.error).form ?? missing;
  else if (!parsed.data) errors[field] = missing;
  return Object.keys(errors).length > 0 || !reference || !parsed.success || !parsed.data
    ? { ok: false, fieldErrors: errors }
    : { ok: true, value: { reference, [field]: parsed.data } as { reference: string } & Record<K, string> };
}

/** The supporter's answer to staff's question. */
export function parseAnswer(input: Record<string, string>, language: Language = BASE_LANGUAGE): ParseResult<{ reference: string; answer: string }> {
  const words = wordsFor(language);
  const missing = words("requestPage.writeAnswer");
  return referenceAndText(input, "answer", multiLineText(words("requestPage.answerWhat"), 10_000, { required: missing, words }), missing, words("requestPage.notYours"));
}

/** The supporter's message in their concern's thread. */
export function parseConcernMessage(input: Record<string, string>, language: Language = BASE_LANGUAGE): ParseResult<{ reference: string; message: string }> {
  const words = wordsFor(language);
  const missing = words("requestPage.writeMessage");
  return referenceAndText(input, "message", multiLineText(words("requestPage.messageWhat"), 5000, { required: missing, words }), missing, words("requestPage.notYours"));
}

/** Cancelling: the reference, and the box ticked to say so, since a cancelled request cannot be opened again. */
export function parseCancel(input: Record<string, string>, language: Language = BASE_LANGUAGE): ParseResult<{ reference: string }> {
  const words = wordsFor(language);
  const errors: FieldErrors = {};
  const reference = parseReference(input.reference ?? "");
  if (!reference) errors.reference = words("requestPage.notYours");
  if (input.confirm !== "yes") errors.confirm = words("requestPage.tickToCancel");
  return reference && Object.keys(errors).length === 0 ? { ok: true, value: { reference } } : { ok: false, fieldErrors: errors };
}
