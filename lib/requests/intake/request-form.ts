/**
 * What a supporter may submit for each request type, checked field by field.
 */
import { z } from "zod";
import { REQUEST_TYPES, type RequestType } from "@/db/schema";
import { emailAddress, fieldErrorsOf, multiLineText, oneLineText, type FieldErrors, type ParseResult } from "@/lib/forms/fields";
import { CORRECTABLE_FIELDS, type CorrectableField, type RequestDetails, type RequestSubmission } from "@/lib/vocabulary/request-details";


export const LIMITS = { name: 200, note: 2000, concern: 5000, postalAddress: 500, phone: 30 } as const;

const typeSchema = z.enum(REQUEST_TYPES, { error: "Choose what you would like us to do." });

const common = {
  name: oneLineText("Your name", LIMITS.name),
};

const note = multiLineText("Anything else you want to tell us", LIMITS.note);

const PHONE_SHAPE = /^\+?[0-9 ().-]{5,30}$/;

const phone = oneLineText("The new phone number", LIMITS.phone).superRefine((value, ctx) => {
  if (value !== undefined && (!PHONE_SHAPE.test(value) || !/\d{5}/.test(value.replace(/\D/g, "")))) {
    ctx.addIssue({
      code: "custom",
      message: "The new phone number may contain only digits, spaces and + ( ) - characters.",
    });
  }
});

const detailSchemas = {
  access: z.object({ ...common, note }),
  correction: z
    .object({
      ...common,
      correct_name: oneLineText("The new name", LIMITS.name),
      correct_email: emailAddress("The new email address"),
      correct_postalAddress: multiLineText("The new postal address", LIMITS.postalAddress),
      correct_phone: phone,
      note,
    })
    .superRefine((value, ctx) => {
      const any = [value.correct_name, value.correct_email, value.correct_postalAddress, value.correct_phone].some(
        (v) => v !== undefined,
      );
      if (!any) {
        ctx.addIssue({
          code: "custom",
          path: ["changes"],
          message: "Tell us at least one detail to correct and what it should say.",
        });
      }
    }),
  erasure: z.object({
    ...common,
    // A transform, not .refine: zod skips refinements of an optional field
    // when it is absent, which is exactly what an unticked checkbox sends.
    confirmErasure: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v !== "yes") ctx.addIssue({ code: "custom", message: "Tick the box to confirm you want us to delete your data." });
        return v;
      }),
    note,
  }),
  unsubscribe: z.object({ ...common }),
  concern: z.object({
    ...common,
    message: multiLineText("Your concern", LIMITS.concern, { required: "Tell us what your concern is." }),
  }),
} as const;

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

const emailField = emailAddress("Your email address", { required: "Enter your email address." });

/**
 * Checks a submitted request form. When the supporter is signed in, their
 * verified address is used and any address typed into the form is ignored.
 */
export function parseRequestForm(
  input: Record<string, string>,
  options: { signedInEmail?: string } = {},
): ParseResult<RequestSubmission> {
  const fieldErrors: FieldErrors = {};

  const type = typeSchema.safeParse(input.type);
  if (!type.success) fieldErrors.type = "Choose what you would like us to do.";

  let email = options.signedInEmail;
  if (email === undefined) {
    const parsedEmail = emailField.safeParse(input.email);
    if (parsedEmail.success) email = parsedEmail.data;
    else fieldErrors.email = fieldErrorsOf(parsedEmail.error).form ?? "Enter your email address.";
  }

  if (!type.success) {
    // Without a known type only the common fields can be checked.
    const name = common.name.safeParse(input.name);
    if (!name.success) fieldErrors.name = fieldErrorsOf(name.error).form ?? "Check your name.";
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
    }),
  };
}
