/**
 * Field schemas shared by every form, each answering bad input with one
 * specific sentence a supporter can act on, in the language they are given
 * (English unless told otherwise: the staff pages' language).
 */
import { z } from "zod";
import { wordsFor, type Words } from "@/lib/language/catalogue";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { LONE_SURROGATE } from "@/lib/vocabulary/well-formed-text";

// C0 controls other than tab, line feed and carriage return, plus DEL and the
// Unicode line/paragraph separators and bidi overrides that disguise text; and
// half a surrogate pair, which JSON can carry ("\ud800") but no character is,
// and which would be stored as something other than what was checked.
export const CONTROL_CHARACTERS = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]|${LONE_SURROGATE.source}`);
const LINE_BREAK = /[\r\n]/;
const TAB = /\t/;

export type FieldErrors = Record<string, string>;

/**
 * What a field's sentences need: the words of the reader's language, and
 * the sentence for a field left empty that must not be. `what` names the
 * field at the start of a sentence ("Your name", "Votre nom").
 */
export type FieldOptions = { required?: string; words?: Words };

const ENGLISH = () => wordsFor("en");

/** One line of text: no line breaks, no control characters, at most `max` characters. */
export function oneLineText(what: string, max: number, options: FieldOptions = {}) {
  const words = options.words ?? ENGLISH();
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = (value ?? "").trim();
      if (text === "") {
        if (options.required) ctx.addIssue({ code: "custom", message: options.required });
        return undefined;
      }
      if (text.length > max) {
        ctx.addIssue({ code: "custom", message: words("fieldProblems.tooLong", { what, max }) });
      } else if (LINE_BREAK.test(text)) {
        ctx.addIssue({ code: "custom", message: words("fieldProblems.oneLine", { what }) });
      } else if (CONTROL_CHARACTERS.test(text) || TAB.test(text)) {
        ctx.addIssue({ code: "custom", message: words("fieldProblems.controlCharacters", { what }) });
      }
      return text;
    });
}

/** Free text that may span lines; line endings are stored as "\n". */
export function multiLineText(what: string, max: number, options: FieldOptions = {}) {
  const words = options.words ?? ENGLISH();
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = (value ?? "").replace(/\r\n?/g, "\n").trim();
      if (text === "") {
        if (options.required) ctx.addIssue({ code: "custom", message: options.required });
        return undefined;
      }
      if (text.length > max) {
        ctx.addIssue({ code: "custom", message: words("fieldProblems.tooLong", { what, max }) });
      } else if (CONTROL_CHARACTERS.test(text)) {
        ctx.addIssue({ code: "custom", message: words("fieldProblems.controlCharacters", { what }) });
      }
      return text;
    });
}

const EMAIL_SHAPE = z.email();

/** An email address, normalised. `what` starts the sentences ("Your email address"). */
export function emailAddress(what: string, options: FieldOptions = {}) {
  const words = options.words ?? ENGLISH();
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = (value ?? "").trim();
      if (text === "") {
        if (options.required) ctx.addIssue({ code: "custom", message: options.required });
        return undefined;
      }
      if (text.length > 254) {
        ctx.addIssue({ code: "custom", message: words("fieldProblems.tooLong", { what, max: 254 }) });
      } else if (LINE_BREAK.test(text) || CONTROL_CHARACTERS.test(text) || !EMAIL_SHAPE.safeParse(text).success) {
        ctx.addIssue({ code: "custom", message: words("fieldProblems.notAnAddress", { what }) });
      }
      return normalizeEmail(text);
    });
}

/** First message for each top-level field, the shape forms show next to inputs. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "form";
    if (!(key in errors)) errors[key] = issue.message;
  }
  return errors;
}

/** Reads a FormData into plain strings; files and repeated keys are not expected here. */
export function formDataToRecord(formData: FormData): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    if (typeof value === "string" && !(key in record)) record[key] = value;
  }
  return record;
}

/** What a parser of a form returns: the value, or a sentence for each field that is wrong. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; fieldErrors: FieldErrors };
