/**
 * What a supporter may submit for each request type, checked field by field.
 */
import { z } from "zod";
import { REQUEST_TYPES, type RequestType } from "@/db/schema";
import { emailAddress, fieldErrorsOf, multiLineText, oneLineText, type FieldErrors, type ParseResult } from "@/lib/forms/fields";
import { wordsFor } from "@/lib/language/catalogue";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";
import { CORRECTABLE_FIELDS, type CorrectableField, type RequestDetails, type RequestSubmission } from "@/lib/vocabulary/request-details";

export const LIMITS = { name: 200, note: 2000, concern: 5000, postalAddress: 500, phone: 30 } as const;

const PHONE_SHAPE = /^\+?[0-9 ().-]{5,30}$/;

type SentenceKey = Parameters<ReturnType<typeof wordsFor>>[0];

/**
 * Staff recording a request that arrived by post, phone or email read the
 * form's sentences about the requester, in English like the rest of the staff
 * pages, and named as the staff form names its fields
 * (app/(public)/new/request-form.tsx). The rest are the same for both.
 */
const STAFF_SENTENCES: Partial<Record<SentenceKey, string>> = {
  "requestForm.what.name": "The requester's name",
  "requestForm.what.note": "What else they told you",
  "requestForm.what.concern": "Their concern",
  "requestForm.what.email": "The requester's email address",
  "requestForm.problems.noType": "Choose what the requester is asking for.",
  "requestForm.problems.noEmail": "Enter the requester's email address.",
  "requestForm.problems.checkName": "Check the requester's name.",
  "requestForm.problems.noChanges": "Enter at least one detail they want corrected, with what it should say.",
  "requestForm.problems.confirmErasure": "Tick the box to confirm the requester wants their data deleted.",
  "requestForm.problems.noConcern": "Enter their concern, in their words.",
};

/** Who reads the form's sentences: the supporter about themselves, or staff about the requester. */
export type FormReader = "supporter" | "staff";

/** The form's checks, each answering in `language`, to `reader`. */
function schemasIn(language: Language, reader: FormReader) {
  const words = wordsFor(reader === "staff" ? BASE_LANGUAGE : language);
  const say = (key: SentenceKey) => (reader === "staff" ? STAFF_SENTENCES[key] : undefined) ?? words(key);
  const typeSchema = z.enum(REQUEST_TYPES);
  const common = { name: oneLineText(say("requestForm.what.name"), LIMITS.name, { words }) };
  const note = multiLineText(say("requestForm.what.note"), LIMITS.note, { words });
  const phone = oneLineText(say("requestForm.what.newPhone"), LIMITS.phone, { words }).superRefine((value, ctx) => {
    if (value !== undefined && (!PHONE_SHAPE.test(value) || !/\d{5}/.test(value.replace(/\D/g, "")))) {
      ctx.addIssue({ code: "custom", message: say("requestForm.problems.phone") });
    }
  });
  const details = {
    access: z.object({ ...common, note }),
    correction: z
      .object({
        ...common,
        correct_name: oneLineText(say("requestForm.what.newName"), LIMITS.name, { words }),
        correct_email: emailAddress(say("requestForm.what.newEmail"), { words }),
        correct_postalAddress: multiLineText(say("requestForm.what.newPostalAddress"), LIMITS.postalAddress, { words }),
        correct_phone: phone,
        note,
      })
      .superRefine((value, ctx) => {
        const any = [value.correct_name, value.correct_email, value.correct_postalAddress, value.correct_phone].some(
          (v) => v !== undefined,
        );
        if (!any) ctx.addIssue({ code: "custom", path: ["changes"], message: say("requestForm.problems.noChanges") });
      }),
    erasure: z.object({
      ...common,
      // A transform, not .refine: zod skips refinements of an optional field
      // when it is absent, which is exactly what an unticked checkbox sends.
      confirmErasure: z
        .string()
        .optional()
        .transform((v, ctx) => {
          if (v !== "yes") ctx.addIssue({ code: "custom", message: say("requestForm.problems.confirmErasure") });
          return v;
        }),
      note,
    }),
    unsubscribe: z.object({ ...common }),
    concern: z.object({
      ...common,
      message: multiLineText(say("requestForm.what.concern"), LIMITS.concern, { required: say("requestForm.problems.noConcern"), words }),
    }),
  } as const;
  const email = emailAddress(say("requestForm.what.email"), { required: say("requestForm.problems.noEmail"), words });
  return { typeSchema, common, details, email, say };
}

type Schemas = ReturnType<typeof schemasIn>;
const made = new Map<string, Schemas>();

/** Built once per language and reader: the checks are the same, only their sentences differ. */
function schemasFor(language: Language, reader: FormReader): Schemas {
  const key = `${reader}:${language}`;
  let schemas = made.get(key);
  if (!schemas) {
    schemas = schemasIn(language, reader);
    made.set(key, schemas);
  }
  return schemas;
}

function detailsOf(type: RequestType, value: Record<string, unknown>): RequestDetails {
  const text = (key: string) => (typeof value[key] === "string" ? (value[key] as string) : undefined);
  switch (type) {
    case "access":
      return withoutUndefined({ type, note: text("note") });
    case "correction": {
      const changes: Partial<Record<CorrectableField, string>> = {};
      for (const field of CORRECTABLE_FIELDS) {
        const proposed = text(`correct_${field}`);
        if (proposed !== undefined) changes[field] = proposed;
      }
      return withoutUndefined({ type, changes, note: text("note") });
    }
    case "erasure":
      return withoutUndefined({ type, confirmed: true as const, note: text("note") });
    case "unsubscribe":
      return { type };
    case "concern":
      return { type, message: text("message") ?? "" };
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Checks a submitted request form, answering in the supporter's language
 * (English by default), or to staff about the requester when `reader` is
 * "staff". When the supporter is signed in, their verified address is used
 * and any address typed into the form is ignored.
 */
export function parseRequestForm(
  input: Record<string, string>,
  options: { signedInEmail?: string; language?: Language; reader?: FormReader } = {},
): ParseResult<RequestSubmission> {
  const { typeSchema, common, details: detailSchemas, email: emailField, say } = schemasFor(options.language ?? BASE_LANGUAGE, options.reader ?? "supporter");
  const fieldErrors: FieldErrors = {};

  const type = typeSchema.safeParse(input.type);
  if (!type.success) fieldErrors.type = say("requestForm.problems.noType");

  let email = options.signedInEmail;
  if (email === undefined) {
    const parsedEmail = emailField.safeParse(input.email);
    if (parsedEmail.success) email = parsedEmail.data;
    else fieldErrors.email = fieldErrorsOf(parsedEmail.error).form ?? say("requestForm.problems.noEmail");
  }

  if (!type.success) {
    // Without a known type only the common fields can be checked.
    const name = common.name.safeParse(input.name);
    if (!name.success) fieldErrors.name = fieldErrorsOf(name.error).form ?? say("requestForm.problems.checkName");
    return { ok: false, fieldErrors };
  }

  const details = detailSchemas[type.data].safeParse(input);
  if (!details.success) Object.assign(fieldErrors, fieldErrorsOf(details.error));

  if (!details.success || email === undefined || Object.keys(fieldErrors).length > 0) {
    return { ok: false, fieldErrors };
  }

  const data = details.data as Record<string, unknown> & { name?: string };
  return {
    ok: true,
    value: withoutUndefined({
      type: type.data,
      email,
      name: data.name,
      details: detailsOf(type.data, data),
      language: options.language,
    }),
  };
}
